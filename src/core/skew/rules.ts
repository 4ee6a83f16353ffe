import type { ComponentName } from '../snapshot/model';

export type Severity = 'error' | 'warning' | 'info';

/** One rule of the version skew policy (or of kubeadm's own skew), with the sentence of the policy it enforces. */
export interface SkewRule {
  readonly id: string;
  readonly component: ComponentName;
  readonly severity: Severity;
  /** Quoted from https://kubernetes.io/releases/version-skew-policy/ or the kubeadm docs, so users see the source. */
  readonly quote: string;
}

const POLICY = {
  apiserverHa:
    'In highly-available (HA) clusters, the newest and oldest kube-apiserver instances must be within one minor version.',
  kubeletNewer: 'kubelet must not be newer than kube-apiserver.',
  kubeletOlder:
    'kubelet may be up to three minor versions older than kube-apiserver (kubelet < 1.25 may only be up to two minor versions older than kube-apiserver).',
  proxyNewer: 'kube-proxy must not be newer than kube-apiserver.',
  proxyOlder:
    'kube-proxy may be up to three minor versions older than kube-apiserver (kube-proxy < 1.25 may only be up to two minor versions older than kube-apiserver).',
  proxyKubelet:
    'kube-proxy may be up to three minor versions older or newer than the kubelet instance it runs alongside (kube-proxy < 1.25 may only be up to two minor versions older or newer than the kubelet instance it runs alongside).',
  cmNewer:
    'kube-controller-manager, kube-scheduler, and cloud-controller-manager must not be newer than the kube-apiserver instances they communicate with.',
  cmOlder:
    'They are expected to match the kube-apiserver minor version, but may be up to one minor version older (to allow live upgrades).',
  kubectl: 'kubectl is supported within one minor version (older or newer) of kube-apiserver.',
  kubeadmCp:
    'kubeadm can be used with Kubernetes components that are the same version as kubeadm or one version older.',
  kubeadmKubelet:
    'Similarly to the Kubernetes version, kubeadm can be used with a kubelet version that is the same version as kubeadm or three versions older.',
  kubeadmLegacyKubelet:
    'kubeadm up to v1.28 can be used with a kubelet version that is the same version as kubeadm or one version older; `kubeadm upgrade` refuses when kubelets are older ("There are kubelets in this cluster that are too old").',
  skipMinor: 'Skipping MINOR versions when upgrading is unsupported.',
  downgrade: 'kubeadm upgrades move forward only: a target older than the running version is a downgrade, which kubeadm does not support.',
} as const;

function rule(id: string, component: ComponentName, severity: Severity, quote: string): SkewRule {
  return { id, component, severity, quote };
}

export const RULES = {
  apiserverHaSkew: rule('apiserver-ha-skew', 'kube-apiserver', 'error', POLICY.apiserverHa),
  apiserverMixed: rule('apiserver-mixed-versions', 'kube-apiserver', 'info', POLICY.apiserverHa),
  kubeletNewer: rule('kubelet-newer-than-apiserver', 'kubelet', 'error', POLICY.kubeletNewer),
  kubeletTooOld: rule('kubelet-too-old', 'kubelet', 'error', POLICY.kubeletOlder),
  kubeletAtLimit: rule('kubelet-at-skew-limit', 'kubelet', 'warning', POLICY.kubeletOlder),
  proxyNewer: rule('kube-proxy-newer-than-apiserver', 'kube-proxy', 'error', POLICY.proxyNewer),
  proxyTooOld: rule('kube-proxy-too-old', 'kube-proxy', 'error', POLICY.proxyOlder),
  proxyAtLimit: rule('kube-proxy-at-skew-limit', 'kube-proxy', 'warning', POLICY.proxyOlder),
  proxyKubelet: rule('kube-proxy-kubelet-skew', 'kube-proxy', 'error', POLICY.proxyKubelet),
  controllerManagerNewer: rule('kube-controller-manager-newer-than-apiserver', 'kube-controller-manager', 'error', POLICY.cmNewer),
  controllerManagerTooOld: rule('kube-controller-manager-too-old', 'kube-controller-manager', 'error', POLICY.cmOlder),
  controllerManagerBehind: rule('kube-controller-manager-behind-apiserver', 'kube-controller-manager', 'warning', POLICY.cmOlder),
  schedulerNewer: rule('kube-scheduler-newer-than-apiserver', 'kube-scheduler', 'error', POLICY.cmNewer),
  schedulerTooOld: rule('kube-scheduler-too-old', 'kube-scheduler', 'error', POLICY.cmOlder),
  schedulerBehind: rule('kube-scheduler-behind-apiserver', 'kube-scheduler', 'warning', POLICY.cmOlder),
  kubectlSkew: rule('kubectl-skew', 'kubectl', 'error', POLICY.kubectl),
  kubeadmOlderThanControlPlane: rule('kubeadm-older-than-control-plane', 'kubeadm', 'error', POLICY.kubeadmCp),
  kubeadmTooNew: rule('kubeadm-too-new-for-control-plane', 'kubeadm', 'error', POLICY.kubeadmCp),
  kubeadmKubeletNewer: rule('kubeadm-kubelet-newer', 'kubelet', 'error', POLICY.kubeadmKubelet),
  kubeadmKubeletTooOld: rule('kubeadm-kubelet-too-old', 'kubelet', 'error', POLICY.kubeadmKubelet),
  kubeadmLegacyKubelet: rule('kubeadm-legacy-kubelet-skew', 'kubelet', 'error', POLICY.kubeadmLegacyKubelet),
  upgradeSkipsMinor: rule('upgrade-skips-minor', 'kube-apiserver', 'error', POLICY.skipMinor),
  upgradeDowngrade: rule('upgrade-target-older', 'kube-apiserver', 'error', POLICY.downgrade),
  upgradeAtTarget: rule('upgrade-already-at-target', 'kube-apiserver', 'info', POLICY.skipMinor),
  upgradeKubeletUnsupported: rule('upgrade-kubelet-becomes-unsupported', 'kubelet', 'warning', POLICY.kubeletOlder),
  upgradeBlockedByOldKubelets: rule('upgrade-blocked-by-old-kubelets', 'kubelet', 'error', POLICY.kubeadmLegacyKubelet),
  upgradeNeedsKubeadm: rule('upgrade-needs-newer-kubeadm', 'kubeadm', 'info', POLICY.kubeadmCp),
  versionUnknown: rule('version-unknown', 'kube-apiserver', 'info', 'The skew policy can only be checked for versions that are known.'),
} as const satisfies Record<string, SkewRule>;

// The limits live with the upgrade policy; re-exported so the current-state rules keep their import.
export { kubeadmMaxKubeletSkew, maxNodeSkew } from './policyLimits';
