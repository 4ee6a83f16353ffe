import type { ClusterState } from '../../core/clusterStore';
import { nextStep, upgradeInProgress, type NextStep } from '../../core/progress';
import type { Finding } from '../../core/skew';
import { findingsOf } from '../../core/skew/byNode';
import type { ComponentInstance, NodeSnapshot } from '../../core/snapshot/model';

/**
 * The tree's data, kept apart from TreeItems (as in the VS Code tree-view sample). Every element below a cluster
 * carries its context (item ids are prefixed with it, so two contexts reaching the same cluster never collide) and
 * its parent (getParent, so `TreeView.reveal` works).
 */
export type TreeElement =
  // Mutable on purpose: VS Code finds an element to redraw by object identity, so a refresh updates it in place.
  | { readonly kind: 'cluster'; cluster: ClusterState }
  | { readonly kind: 'group'; readonly cluster: ClusterState; readonly role: 'controlPlane' | 'workers'; readonly parent?: TreeElement }
  | { readonly kind: 'node'; readonly cluster: ClusterState; readonly node: NodeSnapshot; readonly findings: readonly Finding[]; readonly runLabel?: string; readonly parent?: TreeElement }
  | { readonly kind: 'component'; readonly contextName?: string; readonly node: NodeSnapshot; readonly label: string; readonly instance?: ComponentInstance; readonly text?: string; readonly parent?: TreeElement }
  | { readonly kind: 'finding'; readonly contextName?: string; readonly finding: Finding; readonly parent?: TreeElement; readonly occurrence?: number }
  | { readonly kind: 'error'; readonly cluster: ClusterState; readonly parent?: TreeElement }
  | { readonly kind: 'nextStep'; readonly cluster: ClusterState; readonly step: NextStep; readonly parent?: TreeElement }
  | { readonly kind: 'message'; readonly text: string; readonly id: string; readonly parent?: TreeElement };

/** `upgrading 4/10` or `upgrade failed at 5/10` for a node with a run, from the upgrade service. */
export type RunLabels = (cluster: string, node: string) => string | undefined;

export function children(element: TreeElement | undefined, clusters: readonly ClusterState[], runLabel: RunLabels = () => undefined): TreeElement[] {
  if (!element) return clusters.map((cluster) => ({ kind: 'cluster', cluster }));
  switch (element.kind) {
    case 'cluster':
      return clusterChildren(element);
    case 'group': {
      const nodes = element.cluster.snapshot?.nodes.filter((n) => n.controlPlane === (element.role === 'controlPlane')) ?? [];
      return nodes.map((node) => {
        const label = runLabel(element.cluster.contextName, node.name);
        return { kind: 'node', cluster: element.cluster, node, findings: findingsOf(element.cluster.findings, node.name), parent: element, ...(label ? { runLabel: label } : {}) };
      });
    }
    case 'node':
      return nodeChildren(element);
    default:
      return [];
  }
}

/** The element's parent, for `TreeDataProvider.getParent`; undefined for a cluster (a root). */
export function parentOf(element: TreeElement): TreeElement | undefined {
  return element.kind === 'cluster' ? undefined : element.parent;
}

function clusterChildren(parent: TreeElement & { kind: 'cluster' }): TreeElement[] {
  const cluster = parent.cluster;
  const ctx = cluster.contextName;
  if (cluster.status === 'loading') return [{ kind: 'message', text: 'Loading…', id: `${ctx}/loading`, parent }];
  if (cluster.status === 'error') return [{ kind: 'error', cluster, parent }];
  const out: TreeElement[] = [];
  // Mid-upgrade, the first thing to read is what to do next (src/core/progress).
  const progress = cluster.snapshot && upgradeInProgress(cluster.snapshot);
  const step = progress && nextStep(cluster.snapshot!, progress);
  if (step) out.push({ kind: 'nextStep', cluster, step, parent });
  // Cluster-wide findings (HA skew, kubectl, upgrade path) sit on the cluster, above the groups.
  out.push(...findingElements(ctx, cluster.findings.filter((f) => f.node === null), parent));
  for (const w of new Set(cluster.warnings)) out.push({ kind: 'message', text: w, id: `${ctx}/warning/${w}`, parent });
  const nodes = cluster.snapshot?.nodes ?? [];
  if (nodes.length === 0) {
    out.push({ kind: 'message', text: 'No nodes in this cluster', id: `${ctx}/empty`, parent });
    return out;
  }
  if (nodes.some((n) => n.controlPlane)) out.push({ kind: 'group', cluster, role: 'controlPlane', parent });
  if (nodes.some((n) => !n.controlPlane)) out.push({ kind: 'group', cluster, role: 'workers', parent });
  return out;
}

/** Findings under one parent; the same rule twice for one component gets a distinct occurrence number. */
function findingElements(contextName: string, findings: readonly Finding[], parent: TreeElement): TreeElement[] {
  const seen = new Map<string, number>();
  return findings.map((finding) => {
    const key = `${finding.node ?? '-'}/${finding.rule}/${finding.component}`;
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    return { kind: 'finding', contextName, finding, parent, ...(occurrence ? { occurrence } : {}) };
  });
}

function nodeChildren(parent: TreeElement & { kind: 'node' }): TreeElement[] {
  const { node } = parent;
  const contextName = parent.cluster.contextName;
  const out: TreeElement[] = findingElements(contextName, parent.findings, parent);
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
  for (const [label, instance] of components) if (instance) out.push({ kind: 'component', contextName, node, label, instance, parent });
  if (node.containerRuntime) out.push({ kind: 'component', contextName, node, label: 'container runtime', text: node.containerRuntime, parent });
  return out;
}
