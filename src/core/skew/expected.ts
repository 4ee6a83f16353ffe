import type { ClusterSnapshot, NodeSnapshot } from '../snapshot/model';
import type { Finding } from './finding';
import { formatMinor, minorDiff, type KubeVersion } from '../version';
import { untilText, type UpgradeInProgress } from './inProgress';

/**
 * Findings that kubeadm's own upgrade procedure causes while the control planes are at two minors. They are true
 * statements about the policy, but they are the expected, transient middle of the procedure, so they are shown as
 * info with the reason and the condition that ends them. Everything else keeps its severity: a real violation
 * stays an error.
 */
export function markExpected(findings: readonly Finding[], snapshot: ClusterSnapshot, progress: UpgradeInProgress): Finding[] {
  const byName = new Map(snapshot.nodes.map((n) => [n.name, n]));
  return findings.map((f) => {
    const why = reason(f, f.node === null ? undefined : byName.get(f.node), progress);
    if (!why) return f;
    return { ...f, severity: 'info', expected: { until: progress.pending, text: `${untilText(progress)}: ${why}` } };
  });
}

function reason(f: Finding, node: NodeSnapshot | undefined, p: UpgradeInProgress): string | undefined {
  switch (f.rule) {
    case 'apiserver-mixed-versions':
      return `the control planes are upgraded one at a time, so their kube-apiservers run ${formatMinor(p.from)} and ${formatMinor(p.to)} meanwhile.`;
    case 'kubelet-newer-than-apiserver':
      // Only on a control plane that is already upgraded: the docs upgrade its kubelet right after its kubeadm step.
      if (!node || !p.upgraded.includes(node.name) || !atMinor(node.kubelet?.version, p.to)) return undefined;
      return `the documented procedure upgrades the kubelet of each control plane right after its \`kubeadm upgrade\`, while other kube-apiservers still run ${formatMinor(p.from)}.`;
    case 'kube-proxy-newer-than-apiserver':
      if (!atMinor(node?.kubeProxy?.version, p.to)) return undefined;
      return `the kube-proxy DaemonSet was moved to ${formatMinor(p.to)} by a control plane's \`kubeadm upgrade\` (kubeadm before 1.28 did it on the first control plane; since 1.28 the last control plane upgrades kube-proxy and CoreDNS).`;
    case 'kubeadm-older-than-control-plane':
      // `kubeadm upgrade apply` moved kubeadm-config to the new minor; each node installs the new kubeadm as its first step.
      if (!node || !atMinor(node.kubeadm?.version, p.from)) return undefined;
      return `\`kubeadm upgrade apply\` recorded ${formatMinor(p.to)} as the cluster's version; this node installs kubeadm ${formatMinor(p.to)} as the first step of its own upgrade.`;
    default:
      return undefined;
  }
}

function atMinor(v: KubeVersion | undefined, minor: KubeVersion): boolean {
  return v !== undefined && minorDiff(v, minor) === 0;
}
