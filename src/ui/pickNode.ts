import * as vscode from 'vscode';
import type { ClusterState } from '../core/clusterStore';
import type { NodeSnapshot } from '../core/snapshot/model';
import type { Services } from './services';
import type { TreeElement } from './tree/elements';

export interface NodeRef {
  readonly cluster: ClusterState;
  readonly node: NodeSnapshot;
}

/** Arguments commands accept: a tree node item, or `{context, node}` from a webview or another command. */
export type NodeArg = TreeElement | { readonly context: string; readonly node: string; readonly target?: string } | undefined;

/** The node a command acts on: from its argument, else picked from the clusters that loaded. */
export async function resolveNode(services: Services, arg: NodeArg, filter: (n: NodeSnapshot) => boolean = () => true): Promise<NodeRef | undefined> {
  if (arg && 'kind' in arg && arg.kind === 'node') return { cluster: services.store.get(arg.cluster.contextName) ?? arg.cluster, node: arg.node };
  if (arg && 'context' in arg) {
    const cluster = services.store.get(arg.context);
    const node = cluster?.snapshot?.nodes.find((n) => n.name === arg.node);
    if (cluster && node) return { cluster, node };
    void vscode.window.showErrorMessage(`Kubeadm: node ${arg.node} not found in ${arg.context}.`);
    return undefined;
  }
  const items = services.store
    .list()
    .flatMap((cluster) => (cluster.snapshot?.nodes ?? []).filter(filter).map((node) => ({ label: node.name, description: `${cluster.contextName} · ${node.controlPlane ? 'control plane' : 'worker'}`, ref: { cluster, node } })));
  if (items.length === 0) {
    void vscode.window.showWarningMessage('Kubeadm: no node to choose from (no cluster loaded).');
    return undefined;
  }
  return (await vscode.window.showQuickPick(items, { title: 'Choose a node', matchOnDescription: true }))?.ref;
}
