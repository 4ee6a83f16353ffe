import type { ReadinessReport } from './types';

export interface ReadinessProblem {
  /** Line of the page text the problem points at. */
  readonly line: number;
  readonly severity: 'error' | 'warning';
  readonly code: string;
  readonly message: string;
}

/**
 * What the Problems panel shows for a readiness report: blockers as errors, warnings and checks that could not run as
 * warnings (a check that did not run is never silent), each pointing at its line of a plain-text page.
 */
export function readinessProblems(contextName: string, report: ReadinessReport, shownAsSkew: (node: string | null, rule: string) => boolean = () => false): { text: string; problems: ReadinessProblem[] } {
  const lines = [`Upgrade Readiness for ${report.target} — ${contextName} (${report.generatedAt})`, ''];
  const problems: ReadinessProblem[] = [];
  for (const c of report.checks) {
    if (c.severity !== 'blocker' && c.severity !== 'warning' && !c.notRun) continue;
    // A skew finding of the cluster as it is is already a `kubeadm skew` problem: listed on this page, counted once.
    const rule = c.id === 'skew-path' && !c.notRun ? skewRule(c.evidence) : undefined;
    const counted = rule !== undefined && shownAsSkew(c.node, rule);
    lines.push(`${c.severity}${c.notRun ? ' (not run)' : ''} ${c.id}${c.node ? ` ${c.node}` : ''}: ${c.notRun ?? c.message}${c.fix ? ` Fix: ${c.fix}` : ''}${counted ? ` (Also a kubeadm skew problem [${rule}]: counted there.)` : ''}`);
    if (counted) continue;
    problems.push({
      line: lines.length - 1,
      severity: c.severity === 'blocker' ? 'error' : 'warning',
      code: c.id,
      message: `${c.node ? `${c.node}: ` : ''}${c.notRun ? `could not run: ${c.notRun}` : c.message}`,
    });
  }
  if (problems.length === 0) lines.push('No blocker, no warning.');
  return { text: lines.join('\n') + '\n', problems };
}

/** The skew rule a `skew-path` result is about: its evidence ends with `[rule]` (skewFix.ts). */
function skewRule(evidence: readonly string[]): string | undefined {
  for (const e of evidence) {
    const m = /\[([a-z0-9-]+)\]$/.exec(e);
    if (m) return m[1];
  }
  return undefined;
}
