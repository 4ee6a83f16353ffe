import { apiserverRange, clusterVersion } from '../skew/apiservers';
import { enforceVersionPolicies, kubeletsFirst } from '../skew/policy';
import type { ClusterSnapshot, NodeSnapshot } from '../snapshot/model';
import { compareVersions, formatVersion, minorDiff, type KubeVersion } from '../version';
import type { NodeRole } from './phases';

/** `refuse`: the upgrade must not start. `ask`: it may, after the user says yes knowing this. */
export interface Guard {
  readonly severity: 'refuse' | 'ask';
  readonly reason: string;
  /** Set on guards other code must recognise without reading the text. */
  readonly code?: 'already-at-target';
}

export interface RoleDecision {
  readonly role: NodeRole;
  readonly guards: readonly Guard[];
}

/**
 * Decides the node's role for this target and every reason to refuse or ask, before anything is touched:
 * skipped minor, downgrade, workers or second control planes before the first control plane is at the target,
 * a kubelet that would end newer than an apiserver, a NotReady node, kubelets that would fall out of the window.
 */
export function checkUpgrade(snapshot: ClusterSnapshot, nodeName: string, target: KubeVersion): RoleDecision {
  const node = snapshot.nodes.find((n) => n.name === nodeName);
  if (!node) return { role: 'worker', guards: [{ severity: 'refuse', reason: `Node ${nodeName} is not in the cluster.` }] };
  const range = apiserverRange(snapshot);
  const current = clusterVersion(snapshot);
  if (!range || !current) return { role: 'worker', guards: [{ severity: 'refuse', reason: 'The cluster version is unknown (no kubeadm-config, no kube-apiserver version).' }] };

  // The control plane is "at the target" once kubeadm-config says so: `kubeadm upgrade apply` writes it.
  const controlPlaneAtTarget = compareVersions(current, target) >= 0;
  const role: NodeRole = node.controlPlane ? (controlPlaneAtTarget ? 'control-plane' : 'first-control-plane') : 'worker';
  const guards: Guard[] = [];

  // The version policy decides; this only turns its violations into refusals for this node's role.
  const policy = enforceVersionPolicies(snapshot, range, formatVersion(target));
  for (const f of policy.mandatory) guards.push({ severity: 'refuse', reason: f.message });
  // Only the control-plane move can strand kubelets; a worker upgrade happens after it.
  if (role === 'first-control-plane') {
    for (const f of kubeletsFirst(policy)) guards.push({ severity: 'refuse', reason: `${f.message} Upgrade ${f.node}'s kubelet within its current window first.` });
  }
  if (role !== 'first-control-plane' && !controlPlaneAtTarget) {
    guards.push({ severity: 'refuse', reason: `The control plane is at ${formatVersion(current)}: upgrade the first control-plane node to ${formatVersion(target)} (kubeadm upgrade apply) before ${node.controlPlane ? 'other control planes' : 'workers'}.` });
  }
  if (role === 'worker' && minorDiff(target, range.oldest) > 0) {
    guards.push({ severity: 'refuse', reason: `kube-apiserver ${formatVersion(range.oldest)} still runs on a control plane: kubelet ${formatVersion(target)} would be newer than it. Finish the control-plane nodes first.` });
  }
  const kubelet = node.kubelet?.version;
  if (kubelet && compareVersions(kubelet, target) > 0) {
    guards.push({ severity: 'refuse', reason: `kubelet on ${node.name} is already ${formatVersion(kubelet)}, newer than the target.` });
  }
  if (kubelet && compareVersions(kubelet, target) === 0 && (role !== 'first-control-plane')) {
    guards.push({ severity: 'ask', code: 'already-at-target', reason: `${node.name} already runs kubelet ${formatVersion(target)}: the steps are idempotent and will run again.` });
  }
  guards.push(...readinessGuards(node));
  return { role, guards: dedupe(guards) };
}

function readinessGuards(node: NodeSnapshot): Guard[] {
  if (node.readiness === 'Ready') return [];
  return [{ severity: 'ask', reason: `${node.name} is ${node.readiness} before the upgrade starts: the wait for Ready at the end may time out, and its pods may already be unavailable.` }];
}

function dedupe(guards: Guard[]): Guard[] {
  const seen = new Set<string>();
  return guards.filter((g) => (seen.has(g.reason) ? false : (seen.add(g.reason), true)));
}
