import * as vscode from 'vscode';
import type { ClusterState } from '../../core/clusterStore';
import type { NodeSnapshot } from '../../core/snapshot/model';
import type { Services } from '../services';

/** What a command was invoked on: a tree item (cluster or node), `{context, node}` from a webview, or nothing (palette). */
export interface CommandTarget {
  readonly context?: string;
  readonly node?: string;
}

export function commandTarget(arg: unknown): CommandTarget {
  if (typeof arg !== 'object' || arg === null) return {};
  const a = arg as Record<string, unknown>;
  if ((a.kind === 'cluster' || a.kind === 'node' || a.kind === 'group') && typeof a.cluster === 'object' && a.cluster !== null) {
    const context = (a.cluster as ClusterState).contextName;
    const node = a.kind === 'node' ? (a.node as NodeSnapshot | undefined)?.name : undefined;
    return node ? { context, node } : { context };
  }
  const context = typeof a.context === 'string' ? a.context : undefined;
  const node = typeof a.node === 'string' ? a.node : undefined;
  return { ...(context ? { context } : {}), ...(node ? { node } : {}) };
}

/** The cluster: the preset one, the only one, or a pick among the loaded clusters. */
export async function pickCluster(services: Services, preset: string | undefined, title: string): Promise<ClusterState | undefined> {
  if (preset) {
    const s = services.store.get(preset);
    if (!s) void vscode.window.showErrorMessage(`Kubeadm: no cluster "${preset}" in the kubeconfig.`);
    return s;
  }
  const clusters = services.store.list();
  if (clusters.length === 0) {
    void vscode.window.showWarningMessage('Kubeadm: no cluster in the kubeconfig.');
    return undefined;
  }
  if (clusters.length === 1) return clusters[0];
  const pick = await vscode.window.showQuickPick(
    clusters.map((c) => ({ label: c.contextName, description: c.status === 'ready' ? c.server : c.status, state: c })),
    { title, placeHolder: 'Cluster (kubeconfig context)' },
  );
  return pick?.state;
}

/** A control-plane node of the cluster: the preset one, the only one, or a pick. */
export async function pickControlPlaneNode(cluster: ClusterState, preset: string | undefined, title: string): Promise<NodeSnapshot | undefined> {
  const nodes = (cluster.snapshot?.nodes ?? []).filter((n) => n.controlPlane);
  if (preset) {
    const n = nodes.find((x) => x.name === preset);
    if (!n) void vscode.window.showErrorMessage(`Kubeadm: ${preset} is not a control-plane node of ${cluster.contextName}.`);
    return n;
  }
  if (nodes.length === 0) {
    void vscode.window.showWarningMessage(
      cluster.status === 'ready' ? `Kubeadm: ${cluster.contextName} has no control-plane node.` : `Kubeadm: ${cluster.contextName} is not loaded (${cluster.status}).`,
    );
    return undefined;
  }
  if (nodes.length === 1) return nodes[0];
  const pick = await vscode.window.showQuickPick(
    nodes.map((n) => ({ label: n.name, description: `${n.readiness}${n.internalIP ? ` · ${n.internalIP}` : ''}`, node: n })),
    { title, placeHolder: 'Control-plane node (with /etc/kubernetes/admin.conf)' },
  );
  return pick?.node;
}
