import type { ComponentName } from '../snapshot/model';
import { formatVersion, type KubeVersion } from '../version';
import type { SkewRule, Severity } from './rules';

/** One result of the skew check. A plain value: the CLI prints it as JSON, the tree renders it. */
export interface Finding {
  readonly severity: Severity;
  readonly component: ComponentName;
  /** null for cluster-wide findings. */
  readonly node: string | null;
  readonly version: string | null;
  readonly rule: string;
  readonly message: string;
  /**
   * Set when an upgrade in progress (kube-apiservers at two consecutive minors) causes this finding by design: the
   * severity is then lowered to info, and `text` says until when and why (see src/core/progress).
   */
  readonly expected?: { readonly until: readonly string[]; readonly text: string };
}

/** `version` is normalised (`v1.31.2`) when parsed, so JSON consumers never see an image reference there. */
export function finding(rule: SkewRule, node: string | null, version: KubeVersion | string | null, detail: string): Finding {
  return {
    severity: rule.severity,
    component: rule.component,
    node,
    version: version === null || typeof version === 'string' ? version : formatVersion(version),
    rule: rule.id,
    message: `${detail} Policy: "${rule.quote}"`,
  };
}

const ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function worstSeverity(findings: readonly Finding[]): Severity | undefined {
  return findings.reduce<Severity | undefined>(
    (worst, f) => (worst === undefined || ORDER[f.severity] < ORDER[worst] ? f.severity : worst),
    undefined,
  );
}

export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) => ORDER[a.severity] - ORDER[b.severity] || (a.node ?? '').localeCompare(b.node ?? '') || a.rule.localeCompare(b.rule),
  );
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}
