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
export function readinessProblems(contextName: string, report: ReadinessReport): { text: string; problems: ReadinessProblem[] } {
  const lines = [`Upgrade Readiness for ${report.target} — ${contextName} (${report.generatedAt})`, ''];
  const problems: ReadinessProblem[] = [];
  for (const c of report.checks) {
    if (c.severity !== 'blocker' && c.severity !== 'warning' && !c.notRun) continue;
    lines.push(`${c.severity}${c.notRun ? ' (not run)' : ''} ${c.id}${c.node ? ` ${c.node}` : ''}: ${c.notRun ?? c.message}${c.fix ? ` Fix: ${c.fix}` : ''}`);
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
