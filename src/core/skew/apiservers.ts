import type { ClusterSnapshot } from '../snapshot/model';
import { compareVersions, newest, oldest, type KubeVersion } from '../version';

/** The apiserver versions the policy is checked against, and the newest and oldest of them. */
export interface ApiserverRange {
  readonly versions: readonly KubeVersion[];
  readonly newest: KubeVersion;
  readonly oldest: KubeVersion;
  /** True when the versions come from the static pods; false when only `/version` answered (one instance seen). */
  readonly fromStaticPods: boolean;
}

/**
 * Every static kube-apiserver's version; when none is visible (no kube-system access, or not a kubeadm control plane),
 * the `/version` of whichever instance answered. Undefined when neither is known.
 */
export function apiserverRange(snapshot: ClusterSnapshot): ApiserverRange | undefined {
  const fromPods = snapshot.nodes
    .map((n) => n.controlPlaneComponents['kube-apiserver']?.version)
    .filter((v): v is KubeVersion => v !== undefined);
  const versions = fromPods.length > 0 ? fromPods : snapshot.serverVersion ? [snapshot.serverVersion] : [];
  const lo = oldest(versions);
  const hi = newest(versions);
  if (!lo || !hi) return undefined;
  return { versions: dedupe(versions), newest: hi, oldest: lo, fromStaticPods: fromPods.length > 0 };
}

function dedupe(versions: KubeVersion[]): KubeVersion[] {
  const sorted = [...versions].sort(compareVersions);
  return sorted.filter((v, i) => i === 0 || compareVersions(v, sorted[i - 1]!) !== 0);
}

/** The version kubeadm considers the cluster's: kubeadm-config's kubernetesVersion, else the oldest apiserver. */
export function clusterVersion(snapshot: ClusterSnapshot): KubeVersion | undefined {
  return snapshot.kubernetesVersion ?? apiserverRange(snapshot)?.oldest;
}
