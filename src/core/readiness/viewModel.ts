import { countBySeverity } from './report';
import type { CheckResult, ReadinessReport, Severity } from './types';

/** The readiness webview's model: results grouped by severity (blockers first), or a "running" state. */
export interface ReadinessViewModel {
  readonly kind: 'readiness';
  readonly context: string | null;
  readonly target: string;
  readonly running: boolean;
  readonly generatedAt: string | null;
  readonly counts: Record<Severity, number>;
  readonly groups: readonly { readonly severity: Severity; readonly results: readonly CheckResult[] }[];
  /** Set when the report could not be made at all (no cluster access). */
  readonly error: string | null;
}

const ORDER: readonly Severity[] = ['blocker', 'warning', 'info', 'ok'];

export function readinessViewModel(context: string | null, target: string, report: ReadinessReport | null, running = false, error: string | null = null): ReadinessViewModel {
  const empty: Record<Severity, number> = { ok: 0, info: 0, warning: 0, blocker: 0 };
  return {
    kind: 'readiness',
    context,
    target,
    running,
    generatedAt: report?.generatedAt ?? null,
    counts: report ? countBySeverity(report) : empty,
    groups: report ? ORDER.map((severity) => ({ severity, results: report.checks.filter((r) => r.severity === severity) })).filter((g) => g.results.length > 0) : [],
    error,
  };
}
