import type { ComponentInstance, ClusterSnapshot, NodeSnapshot } from '../snapshot/model';
import { formatMinor, formatVersion, minorDiff, parseVersion, type KubeVersion } from '../version';
import { apiserverRange, clusterVersion, type ApiserverRange } from './apiservers';
import { finding, sortFindings, type Finding } from './finding';
import { kubeadmMaxKubeletSkew, maxNodeSkew, RULES, type SkewRule } from './rules';
import { upgradePathFindings } from './upgradePath';
import { markExpected } from './expected';
import { upgradeInProgress } from './inProgress';

export interface SkewOptions {
  /** Planned control-plane version: adds upgrade-path findings. */
  readonly target?: string;
  /** The local kubectl's version, when one was found. */
  readonly kubectlVersion?: string;
}

/** Checks a snapshot against the Kubernetes version skew policy and kubeadm's own skew rules. */
export function evaluateSkew(snapshot: ClusterSnapshot, options: SkewOptions = {}): Finding[] {
  const range = apiserverRange(snapshot);
  if (!range) {
    return [finding(RULES.versionUnknown, null, null, 'No kube-apiserver version is known (no static pods, no /version): nothing to check.')];
  }
  const out: Finding[] = [...apiserverFindings(snapshot, range)];
  for (const node of snapshot.nodes) {
    out.push(...nodeComponentFindings(node, range), ...controlPlaneFindings(node, localApiserverRange(node, range)), ...kubeadmFindings(node, snapshot));
  }
  const kubectl = parseVersion(options.kubectlVersion);
  if (kubectl) out.push(...kubectlFindings(kubectl, range));
  if (options.target !== undefined) out.push(...upgradePathFindings(snapshot, range, options.target));
  // Mid-upgrade, what the documented procedure causes is shown as expected (info), not as errors.
  const progress = upgradeInProgress(snapshot);
  return sortFindings(progress ? markExpected(out, snapshot, progress) : out);
}

function apiserverFindings(snapshot: ClusterSnapshot, range: ApiserverRange): Finding[] {
  const spread = minorDiff(range.newest, range.oldest);
  if (spread === 0) return [];
  const oldNodes = snapshot.nodes.filter((n) => {
    const v = n.controlPlaneComponents['kube-apiserver']?.version;
    return v !== undefined && minorDiff(v, range.oldest) === 0;
  });
  const rule = spread > 1 ? RULES.apiserverHaSkew : RULES.apiserverMixed;
  const detail =
    spread > 1
      ? `kube-apiserver instances span ${formatVersion(range.oldest)} to ${formatVersion(range.newest)} (${spread} minors).`
      : `kube-apiserver instances run ${formatVersion(range.oldest)} and ${formatVersion(range.newest)} (an upgrade in progress): the supported range of every other component narrows to both.`;
  if (oldNodes.length === 0) return [finding(rule, null, range.oldest, detail)];
  return oldNodes.map((n) => finding(rule, n.name, range.oldest, detail));
}

/** kubelet and kube-proxy against the apiservers, and kube-proxy against its node's kubelet. */
function nodeComponentFindings(node: NodeSnapshot, range: ApiserverRange): Finding[] {
  const out: Finding[] = [];
  const kubelet = node.kubelet?.version;
  const proxy = node.kubeProxy?.version;
  if (kubelet) {
    out.push(...nodeAgentVsApiserver(node.name, 'kubelet', kubelet, range, RULES.kubeletNewer, RULES.kubeletTooOld, RULES.kubeletAtLimit));
  }
  if (proxy) {
    out.push(...nodeAgentVsApiserver(node.name, 'kube-proxy', proxy, range, RULES.proxyNewer, RULES.proxyTooOld, RULES.proxyAtLimit));
  }
  if (kubelet && proxy) {
    const diff = Math.abs(minorDiff(proxy, kubelet));
    const allowed = maxNodeSkew(proxy);
    if (diff > allowed) {
      out.push(
        finding(
          RULES.proxyKubelet,
          node.name,
          proxy,
          `kube-proxy ${formatVersion(proxy)} is ${diff} minors from this node's kubelet ${formatVersion(kubelet)} (at most ${allowed} allowed).`,
        ),
      );
    }
  }
  return out;
}

/** The shared shape of the kubelet and kube-proxy rules: not newer than any apiserver, at most 3 (or 2) older. */
function nodeAgentVsApiserver(
  nodeName: string,
  label: string,
  v: KubeVersion,
  range: ApiserverRange,
  newerRule: SkewRule,
  tooOldRule: SkewRule,
  atLimitRule: SkewRule,
): Finding[] {
  if (minorDiff(v, range.oldest) > 0) {
    const which = range.versions.length > 1 ? `the oldest kube-apiserver (${formatVersion(range.oldest)})` : `kube-apiserver ${formatVersion(range.oldest)}`;
    return [finding(newerRule, nodeName, v, `${label} ${formatVersion(v)} is newer than ${which}.`)];
  }
  const allowed = maxNodeSkew(v);
  const behind = -minorDiff(v, range.newest);
  const narrowed = range.versions.length > 1 && minorDiff(range.newest, range.oldest) > 0 ? ' (measured from the newest kube-apiserver: mixed apiserver versions narrow the range)' : '';
  if (behind > allowed) {
    return [finding(tooOldRule, nodeName, v, `${label} ${formatVersion(v)} is ${behind} minors behind kube-apiserver ${formatVersion(range.newest)}${narrowed}; at most ${allowed} are supported.`)];
  }
  if (behind === allowed) {
    return [finding(atLimitRule, nodeName, v, `${label} ${formatVersion(v)} is ${behind} minors behind kube-apiserver ${formatVersion(range.newest)}${narrowed}, the oldest supported: upgrade it before the control plane moves to ${formatMinor({ major: range.newest.major, minor: range.newest.minor + 1 })}.`)];
  }
  return [];
}

/**
 * kubeadm points kube-controller-manager and kube-scheduler at the apiserver on their own node (their kubeconfigs use
 * the local endpoint), so "the kube-apiserver instances they communicate with" is that one when it is known. Without
 * a local apiserver they may reach any instance, so the whole range applies.
 */
function localApiserverRange(node: NodeSnapshot, range: ApiserverRange): ApiserverRange {
  const local = node.controlPlaneComponents['kube-apiserver']?.version;
  if (!local) return range;
  return { versions: [local], newest: local, oldest: local, fromStaticPods: true };
}

/** kube-controller-manager and kube-scheduler: not newer than the oldest apiserver, at most one minor older than the newest. */
function controlPlaneFindings(node: NodeSnapshot, range: ApiserverRange): Finding[] {
  const out: Finding[] = [];
  const checks: [ComponentInstance | undefined, SkewRule, SkewRule, SkewRule][] = [
    [node.controlPlaneComponents['kube-controller-manager'], RULES.controllerManagerNewer, RULES.controllerManagerTooOld, RULES.controllerManagerBehind],
    [node.controlPlaneComponents['kube-scheduler'], RULES.schedulerNewer, RULES.schedulerTooOld, RULES.schedulerBehind],
  ];
  for (const [instance, newer, tooOld, behindRule] of checks) {
    const v = instance?.version;
    if (!instance || !v) continue;
    const name = instance.component;
    if (minorDiff(v, range.oldest) > 0) {
      out.push(finding(newer, node.name, v, `${name} ${formatVersion(v)} is newer than kube-apiserver ${formatVersion(range.oldest)}.`));
      continue;
    }
    const behind = -minorDiff(v, range.newest);
    if (behind > 1) {
      out.push(finding(tooOld, node.name, v, `${name} ${formatVersion(v)} is ${behind} minors behind kube-apiserver ${formatVersion(range.newest)}; at most one is supported.`));
    } else if (behind === 1) {
      out.push(finding(behindRule, node.name, v, `${name} ${formatVersion(v)} is one minor behind kube-apiserver ${formatVersion(range.newest)}: supported during an upgrade, finish upgrading this control plane.`));
    }
  }
  return out;
}

function kubectlFindings(kubectl: KubeVersion, range: ApiserverRange): Finding[] {
  const older = -minorDiff(kubectl, range.newest);
  const newer = minorDiff(kubectl, range.oldest);
  if (older <= 1 && newer <= 1) return [];
  const detail =
    newer > 1
      ? `Local kubectl ${formatVersion(kubectl)} is ${newer} minors newer than kube-apiserver ${formatVersion(range.oldest)}.`
      : `Local kubectl ${formatVersion(kubectl)} is ${older} minors older than kube-apiserver ${formatVersion(range.newest)}.`;
  return [finding(RULES.kubectlSkew, null, kubectl, detail)];
}

/** kubeadm on a node (known only when the node was asked): against the control plane and its own node's kubelet. */
function kubeadmFindings(node: NodeSnapshot, snapshot: ClusterSnapshot): Finding[] {
  const kubeadm = node.kubeadm?.version;
  const cluster = clusterVersion(snapshot);
  if (!kubeadm) return [];
  const out: Finding[] = [];
  if (cluster) {
    const diff = minorDiff(kubeadm, cluster);
    if (diff < 0) {
      out.push(finding(RULES.kubeadmOlderThanControlPlane, node.name, kubeadm, `kubeadm ${formatVersion(kubeadm)} is older than the control plane ${formatVersion(cluster)}.`));
    } else if (diff > 1) {
      out.push(finding(RULES.kubeadmTooNew, node.name, kubeadm, `kubeadm ${formatVersion(kubeadm)} is ${diff} minors newer than the control plane ${formatVersion(cluster)}; it can manage ${formatMinor(kubeadm)} and ${formatMinor({ major: kubeadm.major, minor: kubeadm.minor - 1 })} only.`));
    }
  }
  const kubelet = node.kubelet?.version;
  if (kubelet) {
    const behind = -minorDiff(kubelet, kubeadm);
    const allowed = kubeadmMaxKubeletSkew(kubeadm);
    if (behind < 0) {
      out.push(finding(RULES.kubeadmKubeletNewer, node.name, kubelet, `kubelet ${formatVersion(kubelet)} is newer than this node's kubeadm ${formatVersion(kubeadm)}.`));
    } else if (behind > allowed) {
      const rule = allowed === 1 ? RULES.kubeadmLegacyKubelet : RULES.kubeadmKubeletTooOld;
      out.push(finding(rule, node.name, kubelet, `kubelet ${formatVersion(kubelet)} is ${behind} minors behind this node's kubeadm ${formatVersion(kubeadm)} (at most ${allowed}).`));
    }
  }
  return out;
}
