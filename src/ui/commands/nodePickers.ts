import type { ClusterState } from '../../core/clusterStore';
import type { NodeSnapshot } from '../../core/snapshot/model';
import type { CommandUi } from './commandUi';

/** The clusters a command picks from: the tree's store. */
export interface ClusterList {
  list(): readonly ClusterState[];
  get(contextName: string): ClusterState | undefined;
}

export interface NodeRef {
  readonly cluster: ClusterState;
  readonly node: NodeSnapshot;
}

/** The cluster: the preset one, the only one, or a pick among the loaded clusters. */
export async function pickCluster(clusters: ClusterList, ui: CommandUi, preset: string | undefined, title: string): Promise<ClusterState | undefined> {
  if (preset) {
    const s = clusters.get(preset);
    if (!s) ui.error(`Kubeadm: no cluster "${preset}" in the kubeconfig.`);
    return s;
  }
  const all = clusters.list();
  if (all.length === 0) {
    ui.warning('Kubeadm: no cluster in the kubeconfig.');
    return undefined;
  }
  if (all.length === 1) return all[0];
  return ui.pick(
    all.map((c) => ({ label: c.contextName, description: c.status === 'ready' ? c.server : c.status, value: c })),
    { title, placeHolder: 'Cluster (kubeconfig context)' },
  );
}

/** A control-plane node of the cluster: the preset one, the only one, or a pick. */
export async function pickControlPlaneNode(cluster: ClusterState, ui: CommandUi, preset: string | undefined, title: string): Promise<NodeSnapshot | undefined> {
  const nodes = (cluster.snapshot?.nodes ?? []).filter((n) => n.controlPlane);
  if (preset) {
    const n = nodes.find((x) => x.name === preset);
    if (!n) ui.error(`Kubeadm: ${preset} is not a control-plane node of ${cluster.contextName}.`);
    return n;
  }
  if (nodes.length === 0) {
    ui.warning(cluster.status === 'ready' ? `Kubeadm: ${cluster.contextName} has no control-plane node.` : `Kubeadm: ${cluster.contextName} is not loaded (${cluster.status}).`);
    return undefined;
  }
  if (nodes.length === 1) return nodes[0];
  return ui.pick(
    nodes.map((n) => ({ label: n.name, description: `${n.readiness}${n.internalIP ? ` · ${n.internalIP}` : ''}`, value: n })),
    { title, placeHolder: 'Control-plane node (with /etc/kubernetes/admin.conf)' },
  );
}

/** The node a command acts on: a node item of the tree, `{context, node}` from a webview or another command, else a pick. */
export async function pickNode(clusters: ClusterList, ui: CommandUi, arg: unknown, filter: (n: NodeSnapshot) => boolean = () => true): Promise<NodeRef | undefined> {
  const a = typeof arg === 'object' && arg !== null ? (arg as { kind?: unknown; cluster?: ClusterState; node?: unknown; context?: unknown }) : undefined;
  if (a?.kind === 'node' && a.cluster) return { cluster: clusters.get(a.cluster.contextName) ?? a.cluster, node: a.node as NodeSnapshot };
  if (a && 'context' in a) {
    const cluster = typeof a.context === 'string' ? clusters.get(a.context) : undefined;
    const node = cluster?.snapshot?.nodes.find((n) => n.name === a.node);
    if (cluster && node) return { cluster, node };
    ui.error(`Kubeadm: node ${String(a.node)} not found in ${String(a.context)}.`);
    return undefined;
  }
  const items = clusters
    .list()
    .flatMap((cluster) => (cluster.snapshot?.nodes ?? []).filter(filter).map((node) => ({ label: node.name, description: `${cluster.contextName} · ${node.controlPlane ? 'control plane' : 'worker'}`, value: { cluster, node } })));
  if (items.length === 0) {
    ui.warning('Kubeadm: no node to choose from (no cluster loaded).');
    return undefined;
  }
  return ui.pick(items, { title: 'Choose a node', matchOnDescription: true });
}
