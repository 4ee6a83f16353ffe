import * as vscode from 'vscode';
import type { ClusterState } from '../../core/clusterStore';
import type { NodeSnapshot } from '../../core/snapshot/model';
import type { Services } from '../services';

export { commandTarget, type CommandTarget } from './commandTarget';

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
