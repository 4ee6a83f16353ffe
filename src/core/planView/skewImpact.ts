import { apiserverRange, RULES, sortFindings } from '../skew';
import { allViolations, enforceVersionPolicies, kubeletWindow, kubeletsFirst } from '../skew/policy';
import type { ClusterSnapshot } from '../snapshot/model';
import { compareVersions, formatVersion, parseVersion } from '../version';
import type { KubeletAction, SkewFindingRow, SkewImpact, SkewNodeRow } from './model';

/**
 * The skew engine's view of one target: every node's kubelet and what has to happen to it, plus the upgrade-path
 * upgrade policy's findings for that target (an unparseable target is the caller's error, not a row).
 */
export function skewImpact(snapshot: ClusterSnapshot, target: string): SkewImpact {
  const range = apiserverRange(snapshot);
  const policy = range ? enforceVersionPolicies(snapshot, range, target) : undefined;
  const pathFindings = policy ? sortFindings(allViolations(policy)).filter((f) => f.rule !== RULES.versionUnknown.id) : [];
  const findings: SkewFindingRow[] = pathFindings.map((f) => ({ severity: f.severity, node: f.node, rule: f.rule, message: f.message }));
  // The upgrade policy's own list of kubelets that must move before the control plane does.
  const first = new Set(policy ? kubeletsFirst(policy) : []);
  const t = parseVersion(target);
  const nodes: SkewNodeRow[] = snapshot.nodes.map((n) => {
    const own = pathFindings.filter((f) => f.node === n.name && f.component === 'kubelet');
    const kubelet = n.kubelet?.version;
    const messages = own.map((f) => f.message);
    let action: KubeletAction = 'unknown';
    const window = kubelet && t ? kubeletWindow(kubelet, t) : undefined;
    if (own.some((f) => first.has(f))) action = 'before';
    else if (kubelet && t && window?.outside) {
      // Already out of the window today (the current-state rules report it): it stays unsupported at the target.
      action = 'before';
      messages.push(`kubelet ${formatVersion(kubelet)} is ${window.behind} minors behind ${formatVersion(t)} (at most ${window.allowed}): it is unsupported now and stays so; upgrade it first.`);
    } else if (kubelet && t) action = compareVersions(kubelet, t) >= 0 ? 'current' : 'after';
    return { node: n.name, controlPlane: n.controlPlane, kubelet: kubelet ? formatVersion(kubelet) : null, action, messages };
  });
  return { target, nodes, findings, mustUpgradeFirst: nodes.filter((n) => n.action === 'before').map((n) => n.node) };
}
