import type { ClusterSnapshot } from '../snapshot/model';
import { apiserverRange } from './apiservers';
import { formatVersion, minorDiff, type KubeVersion } from '../version';

/**
 * An upgrade caught in its documented middle: the kube-apiservers run two consecutive minors. kubeadm's procedure
 * passes through this state on every HA upgrade (one control plane runs `kubeadm upgrade apply`, the others then run
 * `kubeadm upgrade node`), so the views call it progress, not breakage.
 */
export interface UpgradeInProgress {
  readonly from: KubeVersion;
  readonly to: KubeVersion;
  /** Control planes whose kube-apiserver already runs the newer minor, by name. */
  readonly upgraded: readonly string[];
  /** Control planes whose kube-apiserver still runs the older minor, by name: they run `kubeadm upgrade node` next. */
  readonly pending: readonly string[];
}

/** Undefined unless the static kube-apiservers span exactly one minor (more than one is a real HA-skew error). */
export function upgradeInProgress(snapshot: ClusterSnapshot): UpgradeInProgress | undefined {
  const range = apiserverRange(snapshot);
  if (!range?.fromStaticPods || minorDiff(range.newest, range.oldest) !== 1) return undefined;
  const upgraded: string[] = [];
  const pending: string[] = [];
  for (const n of snapshot.nodes) {
    const v = n.controlPlaneComponents['kube-apiserver']?.version;
    if (!v) continue;
    (minorDiff(v, range.newest) === 0 ? upgraded : pending).push(n.name);
  }
  const byName = (a: string, b: string) => a.localeCompare(b, undefined, { numeric: true });
  return { from: range.oldest, to: range.newest, upgraded: upgraded.sort(byName), pending: pending.sort(byName) };
}

/** `cp-1, cp-3` / `cp-1` — for "expected until cp-1, cp-3 are upgraded". */
export function untilText(progress: UpgradeInProgress): string {
  const names = progress.pending.join(', ');
  return `expected until ${names} ${progress.pending.length === 1 ? 'is' : 'are'} upgraded to ${formatVersion(progress.to)}`;
}
