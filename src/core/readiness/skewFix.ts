// A skew finding as a readiness result that leads to its fix: the node, the version and what to run (and a button
// for Upgrade Node… where that is the fix), with the severity the upgrade's own gates give it — a finding Upgrade
// Node refuses is a blocker here too, and one the planned upgrade cures (a kubelet newer than today's apiserver,
// at most the target) is no blocker of that upgrade. Pure.
import type { Finding } from '../skew/finding';
import { compareVersions, formatVersion, parseVersion, type KubeVersion } from '../version';
import type { CheckResult, FixAction, Severity } from './types';

/** Newer-than-the-apiserver rules: the apiserver moving to the target cures them when the component is ≤ target. */
const CURED_BY_TARGET = new Set(['kubelet-newer-than-apiserver', 'kube-proxy-newer-than-apiserver', 'kube-controller-manager-newer-than-apiserver', 'kube-scheduler-newer-than-apiserver', 'kubeadm-too-new-for-control-plane']);
/** What Upgrade Node refuses the first control plane for (guards.ts kubeletsFirst): blockers, as the Plan view shows them. */
const REFUSED_FIRST = new Set(['upgrade-kubelet-becomes-unsupported', 'upgrade-blocked-by-old-kubelets']);
/** A node whose kubelet must move within today's window: Upgrade Node to the cluster's version is the fix. */
const KUBELET_BEHIND = new Set(['kubelet-too-old', 'kubelet-at-skew-limit', 'kubeadm-kubelet-too-old', 'kubeadm-legacy-kubelet-skew', ...REFUSED_FIRST]);
/** A control plane whose components lag its own apiserver: `kubeadm upgrade node` there finishes it. */
const CONTROL_PLANE_BEHIND = new Set(['kube-controller-manager-behind-apiserver', 'kube-scheduler-behind-apiserver', 'kube-controller-manager-too-old', 'kube-scheduler-too-old']);

const BASE: Record<Finding['severity'], Severity> = { error: 'blocker', warning: 'warning', info: 'info' };

export interface SkewResult {
  readonly severity: Severity;
  readonly message: string;
  readonly fix: string;
  readonly action?: FixAction;
}

/** `current`: the version the control plane runs now (kubeadm-config), the window kubelets must reach first. */
export function skewResult(f: Finding, target: KubeVersion, current: KubeVersion | undefined): SkewResult {
  const t = formatVersion(target);
  const message = f.message.replace(/ Policy: "[^"]*"$/, '');
  const version = parseVersion(f.version);
  const now = current ? formatVersion(current) : null;
  const node = f.node;
  if (CURED_BY_TARGET.has(f.rule) && version && compareVersions(version, target) <= 0) {
    return {
      severity: 'info',
      message: `${message} The upgrade to ${t} cures this: the apiserver moves to ${t}.`,
      fix: `Nothing to do before the upgrade${node ? `; ${node} stays as it is until the control plane reaches ${t}` : ''}.`,
    };
  }
  const severity = REFUSED_FIRST.has(f.rule) ? 'blocker' : BASE[f.severity];
  if (KUBELET_BEHIND.has(f.rule) && node && now) {
    return {
      severity,
      message,
      fix:
        `Upgrade ${node} to ${now} (the control plane's version) before the control plane moves to ${t}: right-click ${node} → Upgrade Node…, ` +
        `which runs \`sudo kubeadm upgrade node\` on ${node}, then installs kubelet and kubectl ${now} and restarts the kubelet. A kubelet more than one minor behind moves one minor at a time.`,
      action: { kind: 'upgradeNode', node, target: now, label: `Upgrade ${node} to ${now}…` },
    };
  }
  if (CONTROL_PLANE_BEHIND.has(f.rule) && node && now) {
    return {
      severity,
      message,
      fix: `Finish ${node}'s control-plane upgrade to ${now}: Upgrade Node… runs \`sudo kubeadm upgrade node\` on ${node}, which rewrites its static Pod manifests at the cluster's version.`,
      action: { kind: 'upgradeNode', node, target: now, label: `Upgrade ${node} to ${now}…` },
    };
  }
  if (f.rule === 'upgrade-skips-minor' || f.rule === 'upgrade-target-older') {
    return { severity, message, fix: `Choose a target in the next minor after ${now ?? 'the running version'} (Kubeadm: Check Skew for Target Version…); upgrade one minor at a time.` };
  }
  if (f.rule === 'upgrade-needs-newer-kubeadm' && node) {
    return { severity, message, fix: `Nothing to do by hand: Upgrade Node… installs kubeadm ${t} on ${node} as its first step.` };
  }
  if (f.component === 'kube-proxy' && version && current && node) return kubeProxyResult(f.rule, node, message, version, current, target);
  return { severity, message, fix: `${node ? `On ${node}: ` : ''}${f.component}${f.version ? ` ${f.version}` : ''} — follow the upgrade order: one minor at a time, control planes first, kubelets within the supported skew.` };
}

/**
 * kube-proxy is a DaemonSet that `kubeadm upgrade apply` (first control plane) moves to the target with the control
 * plane ("Applies the new CoreDNS and kube-proxy manifests"). The version-skew policy allows it up to three minors
 * older than kube-apiserver and up to three minors older or newer than the kubelet beside it. So:
 *  - a kube-proxy older than the control plane (behind the apiserver, or behind its node's kubelet): the apply replaces
 *    it with the target's — no step of its own, a warning to check afterwards, never a blocker of the upgrade;
 *  - a kube-proxy at the control plane's version whose node's kubelet is far behind: the apply moves kube-proxy one
 *    minor further from that kubelet, so it blocks until that node's kubelet is upgraded (Upgrade Node…).
 */
function kubeProxyResult(rule: string, node: string, message: string, proxy: KubeVersion, current: KubeVersion, target: KubeVersion): SkewResult {
  const t = formatVersion(target);
  const now = formatVersion(current);
  if (rule === 'kube-proxy-kubelet-skew' && compareVersions(proxy, current) >= 0) {
    return {
      severity: 'blocker',
      message,
      fix:
        `Upgrade ${node}'s kubelet before the control plane moves to ${t}: kube-proxy is a DaemonSet that \`sudo kubeadm upgrade apply ${t}\` moves to ${t}, ` +
        `one more minor away from ${node}'s kubelet (the policy allows three). Right-click ${node} → Upgrade Node… to ${now}, which runs \`sudo kubeadm upgrade node\` on ${node}, ` +
        `then installs kubelet and kubectl ${now} and restarts the kubelet; a kubelet more than one minor behind moves one minor at a time.`,
      action: { kind: 'upgradeNode', node, target: now, label: `Upgrade ${node} to ${now}…` },
    };
  }
  return {
    severity: 'warning',
    message: `${message} The upgrade to ${t} cures this: \`kubeadm upgrade apply ${t}\` moves the kube-proxy DaemonSet to ${t}.`,
    fix:
      `No step of its own before the upgrade: \`sudo kubeadm upgrade apply ${t}\` on the first control plane moves the kube-proxy DaemonSet to ${t} and its pod on ${node} is replaced. ` +
      `Afterwards check that pod: \`kubectl -n kube-system get pods -l k8s-app=kube-proxy -o wide --field-selector spec.nodeName=${node}\`; if it still runs ${formatVersion(proxy)}, delete it and the DaemonSet makes a new one.`,
  };
}

/** The readiness result of one skew finding. */
export function skewCheckResult(f: Finding, target: KubeVersion, current: KubeVersion | undefined): CheckResult {
  const r = skewResult(f, target, current);
  return { id: 'skew-path', severity: r.severity, node: f.node, message: r.message, evidence: [`${f.component} ${f.version ?? ''} [${f.rule}]`], fix: r.fix, ...(r.action ? { action: r.action } : {}) };
}
