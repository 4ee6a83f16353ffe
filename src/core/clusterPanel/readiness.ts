import { checkUpgrade } from '../upgrade/guards';
import { clusterVersion } from '../skew/apiservers';
import type { ClusterSnapshot } from '../snapshot/model';
import { formatVersion, parseVersion } from '../version';
import type { CardBlock } from './model';
import { skewImpact } from '../skew/impact';

/**
 * The same guards Upgrade Node applies, run when the view is built: a button that would be refused is shown disabled
 * with the reason beside it, and the steps that unblock it (kubelets to upgrade within today's window first) are
 * offered instead. Null when nothing refuses (or nothing is known: no snapshot, no node).
 */
export function cardBlock(snapshot: ClusterSnapshot | undefined, node: string | null, target: string | null): CardBlock | null {
  const t = parseVersion(target);
  if (!snapshot || !node || !t) return null;
  const reasons = checkUpgrade(snapshot, node, t)
    .guards.filter((g) => g.severity === 'refuse')
    // The policy quote is for the tree's hover; beside a button only what happened and what to do.
    .map((g) => g.reason.replace(/ Policy: "[^"]*"/, ''));
  if (reasons.length === 0) return null;
  const current = clusterVersion(snapshot);
  const unblock = current
    ? skewImpact(snapshot, formatVersion(t)).mustUpgradeFirst.map((n) => ({ node: n, target: formatVersion(current), label: `Upgrade ${n} to ${formatVersion(current)} first` }))
    : [];
  return { reasons, unblock };
}

/** What the plan was made against: the versions of every component on every node. A change marks the view stale. */
export function versionsKey(snapshot: ClusterSnapshot | undefined): string | null {
  if (!snapshot) return null;
  const v = (i: { source: string } | undefined) => i?.source ?? '';
  return JSON.stringify([
    snapshot.kubernetesVersion?.raw ?? '',
    ...snapshot.nodes.map((n) => [n.name, v(n.kubelet), v(n.kubeProxy), ...Object.values(n.controlPlaneComponents).map(v)]),
  ]);
}

/**
 * kubeadm's fallbacks when it cannot reach dl.k8s.io (air-gapped clusters): "could not fetch a Kubernetes version from
 * the internet" and "falling back to the local client version". They are klog W lines, easy to miss in the raw
 * output, and they mean the plan offers only what the local kubeadm knows.
 */
export function fetchWarnings(raw: string): string[] {
  const out: string[] = [];
  for (const line of raw.split('\n')) {
    const message = line.replace(/^[IWEF]\d{4} [\d:.]+\s+\d+ [^\]]+\] /, '').trim();
    if (/could not fetch a Kubernetes version from the internet|falling back to the local client version/i.test(message) && !out.includes(message)) out.push(message);
  }
  return out;
}
