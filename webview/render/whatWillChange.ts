// The plan view's "What will change" section (pure HTML string): per control plane, kubeadm's own diff to the target.
import type { WhatWillChange } from '../../src/core/clusterPanel/model';
import type { ManifestChange } from '../../src/core/manifestDiff/compare';
import type { NodeDiffOutcome } from '../../src/core/manifestDiff/forNode';
import type { UpgradeDiff } from '../../src/core/manifestDiff/upgradeDiff';
import { codeText, esc, table, text, type Cell } from './html';

const flag = (f: { name: string; value?: string }) => `--${f.name}${f.value ? `=${f.value}` : ''}`;

export function renderWhatWillChange(w: WhatWillChange | null | undefined): string {
  if (!w) return '';
  const intro = `<p class="muted">From <code>kubeadm upgrade diff ${esc(w.target)}</code> on each control plane${w.patchesDir ? `, with the patches in <code>${esc(w.patchesDir)}</code>` : ''}: what <code>kubeadm upgrade apply/node</code> writes into its static Pod manifests, and the hand edits it erases.</p>`;
  const body = w.running ? '<p class="running"><vscode-progress-ring></vscode-progress-ring> Running kubeadm upgrade diff on the control planes…</p>' : w.nodes.map(nodeSection).join('');
  return `<section class="what-will-change" data-running="${w.running}" data-target="${esc(w.target)}"><h2>What will change</h2>${intro}${body}</section>`;
}

function nodeSection(o: NodeDiffOutcome): string {
  if (o.kind === 'notRun') {
    return `<div class="wwc-node" data-node="${esc(o.node)}" data-state="notRun"><h3>${esc(o.node)}</h3><div class="note warning"><strong>Could not run:</strong> ${esc(o.reason)}<div class="fix">What to do: ${codeText(o.fix)}</div></div></div>`;
  }
  const d = o.diff;
  return `<div class="wwc-node" data-node="${esc(o.node)}" data-state="diff"><h3>${esc(o.node)} <span class="muted">${esc(d.current)} → ${esc(d.target)}</span></h3>${patchesUsed(d)}${changes(d)}${lost(d)}${kept(d)}${errors(d)}</div>`;
}

function changeRows(c: ManifestChange): { cells: Cell[]; className?: string }[] {
  const row = (what: string, from: string, to: string, className: string) => ({ cells: [text(c.component), text(what), text(from, 'wrap'), text(to, 'wrap')], className });
  return [
    ...(c.image ? [row('image', c.image.from, c.image.to, 'image')] : []),
    ...c.flags.added.map((f) => row('flag added', '', flag(f), 'added')),
    ...c.flags.removed.map((f) => row('flag removed', flag(f), '', 'removed')),
    ...c.flags.changed.map((f) => row('flag changed', `--${f.name}=${f.from}`, `--${f.name}=${f.to}`, 'changed')),
    ...c.volumes.added.map((v) => row('volume added', '', v, 'added')),
    ...c.volumes.removed.map((v) => row('volume removed', v, '', 'removed')),
    ...[...c.other, ...c.rawLines].map((x) => row('other', x, '', 'other')),
  ];
}

function changes(d: UpgradeDiff): string {
  if (d.changes.length === 0) return '<p class="muted">No static Pod manifest changes.</p>';
  return table('manifest-changes', ['Manifest', 'Change', 'Now', 'After the upgrade'], d.changes.flatMap(changeRows), `What kubeadm writes on ${d.node}`);
}

function lost(d: UpgradeDiff): string {
  if (d.lost.length === 0) return '<p class="note ok" data-lost="0">Will be lost: nothing (the manifests are what kubeadm writes at the current version).</p>';
  const rows = d.lost.map((l) => ({ cells: [text(l.file, 'wrap'), text(l.text, 'wrap'), text(l.becomes || '(regenerated)', 'wrap')], className: 'lost' }));
  return (
    `<div class="note error" data-lost="${d.lost.length}"><strong>Will be lost: ${d.lost.length} hand edit(s)</strong> that kubeadm regenerates away. ` +
    'Move each into the ClusterConfiguration (<code>extraArgs</code>, <code>extraVolumes</code>) or into a patches folder (setting kubeadm.upgrade.patchesDir).</div>' +
    `<vscode-collapsible heading="${esc(`Will be lost on ${d.node} (${d.lost.length})`)}" class="lost"${d.lost.length <= 10 ? ' open' : ''}>${table('lost', ['File', 'Now', 'kubeadm writes'], rows, `Hand edits lost on ${d.node}`)}</vscode-collapsible>`
  );
}

/** Which patches folder the diff (and the upgrade) uses on this node, and where it was named. */
function patchesUsed(d: UpgradeDiff): string {
  if (!d.patches) return '';
  const files = d.patches.files.length ? d.patches.files.map((f) => `<code>${esc(f)}</code>`).join(', ') : 'none for these manifests';
  return `<p class="muted patches" data-patches="${esc(d.patches.dir)}">Patches: <code>${esc(d.patches.dir)}</code>${d.patches.source ? `, named by ${esc(d.patches.source)}` : ''} (${files}); Upgrade Node/Cluster pass it to <code>kubeadm upgrade</code> as <code>--patches</code>.</p>`;
}

function kept(d: UpgradeDiff): string {
  if (d.keptByPatches.length === 0) return '';
  return `<p class="note ok" data-kept="${d.keptByPatches.length}">Kept by the patches in <code>${esc(d.patches?.dir ?? '')}</code>: ${d.keptByPatches.map((l) => `<code>${esc(l.text)}</code>`).join(', ')}</p>`;
}

function errors(d: UpgradeDiff): string {
  return d.errors.length ? `<ul class="diagnostics">${d.errors.map((e) => `<li class="diag error">kubeadm: ${esc(e)}</li>`).join('')}</ul>` : '';
}
