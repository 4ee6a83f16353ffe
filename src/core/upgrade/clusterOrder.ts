import { clusterVersion } from '../skew/apiservers';
import type { ClusterSnapshot, NodeSnapshot } from '../snapshot/model';
import type { NodeRole } from './phases';
import { compareVersions, formatVersion, type KubeVersion } from '../version';

export type Stage = 'first-control-plane' | 'control-plane' | 'worker';

export interface OrderedNode {
  readonly name: string;
  readonly role: NodeRole;
  readonly stage: Stage;
  /** Set when the node is already at the target and is skipped (a rerun after a partial upgrade). */
  readonly skip?: string;
}

/**
 * The docs' order: the first control plane (`kubeadm upgrade apply`), then the other control planes one at a time
 * (`kubeadm upgrade node`), then the workers. Names sort within a stage, so the order is stable across runs. Once
 * kubeadm-config says the target, no node is "first" any more: every control plane runs `upgrade node`.
 */
export function clusterOrder(snapshot: ClusterSnapshot, target: KubeVersion): OrderedNode[] {
  const current = clusterVersion(snapshot);
  const moved = !!current && compareVersions(current, target) >= 0;
  const byName = (a: NodeSnapshot, b: NodeSnapshot) => a.name.localeCompare(b.name);
  const cps = snapshot.nodes.filter((n) => n.controlPlane).sort(byName);
  const workers = snapshot.nodes.filter((n) => !n.controlPlane).sort(byName);
  const out: OrderedNode[] = [];
  cps.forEach((n, i) => {
    const first = !moved && i === 0;
    out.push({ name: n.name, role: first ? 'first-control-plane' : 'control-plane', stage: first ? 'first-control-plane' : 'control-plane', ...skipOf(n, target, moved) });
  });
  for (const n of workers) out.push({ name: n.name, role: 'worker', stage: 'worker', ...skipOf(n, target, moved) });
  return out;
}

/** A node is done when its kubelet (and, on a control plane, its apiserver) is at the target and the cluster moved. */
function skipOf(n: NodeSnapshot, target: KubeVersion, moved: boolean): { skip?: string } {
  if (!moved) return {};
  const kubelet = n.kubelet?.version;
  if (!kubelet || compareVersions(kubelet, target) !== 0 || n.unschedulable) return {};
  if (n.controlPlane) {
    const api = n.controlPlaneComponents['kube-apiserver']?.version;
    if (!api || compareVersions(api, target) !== 0) return {};
  }
  return { skip: `already at ${formatVersion(target)} and schedulable` };
}
