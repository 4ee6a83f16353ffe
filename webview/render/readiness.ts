// The Upgrade Readiness report: a summary banner, then results grouped by severity. Blockers and warnings are
// collapsibles holding the evidence and the fix (blockers open); info and ok are one line each. Theme classes only.
import type { ReadinessViewModel } from '../../src/core/readiness/viewModel';
import type { CheckResult, Severity } from '../../src/core/readiness/types';
import { attrs, button, codeText, disclosure, esc } from './html';

const TITLES: Record<Severity, string> = { blocker: 'Blockers', warning: 'Warnings', info: 'Information', ok: 'Passed' };
const BANNER: Record<Severity, string> = { blocker: 'error', warning: 'warning', info: 'ok', ok: 'ok' };

function detail(r: CheckResult, context: string | null): string {
  const evidence = r.evidence.length > 0 ? `<pre><code>${esc(r.evidence.join('\n'))}</code></pre>` : '';
  const fix = r.fix ? `<p class="fix"><strong>Fix:</strong> ${codeText(r.fix)}</p>` : '';
  const act = r.action
    ? `<div class="buttons fix-actions">${button(r.action.label, { action: 'upgrade', node: r.action.node, target: r.action.target, context }, { title: `Kubeadm: Upgrade Node… on ${r.action.node} to ${r.action.target} (asks before it changes anything)` })}</div>`
    : '';
  return `${evidence}${fix}${act}`;
}

/** The id, the node and the whole message: in its own case (never upper-cased), wrapped (never cut off). */
function heading(r: CheckResult): string {
  return `<span class="check-id">[${esc(r.id)}]</span>${r.node ? ` <strong>${esc(r.node)}</strong>` : ''}: ${esc(r.message)}`;
}

function item(r: CheckResult, context: string | null): string {
  const cls = `check ${r.severity}${r.notRun ? ' not-run' : ''}`;
  if (r.severity === 'blocker' || r.severity === 'warning') {
    return disclosure(heading(r), detail(r, context), { open: r.severity === 'blocker', attrs: { 'data-check': r.id, 'data-node': r.node, class: cls } });
  }
  // Info with a fix (a finding the upgrade cures says so) keeps it on the line.
  const fix = r.fix && r.severity === 'info' ? ` <span class="fix">${codeText(r.fix)}</span>` : '';
  return `<div${attrs({ 'data-check': r.id, 'data-node': r.node ?? null, class: cls })}><span class="muted">[${esc(r.id)}]${r.node ? ` ${esc(r.node)}` : ''}</span> ${esc(r.message)}${fix}</div>`;
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
    .map((g) => `<section${attrs({ class: `group ${g.severity}`, 'data-severity': g.severity })}><h2>${TITLES[g.severity]} (${g.results.length})</h2>${g.results.map((r) => item(r, v.context)).join('')}</section>`)
    .join('');
  return head + banner + groups;
}
