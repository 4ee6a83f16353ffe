import type { ClusterSnapshot } from '../snapshot/model';
import { compareVersions, formatMinor, formatVersion, minorDiff, parseVersion, type KubeVersion, type MinorRef } from '../version';
import { clusterVersion, type ApiserverRange } from './apiservers';
import { finding, type Finding } from './finding';
import { kubeadmMaxKubeletSkew, MAX_MINOR_UPGRADE_SKEW, maxNodeSkew } from './policyLimits';
import { RULES } from './rules';

/**
 * What a control-plane upgrade to a target breaks, split as kubeadm's EnforceVersionPolicies splits it
 * (cmd/kubeadm/app/phases/upgrade/policy.go, VersionSkewPolicyErrors):
 * - mandatory: the upgrade must not run at all (unknown target, downgrade, skipped minor);
 * - skippable: it could run, but something must move first or kubeadm itself refuses (kubelets that would fall out
 *   of the window, kubeadm's own kubelet limit, a kubeadm binary older than the target);
 * - notes: facts that are no violation (the control plane already runs the target).
 * Every entry is a Finding of the rules table, so callers decide by rule, never by re-deriving a limit.
 */
export interface VersionPolicyViolations {
  readonly mandatory: readonly Finding[];
  readonly skippable: readonly Finding[];
  readonly notes: readonly Finding[];
}

/** Where a kubelet stands against an apiserver version: how many minors behind, how many it may be. */
export interface KubeletWindow {
  readonly behind: number;
  readonly allowed: number;
  readonly outside: boolean;
}

/** The one derivation of the kubelet window (version-skew policy): a kubelet newer than the apiserver is `behind < 0`. */
export function kubeletWindow(kubelet: KubeVersion, apiserver: MinorRef): KubeletWindow {
  const behind = -minorDiff(kubelet, apiserver);
  const allowed = maxNodeSkew(kubelet);
  return { behind, allowed, outside: behind > allowed };
}

/** The skippable violations that name a kubelet to upgrade before the control plane (not the kubeadm binary). */
export function kubeletsFirst(violations: VersionPolicyViolations): Finding[] {
  return violations.skippable.filter((f) => f.rule === RULES.upgradeKubeletUnsupported.id || f.rule === RULES.upgradeBlockedByOldKubelets.id);
}

/** Every entry, in the order the reports list them: what forbids the path, the notes, then node by node. */
export function allViolations(v: VersionPolicyViolations): Finding[] {
  return [...v.mandatory, ...v.notes, ...v.skippable];
}

/**
 * The upgrade policy for moving the control plane of `snapshot` (apiservers `range`) to `targetText`.
 * Only what the upgrade makes worse is reported: a kubelet already outside its window is a current-state finding.
 */
export function enforceVersionPolicies(snapshot: ClusterSnapshot, range: ApiserverRange, targetText: string): VersionPolicyViolations {
  const target = parseVersion(targetText);
  if (!target) {
    return only([finding(RULES.versionUnknown, null, targetText, `"${targetText}" is not a Kubernetes version (expected e.g. v1.31.2).`)]);
  }
  const current = clusterVersion(snapshot) ?? range.oldest;
  // Every apiserver must make the step, so the oldest one decides whether a minor is skipped.
  const from = compareVersions(range.oldest, current) < 0 ? range.oldest : current;
  const step = minorDiff(target, from);
  if (compareVersions(target, range.newest) < 0) {
    return only([finding(RULES.upgradeDowngrade, null, target, `Target ${formatVersion(target)} is older than the running control plane ${formatVersion(range.newest)}.`)]);
  }
  if (step > MAX_MINOR_UPGRADE_SKEW) {
    const next = formatMinor({ major: from.major, minor: from.minor + 1 });
    return only([finding(RULES.upgradeSkipsMinor, null, target, `Target ${formatVersion(target)} is ${step} minors above ${formatVersion(from)}: upgrade to the latest ${next}.x first.`)]);
  }
  const notes: Finding[] = [];
  if (compareVersions(target, from) === 0 && compareVersions(range.newest, target) === 0) {
    notes.push(finding(RULES.upgradeAtTarget, null, target, `The control plane already runs ${formatVersion(target)}.`));
  }
  const skippable: Finding[] = [];
  for (const node of snapshot.nodes) {
    const kubelet = node.kubelet?.version;
    if (kubelet) skippable.push(...kubeletViolations(node.name, kubelet, target, range.newest));
    const kubeadm = node.kubeadm?.version;
    if (node.controlPlane && kubeadm && compareVersions(kubeadm, target) < 0) {
      skippable.push(finding(RULES.upgradeNeedsKubeadm, node.name, kubeadm, `kubeadm on this node is ${formatVersion(kubeadm)}: install kubeadm ${formatVersion(target)} before \`kubeadm upgrade\`.`));
    }
  }
  return { mandatory: [], skippable, notes };
}

function kubeletViolations(node: string, kubelet: KubeVersion, target: KubeVersion, newestApiserver: KubeVersion): Finding[] {
  const out: Finding[] = [];
  const after = kubeletWindow(kubelet, target);
  if (after.outside && !kubeletWindow(kubelet, newestApiserver).outside) {
    out.push(finding(RULES.upgradeKubeletUnsupported, node, kubelet, `kubelet ${formatVersion(kubelet)} would be ${after.behind} minors behind kube-apiserver ${formatVersion(target)} (at most ${after.allowed}); upgrade this node's kubelet before the control plane, or kubeadm's preflight refuses too.`));
  }
  const kubeadmAllowed = kubeadmMaxKubeletSkew(target);
  if (kubeadmAllowed < after.allowed && after.behind > kubeadmAllowed) {
    out.push(finding(RULES.upgradeBlockedByOldKubelets, node, kubelet, `kubeadm ${formatVersion(target)} refuses to upgrade while kubelets are older than ${formatMinor({ major: target.major, minor: target.minor - kubeadmAllowed })}: upgrade this node's kubelet (${formatVersion(kubelet)}) first.`));
  }
  return out;
}

function only(mandatory: Finding[]): VersionPolicyViolations {
  return { mandatory, skippable: [], notes: [] };
}
