// The Upgrade Readiness report: a summary banner, then results grouped by severity. Blockers and warnings are
// collapsibles holding the evidence and the fix (blockers open); info and ok are one line each. Theme classes only.
import type { ReadinessViewModel } from '../../src/core/readiness/viewModel';
import type { CheckResult, Severity } from '../../src/core/readiness/types';
import { attrs, button, esc } from './html';

const TITLES: Record<Severity, string> = { blocker: 'Blockers', warning: 'Warnings', info: 'Information', ok: 'Passed' };
const BANNER: Record<Severity, string> = { blocker: 'error', warning: 'warning', info: 'ok', ok: 'ok' };

function detail(r: CheckResult): string {
  const evidence = r.evidence.length > 0 ? `<pre><code>${esc(r.evidence.join('\n'))}</code></pre>` : '';
  const fix = r.fix ? `<p class="fix"><strong>Fix:</strong> ${esc(r.fix)}</p>` : '';
  return `${evidence}${fix}`;
}

function heading(r: CheckResult): string {
  return `[${r.id}]${r.node ? ` ${r.node}` : ''}: ${r.message}`;
}

function item(r: CheckResult): string {
  const data = attrs({ 'data-check': r.id, 'data-node': r.node ?? null, class: `check ${r.severity}${r.notRun ? ' not-run' : ''}` });
  if (r.severity === 'blocker' || r.severity === 'warning') {
    return `<div${data}><vscode-collapsible${attrs({ heading: heading(r), open: r.severity === 'blocker' })}>${detail(r)}</vscode-collapsible></div>`;
  }
  return `<div${data}><span class="muted">[${esc(r.id)}]${r.node ? ` ${esc(r.node)}` : ''}</span> ${esc(r.message)}</div>`;
}

export function renderReadiness(v: ReadinessViewModel): string {
  const worst: Severity = v.counts.blocker > 0 ? 'blocker' : v.counts.warning > 0 ? 'warning' : 'ok';
  const head =
    `<h1>Upgrade Readiness${v.context ? `: ${esc(v.context)}` : ''} → ${esc(v.target)}</h1>` +
    `<div class="buttons">${button(v.running ? 'Running…' : 'Re-run', { action: 'refresh' }, { title: 'Run every check again' })}</div>`;
  if (v.error) return `${head}<div class="banner error"><h2>Could not check the cluster</h2><p>${esc(v.error)}</p></div>`;
  if (v.running && v.groups.length === 0) return `${head}<p><vscode-progress-ring></vscode-progress-ring> Running the checks…</p>`;
  const c = v.counts;
  const banner =
    `<div class="banner ${BANNER[worst]}" id="readiness-summary"><h2>${c.blocker > 0 ? `${c.blocker} blocker(s): do not upgrade yet` : c.warning > 0 ? 'No blockers; read the warnings' : 'Ready to upgrade'}</h2>` +
    `<p>${c.blocker} blocker(s) · ${c.warning} warning(s) · ${c.info} info · ${c.ok} passed${v.generatedAt ? ` <span class="muted">(checked ${esc(v.generatedAt)})</span>` : ''}</p></div>`;
  const groups = v.groups
    .map((g) => `<section${attrs({ class: `group ${g.severity}`, 'data-severity': g.severity })}><h2>${TITLES[g.severity]} (${g.results.length})</h2>${g.results.map(item).join('')}</section>`)
    .join('');
  return head + banner + groups;
}
