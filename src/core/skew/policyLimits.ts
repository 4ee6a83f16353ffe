import type { MinorRef } from '../version';

// The numbers of the version-skew policy and of kubeadm's upgrade policy, named once. kubeadm keeps the same limits
// as constants in cmd/kubeadm/app/phases/upgrade/policy.go (MaximumAllowedMinorVersionUpgradeSkew, ...KubeletSkew).

/** `kubeadm upgrade apply` moves the control plane one minor at a time: skipping a minor is unsupported. */
export const MAX_MINOR_UPGRADE_SKEW = 1;

/** How many minors a kubelet or kube-proxy may be behind kube-apiserver (version-skew policy, since 1.25). */
export const MAX_NODE_SKEW = 3;

/** The same window for a kubelet or kube-proxy older than {@link NODE_SKEW_WIDENED_IN}: two minors. */
export const MAX_NODE_SKEW_LEGACY = 2;

/** The minor from which the node window is {@link MAX_NODE_SKEW} (KEP-3935). */
export const NODE_SKEW_WIDENED_IN = 25;

/** kubeadm up to this minor tolerates only {@link MAX_KUBEADM_KUBELET_SKEW_LEGACY} minor of kubelet skew. */
export const KUBEADM_LEGACY_KUBELET_SKEW_UNTIL = 28;

/** kubeadm ≤ 1.28 refuses `upgrade` while kubelets are more than one minor older ("kubelets ... too old"). */
export const MAX_KUBEADM_KUBELET_SKEW_LEGACY = 1;

/** kubeadm from 1.29 tolerates kubelets three minors older, like the version-skew policy. */
export const MAX_KUBEADM_KUBELET_SKEW = 3;

/** The oldest minor a kubelet or kube-proxy of version `v` may be behind the apiserver: 2 below 1.25, else 3. */
export function maxNodeSkew(v: MinorRef): number {
  return v.major === 1 && v.minor < NODE_SKEW_WIDENED_IN ? MAX_NODE_SKEW_LEGACY : MAX_NODE_SKEW;
}

/** kubeadm's tolerated kubelet skew: one minor up to v1.28, three from v1.29 (KEP-3935). */
export function kubeadmMaxKubeletSkew(kubeadm: MinorRef): number {
  return kubeadm.major === 1 && kubeadm.minor <= KUBEADM_LEGACY_KUBELET_SKEW_UNTIL ? MAX_KUBEADM_KUBELET_SKEW_LEGACY : MAX_KUBEADM_KUBELET_SKEW;
}
