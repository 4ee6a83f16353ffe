// The Cluster Upgrade view: one row per node (queued / step i of n / done / failed, live line, duration), the batches
// with their PDB impact, the plan before the run, the verification report after it, and the recovery steps on a
// failure. Pure string rendering: the host renders and posts the HTML; everything from the model goes through esc().
import type { ClusterRunState, ClusterNodeState } from '../../src/core/clusterUpgrade/state';
import type { VerificationReport } from '../../src/core/clusterUpgrade/verify';
import { formatVersion } from '../../src/core/version';
import { failedNode, stopSentence } from '../../src/core/clusterUpgrade/stopSentence';
import { esc } from './html';

export interface ClusterViewModel {
  readonly run: ClusterRunState;
  /** The whole plan as text, shown before the run and kept for reference. */
  readonly planText?: string;
  /** The last lines of each running node's current step. */
  readonly output: Readonly<Record<string, string>>;
  /** Whether this window runs it now (Pause/Cancel), or it stopped (Resume). */
  readonly active: boolean;
  readonly now: number;
  /** Set when the run's context reaches another cluster now: the view is marked stale and offers no Resume. */
  readonly otherCluster?: string;
}

const ICON: Record<ClusterNodeState['status'], string> = { queued: '○', running: '◐', done: '✔', failed: '✖', skipped: '–', cancelled: '■' };

export function renderClusterUpgrade(m: ClusterViewModel): string {
  const r = m.run;
  const done = r.nodes.filter((n) => n.status === 'done' || n.status === 'skipped').length;
  const parts = [
    `<h1>Upgrade Cluster ${esc(r.cluster)} → ${esc(formatVersion(r.target))}</h1>`,
    ...(m.otherCluster ? [`<section class="warn other-cluster" id="other-cluster" data-other-cluster="true"><h2>Another cluster now</h2><p>${esc(m.otherCluster)}</p></section>`] : []),
    `<p class="status status-${esc(r.status)}" id="overall">${esc(`${done}/${r.nodes.length} nodes done · ${r.status}`)}${stopSentence(r) ? ` — ${esc(stopSentence(r)!)}` : ''}</p>`,
    m.otherCluster ? '' : buttons(m),
    `<table id="nodes"><thead><tr><th></th><th>Node</th><th>Role</th><th>Batch</th><th>Progress</th><th>Duration</th><th>Now</th></tr></thead><tbody>`,
    ...r.nodes.map((n) => row(n, m)),
    '</tbody></table>',
  ];
  if (r.etcdSnapshot) parts.push(`<p>etcd snapshot of ${esc(r.etcdSnapshot.node)}, saved on this machine: <code>${esc(r.etcdSnapshot.path)}</code> (sha256 ${esc(r.etcdSnapshot.sha256)})</p>`);
  else if (r.skipSnapshot) parts.push('<p class="warn">etcd snapshot skipped (audited).</p>');
  for (const note of r.readinessNotes) parts.push(`<p class="info">${esc(note)}</p>`);
  if (r.recovery?.length) parts.push('<h2>Recovery</h2><ol id="recovery">' + r.recovery.map((s) => `<li>${esc(s)}</li>`).join('') + '</ol>');
  if (r.verification) parts.push(renderReport(r.verification));
  for (const [node, text] of Object.entries(m.output)) {
    if (text) parts.push(`<details class="output"><summary>${esc(node)}: live output</summary><pre>${esc(text)}</pre></details>`);
  }
  if (m.planText) parts.push(`<details ${r.status === 'planned' ? 'open' : ''}><summary>The plan</summary><pre id="plan">${esc(m.planText)}</pre></details>`);
  return parts.join('\n');
}

function buttons(m: ClusterViewModel): string {
  const b = (action: string, label: string) => `<button data-action="${action}">${label}</button>`;
  const s = m.run.status;
  if (m.active && s === 'running') return `<p class="buttons">${b('pause', 'Pause')} ${b('cancel', 'Cancel')}</p>`;
  if (m.active && s === 'paused') return `<p class="buttons">${b('continue', 'Continue')} ${b('cancel', 'Cancel')}</p>`;
  if (!m.active && (s === 'failed' || s === 'cancelled' || s === 'paused' || s === 'running')) {
    // The failure's pages stay one click away after its notification is gone.
    const failed = failedNode(m.run);
    const pages = failed?.runId ? ` ${b('what-happened', `What Happened (${esc(failed.name)})`)} ${b('recovery-steps', `Recovery Steps (${esc(failed.name)})`)}` : '';
    return `<p class="buttons">${b('resume', 'Resume')}${pages}</p>`;
  }
  if (m.run.verification) return `<p class="buttons">${b('copy-report', 'Copy Report (JSON)')}</p>`;
  return '';
}

function row(n: ClusterNodeState, m: ClusterViewModel): string {
  const progress =
    n.status === 'running' && n.step ? `step ${n.step.index} of ${n.step.total}: ${n.step.title}` : n.status === 'skipped' ? n.skipReason ?? 'skipped' : n.status === 'failed' ? `failed${n.step ? ` at step ${n.step.index} of ${n.step.total}: ${n.step.title}` : ''}` : n.status;
  const start = n.startedAt ? Date.parse(n.startedAt) : undefined;
  const end = n.endedAt && n.status !== 'running' ? Date.parse(n.endedAt) : m.now;
  const duration = start ? `${Math.max(0, Math.round((end - start) / 1000))} s` : '';
  const role = n.stage === 'first-control-plane' ? 'first control plane (apply)' : n.stage === 'control-plane' ? 'control plane' : 'worker';
  const now = n.status === 'failed' ? n.error ?? '' : n.detail ?? '';
  return `<tr class="node node-${esc(n.status)}" data-node="${esc(n.name)}"><td>${ICON[n.status]}</td><td>${esc(n.name)}</td><td>${esc(role)}</td><td>${n.batch ?? ''}</td><td>${esc(progress)}</td><td>${esc(duration)}</td><td>${esc(now)}</td></tr>`;
}

export function renderReport(v: VerificationReport): string {
  const rows = [...v.checks]
    .sort((a, b) => order(a.status) - order(b.status))
    .map((c) => `<tr class="check check-${esc(c.status)}"><td>${esc(c.status)}</td><td>${esc(c.id)}</td><td>${esc(c.subject)}</td><td>${esc(c.message)}</td></tr>`);
  return (
    `<h2 id="report">Verification: ${v.passed ? 'passed' : 'NOT passed'}</h2><p>${esc(v.cluster)} at ${esc(v.target)}, ${esc(v.at)}</p>` +
    `<table><thead><tr><th>Result</th><th>Check</th><th>Subject</th><th>Detail</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
  );
}

function order(s: string): number {
  return ['fail', 'pending', 'pass', 'info'].indexOf(s);
}
