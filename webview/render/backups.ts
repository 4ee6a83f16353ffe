// The backups and recovery view as an HTML string (pure).
import type { Backup } from '../../src/core/backups/types';
import type { BackupRun, BackupsViewModel, NodeBackupsView } from '../../src/core/backups/viewModel';
import type { RecoverySituation } from '../../src/core/backups/situations';
import { ETCD_SNAPSHOTS_ANCHOR } from '../../src/core/backups/situations';
import type { RecoveryStep } from '../../src/core/backups/recovery';
import { stepKey } from '../../src/core/clusterPanel/protocol';
import { attrs, button, codeText, commandBlock, disclosure, esc, sizeText, table, text } from './html';
import { renderEtcdSnapshots } from './etcdSnapshots';

export function renderBackups(m: BackupsViewModel): string {
  return [
    `<header class="plan-header"><h1>Backups and recovery${m.context ? ` — ${esc(m.context)}` : ''}</h1>` +
      `<p class="source">kubeadm writes these under /etc/kubernetes/tmp on each control-plane node during an upgrade and never removes them.${m.at ? ` Read ${esc(m.at)}.` : ''}</p>` +
      `<div class="buttons">${button('Refresh', { action: 'refresh' }, { secondary: true })}</div></header>`,
    m.nothingYet ? nothingYet(m, m.nothingYet) : '',
    rollbackFacts(m),
    m.nodes.length === 0 ? '<section class="banner warning"><p>No control-plane node to read.</p></section>' : '',
    // Before any upgrade the banner says it once; no per-node "nothing here" repeated.
    ...(m.nothingYet ? [] : m.nodes.map((n) => nodeSection(m, n))),
    `<div id="${ETCD_SNAPSHOTS_ANCHOR}">${renderEtcdSnapshots(m)}</div>`,
  ].join('\n');
}

function nothingYet(m: BackupsViewModel, n: NonNullable<BackupsViewModel['nothingYet']>): string {
  const snapshot = n.snapshot
    ? `<h3>Before you start: an etcd snapshot</h3><p>kubeadm backs up the etcd data only when it upgrades etcd. A snapshot of your own, taken now on ${esc(n.snapshot.node)} — verified with etcdutl, copied off the node with its sha256 and recorded — is listed here and can restore the whole cluster state.</p>` +
      `<div class="buttons">${button('Snapshot etcd…', { action: 'snapshotEtcd', context: m.context, node: n.snapshot.node }, { title: 'Kubeadm: Snapshot etcd on this control plane' })}</div>`
    : '';
  return `<section class="banner info nothing-yet" data-nothing-yet="true"><h2>No backups yet</h2><p>${codeText(n.text)}</p>${snapshot}</section>`;
}

function rollbackFacts(m: BackupsViewModel): string {
  const list = (facts: BackupsViewModel['rolledBack']) => `<ul>${facts.map((f) => `<li><strong>${codeText(f.what)}</strong>: ${codeText(f.detail)}</li>`).join('')}</ul>`;
  return (
    `<vscode-collapsible heading="What kubeadm rolls back by itself, and what it does not" class="rollback">` +
    `<div class="facts"><h4>Rolled back automatically</h4>${list(m.rolledBack)}<h4>Not rolled back</h4>${list(m.notRolledBack)}</div></vscode-collapsible>`
  );
}

function nodeSection(m: BackupsViewModel, n: NodeBackupsView): string {
  const head = `<h2>${esc(n.node)}</h2>${lastUpgradeNote(n)}`;
  if (n.status === 'error') return `<section class="node" data-node="${esc(n.node)}">${head}<p class="note error">Cannot read the backups: ${esc(n.error)}</p></section>`;
  if (!n.tmpExists && n.runs.length === 0 && n.snapshots.length === 0) {
    return `<section class="node" data-node="${esc(n.node)}">${head}<p class="muted">No /etc/kubernetes/tmp on this node: kubeadm has not upgraded it (or the folder was removed).</p></section>`;
  }
  const runs = n.runs.length ? n.runs.map((r, i) => runSection(n, r, i === 0)).join('') : '<p class="muted">No kubeadm-backup-* folder on this node.</p>';
  const cleanup = n.cleanupCandidates.length
    ? `<div class="cleanup"><p>${n.cleanupCandidates.length} older backup folder(s) could be removed (kubeadm never removes them).</p>` +
      `<div class="buttons"><vscode-button${attrs({ 'data-action': 'cleanup', 'data-node': n.node, 'data-context': m.context, 'data-paths': JSON.stringify(n.cleanupCandidates), secondary: true })}>Remove old backups…</vscode-button></div></div>`
    : '';
  return `<section class="node" data-node="${esc(n.node)}">${head}${runs}${folderTable('Working copies', n.workingCopies)}${folderTable('etcd snapshots saved by this extension', n.snapshots)}${folderTable('Other', n.others)}${cleanup}</section>`;
}

function runSection(n: NodeBackupsView, r: BackupRun, open: boolean): string {
  const parts: string[] = [];
  if (r.manifests) {
    parts.push(
      `<h4>${esc(r.manifests.path)} <vscode-badge>${esc(sizeText(r.manifests.sizeKb))}</vscode-badge></h4>` +
        `<p>Manifests kubeadm replaced: ${esc(r.manifests.replacedComponents.join(', ') || 'none (empty folder)')}.</p>` +
        fileTable(r.manifests),
    );
  } else {
    parts.push('<p class="muted">No manifests backup for this run.</p>');
  }
  if (r.etcd) parts.push(`<h4>${esc(r.etcd.path)} <vscode-badge>${esc(sizeText(r.etcd.sizeKb))}</vscode-badge></h4>${r.etcd.files.length ? fileTable(r.etcd) : ''}`);
  parts.push(`<p class="note${r.etcd && r.etcd.etcdMember ? '' : ' warning'}">${codeText(r.etcdNote)}</p>`);
  if (r.logLines.length) {
    parts.push(`<h4>Created by (audit log)</h4><ul class="log-lines">${r.logLines.map((l) => `<li><span class="muted">line ${l.line}</span> <code>${esc(l.text)}</code></li>`).join('')}</ul>`);
  }
  parts.push(recoverySituations(n, r));
  const heading = `Upgrade run of ${r.time.date} ${r.time.time} (node time)`;
  return `<vscode-collapsible${attrs({ heading, open, class: 'run', 'data-run': r.id })}>${parts.join('')}</vscode-collapsible>`;
}

function fileTable(b: Backup): string {
  return table(
    'files',
    ['File', 'Size'],
    b.files.filter((f) => !f.directory || f.path === 'etcd/member').map((f) => ({ cells: [text(f.path), text(sizeText(f.sizeKb))] })),
    `Files in ${b.name}`,
  );
}

function folderTable(title: string, backups: readonly Backup[]): string {
  if (backups.length === 0) return '';
  const when = (b: Backup) => (b.time ? `${b.time.date} ${b.time.time}` : b.mtime !== null ? new Date(b.mtime * 1000).toISOString().replace('T', ' ').slice(0, 19) + ' UTC' : '?');
  return (
    `<h3>${esc(title)}</h3>` +
    table('folders', ['Folder', 'When', 'Size', 'Files'], backups.map((b) => ({ cells: [text(b.path), text(when(b)), text(sizeText(b.sizeKb)), text(b.files.filter((f) => !f.directory).map((f) => f.path).join(', '))] })), title)
  );
}

/** What the audit log already knows, said before any recovery step. */
function lastUpgradeNote(n: NodeBackupsView): string {
  const last = n.lastUpgrade;
  if (!last) return '';
  const cls = last.outcome === 'succeeded' ? 'ok' : 'warning';
  return `<p class="note last-upgrade ${cls}" data-last-upgrade="${esc(last.outcome)}">${codeText(last.text)}</p>`;
}

/**
 * The recovery steps of one run as situations, each its own short procedure (numbered within itself), closed until
 * the admin opens the one that matches: never one list that reads as "do 1 to 10".
 */
function recoverySituations(n: NodeBackupsView, r: BackupRun): string {
  const byId = new Map(r.steps.map((s) => [s.id, s]));
  const groups = (r.situations ?? []).map((g) => situation(n, r, g, byId)).join('');
  return (
    `<h4>Recovery: which situation are you in?</h4>` +
    `<p class="muted">Each situation below is a separate procedure. Open only the one that matches what you see; do not run them one after another.</p>` +
    `<div class="situations">${groups}</div>`
  );
}

function situation(n: NodeBackupsView, r: BackupRun, g: RecoverySituation, byId: ReadonlyMap<string, RecoveryStep>): string {
  const steps = g.steps.map((id) => byId.get(id)).filter((s): s is RecoveryStep => s !== undefined);
  const list = steps.length
    ? `<ol class="steps">${steps.map((s) => stepItem(n, r, s)).join('')}</ol>`
    : '<p class="muted">No step for this situation can be filled in from this run\'s backups.</p>';
  const instead = g.instead
    .map((alt) => {
      const s = byId.get(alt.step);
      const of = steps.findIndex((x) => x.id === alt.insteadOf);
      if (!s) return '';
      return `<div class="instead"><p><strong>Or, instead of step ${of + 1}</strong> — ${codeText(alt.when)}:</p><ul class="steps">${stepItem(n, r, s)}</ul></div>`;
    })
    .join('');
  const pointer = g.pointer ? `<p class="note pointer">${codeText(g.pointer)} <a href="#${ETCD_SNAPSHOTS_ANCHOR}">Go to etcd snapshots</a></p>` : '';
  const body = `<p class="signs">${codeText(g.signs)}</p>${pointer}${list}${instead}`;
  return disclosure(esc(g.title), body, { attrs: { class: 'situation', 'data-situation': g.id } });
}

function stepItem(n: NodeBackupsView, r: BackupRun, s: RecoveryStep): string {
  return (
    `<li class="step ${esc(s.danger)}" data-step="${esc(s.id)}"><div class="step-title">${codeText(s.title)}${s.danger === 'restore' ? ' <vscode-badge>changes the node</vscode-badge>' : ''}</div>` +
    `<p>${codeText(s.why)}</p>${s.command ? commandBlock(s.command, { node: n.node, danger: s.danger, step: stepKey(n.node, r.id, s.id) }) : ''}</li>`
  );
}
