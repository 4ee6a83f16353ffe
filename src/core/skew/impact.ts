import { apiserverRange, RULES, sortFindings } from './index';
import { allViolations, enforceVersionPolicies, kubeletWindow, kubeletsFirst } from './policy';
import type { ClusterSnapshot } from '../snapshot/model';
import { compareVersions, formatVersion, parseVersion } from '../version';

export type KubeletAction = 'before' | 'after' | 'current' | 'unknown';

export interface SkewNodeRow {
  readonly node: string;
  readonly controlPlane: boolean;
  readonly kubelet: string | null;
  /**
   * before: must be upgraded before the control plane moves to the target (the skew engine says it would fall out
   * of the supported window); after: upgrade after the control plane, as usual; current: already at the target.
   */
  readonly action: KubeletAction;
  readonly messages: readonly string[];
}

export interface SkewFindingRow {
  readonly severity: 'error' | 'warning' | 'info';
  readonly node: string | null;
  readonly rule: string;
  readonly message: string;
}

export interface SkewImpact {
  readonly target: string;
  readonly nodes: readonly SkewNodeRow[];
  /** Upgrade-path findings for this target (skipped minor, downgrade, kubeadm too old, kubelets blocking). */
  readonly findings: readonly SkewFindingRow[];
  /** Nodes whose kubelet must be upgraded before the control plane goes to the target. */
  readonly mustUpgradeFirst: readonly string[];
}

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
