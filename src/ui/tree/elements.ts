import type { ClusterState } from '../../core/clusterStore';
import { nextStep, upgradeInProgress, type NextStep } from '../../core/progress';
import type { Finding } from '../../core/skew';
import type { ComponentInstance, NodeSnapshot } from '../../core/snapshot/model';

/** The tree's data, kept apart from TreeItems (as in the VS Code tree-view sample). */
export type TreeElement =
  // Mutable on purpose: VS Code finds an element to redraw by object identity, so a refresh updates it in place.
  | { readonly kind: 'cluster'; cluster: ClusterState }
  | { readonly kind: 'group'; readonly cluster: ClusterState; readonly role: 'controlPlane' | 'workers' }
  | { readonly kind: 'node'; readonly cluster: ClusterState; readonly node: NodeSnapshot; readonly findings: readonly Finding[]; readonly runLabel?: string }
  | { readonly kind: 'component'; readonly node: NodeSnapshot; readonly label: string; readonly instance?: ComponentInstance; readonly text?: string }
  | { readonly kind: 'finding'; readonly finding: Finding }
  | { readonly kind: 'error'; readonly cluster: ClusterState }
  | { readonly kind: 'nextStep'; readonly cluster: ClusterState; readonly step: NextStep }
  | { readonly kind: 'message'; readonly text: string; readonly id: string };

/** `upgrading 4/10` or `upgrade failed at 5/10` for a node with a run, from the upgrade service. */
export type RunLabels = (cluster: string, node: string) => string | undefined;

export function children(element: TreeElement | undefined, clusters: readonly ClusterState[], runLabel: RunLabels = () => undefined): TreeElement[] {
  if (!element) return clusters.map((cluster) => ({ kind: 'cluster', cluster }));
  switch (element.kind) {
    case 'cluster':
      return clusterChildren(element.cluster);
    case 'group': {
      const nodes = element.cluster.snapshot?.nodes.filter((n) => n.controlPlane === (element.role === 'controlPlane')) ?? [];
      return nodes.map((node) => {
        const label = runLabel(element.cluster.contextName, node.name);
        return { kind: 'node', cluster: element.cluster, node, findings: element.cluster.findings.filter((f) => f.node === node.name), ...(label ? { runLabel: label } : {}) };
      });
    }
    case 'node':
      return nodeChildren(element.node, element.findings);
    default:
      return [];
  }
}

function clusterChildren(cluster: ClusterState): TreeElement[] {
  if (cluster.status === 'loading') return [{ kind: 'message', text: 'Loading…', id: `${cluster.contextName}/loading` }];
  if (cluster.status === 'error') return [{ kind: 'error', cluster }];
  const out: TreeElement[] = [];
  // Mid-upgrade, the first thing to read is what to do next (src/core/progress).
  const progress = cluster.snapshot && upgradeInProgress(cluster.snapshot);
  const step = progress && nextStep(cluster.snapshot!, progress);
  if (step) out.push({ kind: 'nextStep', cluster, step });
  // Cluster-wide findings (HA skew, kubectl, upgrade path) sit on the cluster, above the groups.
  for (const finding of cluster.findings.filter((f) => f.node === null)) out.push({ kind: 'finding', finding });
  for (const w of cluster.warnings) out.push({ kind: 'message', text: w, id: `${cluster.contextName}/warning/${w}` });
  const nodes = cluster.snapshot?.nodes ?? [];
  if (nodes.length === 0) {
    out.push({ kind: 'message', text: 'No nodes in this cluster', id: `${cluster.contextName}/empty` });
    return out;
  }
  if (nodes.some((n) => n.controlPlane)) out.push({ kind: 'group', cluster, role: 'controlPlane' });
  if (nodes.some((n) => !n.controlPlane)) out.push({ kind: 'group', cluster, role: 'workers' });
  return out;
}

function nodeChildren(node: NodeSnapshot, findings: readonly Finding[]): TreeElement[] {
  const out: TreeElement[] = findings.map((finding) => ({ kind: 'finding', finding }));
  const c = node.controlPlaneComponents;
  const components: [string, ComponentInstance | undefined][] = [
    ['kubelet', node.kubelet],
    ['kube-proxy', node.kubeProxy],
    ['kube-apiserver', c['kube-apiserver']],
    ['kube-controller-manager', c['kube-controller-manager']],
    ['kube-scheduler', c['kube-scheduler']],
    ['etcd', c.etcd],
    ['kubeadm', node.kubeadm],
  ];
  for (const [label, instance] of components) if (instance) out.push({ kind: 'component', node, label, instance });
  if (node.containerRuntime) out.push({ kind: 'component', node, label: 'container runtime', text: node.containerRuntime });
  return out;
}
