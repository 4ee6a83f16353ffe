import { formatVersion, type KubeVersion } from '../version';

/**
 * The CoreDNS version kubeadm deploys for a Kubernetes minor (kubeadm's constants.CoreDNSVersion, what
 * `kubeadm config images list` prints). The minors the sandbox builds (1.35, 1.36) are proven by the real control
 * plane's upgrade; a minor not listed gives undefined and the verification says to compare by hand.
 */
const COREDNS_BY_MINOR: Readonly<Record<number, string>> = {
  31: 'v1.11.3',
  32: 'v1.11.3',
  33: 'v1.12.0',
  34: 'v1.12.1',
  35: 'v1.13.1',
  36: 'v1.14.2',
};

export function kubeadmCoreDNSFor(target: KubeVersion): string | undefined {
  return target.major === 1 ? COREDNS_BY_MINOR[target.minor] : undefined;
}

export const UNKNOWN_COREDNS = (target: KubeVersion) =>
  `which CoreDNS kubeadm ${formatVersion(target)} deploys is not known here: compare with \`kubeadm config images list --kubernetes-version ${formatVersion(target)}\``;
