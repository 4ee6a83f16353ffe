import type { ClusterSnapshot } from '../snapshot/model';
import { compareVersions, formatMinor, formatVersion, minorDiff, parseVersion } from '../version';
import { clusterVersion, type ApiserverRange } from './apiservers';
import { finding, type Finding } from './finding';
import { kubeadmMaxKubeletSkew, maxNodeSkew, RULES } from './rules';

/**
 * What a planned control-plane upgrade to `targetText` means: whether the path is allowed (no skipped minor, no
 * downgrade), and which nodes would fall outside the policy once every kube-apiserver runs the target.
 */
export function upgradePathFindings(snapshot: ClusterSnapshot, range: ApiserverRange, targetText: string): Finding[] {
  const target = parseVersion(targetText);
  if (!target) {
    return [finding(RULES.versionUnknown, null, targetText, `"${targetText}" is not a Kubernetes version (expected e.g. v1.31.2).`)];
  }
  const current = clusterVersion(snapshot) ?? range.oldest;
  const out: Finding[] = [];
  // Every apiserver must make the step, so the oldest one decides whether a minor is skipped.
  const from = compareVersions(range.oldest, current) < 0 ? range.oldest : current;
  const step = minorDiff(target, from);
  if (compareVersions(target, range.newest) < 0) {
    out.push(finding(RULES.upgradeDowngrade, null, target, `Target ${formatVersion(target)} is older than the running control plane ${formatVersion(range.newest)}.`));
    return out;
  }
  if (step > 1) {
    const next = formatMinor({ major: from.major, minor: from.minor + 1 });
    out.push(finding(RULES.upgradeSkipsMinor, null, target, `Target ${formatVersion(target)} is ${step} minors above ${formatVersion(from)}: upgrade to the latest ${next}.x first.`));
    return out;
  }
  if (compareVersions(target, from) === 0 && compareVersions(range.newest, target) === 0) {
    out.push(finding(RULES.upgradeAtTarget, null, target, `The control plane already runs ${formatVersion(target)}.`));
  }
  for (const node of snapshot.nodes) {
    const kubelet = node.kubelet?.version;
    if (kubelet) {
      const behindAfter = -minorDiff(kubelet, target);
      const behindNow = -minorDiff(kubelet, range.newest);
      const allowed = maxNodeSkew(kubelet);
      // Only what the upgrade makes worse: a kubelet already unsupported is reported by the current-state rules.
      if (behindAfter > allowed && behindNow <= allowed) {
        out.push(finding(RULES.upgradeKubeletUnsupported, node.name, kubelet, `kubelet ${formatVersion(kubelet)} would be ${behindAfter} minors behind kube-apiserver ${formatVersion(target)} (at most ${allowed}); upgrade this node's kubelet before the control plane, or kubeadm's preflight refuses too.`));
      }
      const kubeadmAllowed = kubeadmMaxKubeletSkew(target);
      if (kubeadmAllowed < allowed && behindAfter > kubeadmAllowed) {
        out.push(finding(RULES.upgradeBlockedByOldKubelets, node.name, kubelet, `kubeadm ${formatVersion(target)} refuses to upgrade while kubelets are older than ${formatMinor({ major: target.major, minor: target.minor - kubeadmAllowed })}: upgrade this node's kubelet (${formatVersion(kubelet)}) first.`));
      }
    }
    const kubeadm = node.kubeadm?.version;
    if (node.controlPlane && kubeadm && compareVersions(kubeadm, target) < 0) {
      out.push(finding(RULES.upgradeNeedsKubeadm, node.name, kubeadm, `kubeadm on this node is ${formatVersion(kubeadm)}: install kubeadm ${formatVersion(target)} before \`kubeadm upgrade\`.`));
    }
  }
  return out;
}
