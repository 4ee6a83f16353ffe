import { evaluateSkew } from '../skew';
import type { ClusterSnapshot } from '../snapshot/model';
import { maxNodeSkew } from '../skew/rules';
import { compareVersions, formatVersion, minorDiff, parseVersion } from '../version';
import type { KubeletAction, SkewFindingRow, SkewImpact, SkewNodeRow } from './model';

// Rules that mean "this kubelet must move before the control plane does".
const BEFORE_RULES = new Set(['upgrade-kubelet-becomes-unsupported', 'upgrade-blocked-by-old-kubelets']);

/**
 * The skew engine's view of one target: every node's kubelet and what has to happen to it, plus the upgrade-path
 * findings (the rules whose id starts with `upgrade-`, which exist only because a target was given).
 */
export function skewImpact(snapshot: ClusterSnapshot, target: string): SkewImpact {
  const pathFindings = evaluateSkew(snapshot, { target }).filter((f) => f.rule.startsWith('upgrade-'));
  const findings: SkewFindingRow[] = pathFindings.map((f) => ({ severity: f.severity, node: f.node, rule: f.rule, message: f.message }));
  const t = parseVersion(target);
  const nodes: SkewNodeRow[] = snapshot.nodes.map((n) => {
    const own = pathFindings.filter((f) => f.node === n.name && f.component === 'kubelet');
    const kubelet = n.kubelet?.version;
    const messages = own.map((f) => f.message);
    let action: KubeletAction = 'unknown';
    if (own.some((f) => BEFORE_RULES.has(f.rule))) action = 'before';
    else if (kubelet && t && -minorDiff(kubelet, t) > maxNodeSkew(kubelet)) {
      // Already out of the window today (the current-state rules report it): it stays unsupported at the target.
      action = 'before';
      messages.push(`kubelet ${formatVersion(kubelet)} is ${-minorDiff(kubelet, t)} minors behind ${formatVersion(t)} (at most ${maxNodeSkew(kubelet)}): it is unsupported now and stays so; upgrade it first.`);
    } else if (kubelet && t) action = compareVersions(kubelet, t) >= 0 ? 'current' : 'after';
    return { node: n.name, controlPlane: n.controlPlane, kubelet: kubelet ? formatVersion(kubelet) : null, action, messages };
  });
  return { target, nodes, findings, mustUpgradeFirst: nodes.filter((n) => n.action === 'before').map((n) => n.node) };
}
