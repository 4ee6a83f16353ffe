// Recovery steps grouped by situation (each its own short procedure), what the audit log already knows said first,
// no primary button on a step that changes the node, sudo on every root command, long commands wrapped.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lastUpgrade } from '../../../src/core/backups/audit';
import { parseListing } from '../../../src/core/backups/listing';
import { backupsViewModel } from '../../../src/core/backups/viewModel';
import { PAGE_CSS } from '../../../webview/styles';
import { renderBackups } from '../../../webview/render/backups';

const T = '/etc/kubernetes/tmp';
const M = `${T}/kubeadm-backup-manifests-2026-12-02-05-30-10`;
const E = `${T}/kubeadm-backup-etcd-2026-12-02-05-30-10`;
// A manifests folder and an etcd folder holding etcd/member, as the node's listing command prints them.
const folder = (dir: string, files: readonly [string, number][], dirs: readonly string[]) => [
  `#entry 1764653410 ${dir}`,
  ...files.map(([f, kb]) => `${kb}\t${dir}${f ? `/${f}` : ''}`),
  ...dirs.map((d) => `#d ${dir}${d ? `/${d}` : ''}`),
];
const listing = parseListing(
  [
    `#base ${T}`,
    ...folder(M, [['kube-apiserver.yaml', 4], ['etcd.yaml', 4], ['', 8]], ['']),
    ...folder(E, [['etcd/member/snap/db', 20480], ['etcd/member', 20484], ['etcd', 20488], ['', 20492]], ['', 'etcd', 'etcd/member']),
    '#nobase /var/lib/kubeadm-upgrade/etcd-snapshots',
    '#end',
  ].join('\n'),
);
const apply = (exitCode: number | null, time = '2026-12-02T05:30:00.000Z') => ({ time, node: 'cp-1', command: 'sudo kubeadm upgrade apply --yes v1.36.3', durationMs: 40_000, exitCode });
const model = (entries: ReturnType<typeof apply>[] | null, etcdExternal = false) =>
  backupsViewModel('prod', [{ node: 'cp-1', listing, etcdExternal, currentVersion: 'v1.35.4', targetVersion: null, auditLog: null, auditEntries: entries }]);

describe('recovery situations', () => {
  const run = model([apply(1)]).nodes[0]!.runs[0]!;
  const byId = Object.fromEntries(run.situations.map((s) => [s.id, s]));

  it('three situations, each a procedure of its own', () => {
    assert.deepEqual(run.situations.map((s) => s.title), ['kubeadm upgrade failed and did not roll back', 'The control plane is broken after the upgrade', 'etcd is broken']);
    assert.deepEqual(byId['apply-not-rolled-back']!.steps, ['rerun', 'verify-pods', 'verify-nodes']);
    assert.deepEqual(byId['control-plane-broken']!.steps, ['verify-pods', 'restore-manifests', 'verify-pods', 'verify-nodes']);
    assert.deepEqual(byId['control-plane-broken']!.instead, [{ step: 'force', insteadOf: 'restore-manifests', when: 'To keep the version the cluster runs now rather than go back' }]);
    assert.deepEqual(byId['etcd-broken']!.steps, ['etcd-stop-kubelet', 'etcd-stop-etcd', 'etcd-move-aside', 'etcd-restore', 'etcd-start-kubelet', 'verify-pods', 'verify-nodes']);
    // No situation mixes re-running with restoring: the alternatives the docs list never form one sequence.
    for (const s of run.situations) assert.ok(!(s.steps.includes('rerun') && s.steps.some((id) => id.startsWith('restore') || id.startsWith('etcd-'))), s.id);
  });
  it('every step id a situation names is a step of the run', () => {
    const ids = new Set(run.steps.map((s) => s.id));
    for (const s of run.situations) for (const id of [...s.steps, ...s.instead.map((i) => i.step)]) assert.ok(ids.has(id), `${s.id}: ${id}`);
  });
  it('etcd is broken: points to the snapshot restore procedure rather than repeating it', () => {
    assert.match(byId['etcd-broken']!.pointer!, /etcd snapshots \(local copies\)/);
    const html = renderBackups(model([apply(1)]));
    assert.match(html, /<a href="#etcd-snapshots">Go to etcd snapshots<\/a>/);
    assert.match(html, /<div id="etcd-snapshots"><section class="etcd-snapshots">/);
  });
  it('external etcd: the etcd situation says there is nothing to restore here', () => {
    const ext = model([apply(1)], true).nodes[0]!.runs[0]!.situations.find((s) => s.id === 'etcd-broken')!;
    assert.deepEqual(ext.steps, ['etcd-external']);
    assert.equal(ext.pointer, null);
  });
  it('every command that needs root has sudo, in each part of a pipeline or chain', () => {
    for (const s of run.steps) {
      if (!s.command) continue;
      for (const part of s.command.split(/\s*(?:&&|\|)\s*/)) {
        const word = part.replace(/^xargs -r /, '').split(' ')[0];
        assert.equal(word, 'sudo', `${s.id}: ${part}`);
      }
    }
  });
});

describe('what the audit log already knows, said first', () => {
  it('a successful last upgrade: you probably need none of this', () => {
    const m = model([apply(1, '2026-12-01T10:00:00.000Z'), apply(0, '2026-12-02T05:30:00.000Z')]);
    const last = m.nodes[0]!.lastUpgrade!;
    assert.equal(last.outcome, 'succeeded');
    assert.equal(last.text, 'The last upgrade of cp-1 succeeded: `kubeadm upgrade apply --yes v1.36.3` ended with exit code 0 at 2026-12-02 05:30:00 UTC (audit log). If its control plane is healthy now, you probably need none of this.');
    const html = renderBackups(m);
    const note = html.indexOf('data-last-upgrade="succeeded"');
    assert.ok(note > 0 && note < html.indexOf('data-situation='), 'said before any recovery step');
  });
  it('a failed or lost one says so and asks to pick the matching situation', () => {
    assert.match(lastUpgrade([apply(1)], 'cp-1')!.text, /^The last upgrade of cp-1 failed with exit code 1: .* Pick the situation below/);
    assert.match(lastUpgrade([apply(null)], 'cp-1')!.text, /ended without an exit status/);
    assert.equal(lastUpgrade([apply(0)], 'cp-2'), null, 'another node');
    assert.equal(lastUpgrade(null, 'cp-1'), null);
  });
});

describe('the grouped page', () => {
  const html = renderBackups(model([apply(0)]));
  it('no primary (blue) button on a step that changes the node; Run says where it runs', () => {
    const runButtons = [...html.matchAll(/<vscode-button([^>]*data-action="run"[^>]*)>([^<]*)<\/vscode-button>/g)];
    assert.ok(runButtons.length > 5);
    for (const [, attrs, label] of runButtons) {
      assert.equal(label, 'Run on cp-1…');
      if (/data-danger="restore"/.test(attrs!)) assert.match(attrs!, /\bsecondary\b/, attrs);
    }
    assert.doesNotMatch(html, /Run in terminal/);
  });
  it('situations are closed disclosures with their signs; alternatives are not numbered into the sequence', () => {
    assert.equal(html.match(/class="situation"/g)!.length, 3);
    assert.match(html, /<strong>Or, instead of step 2<\/strong> — To keep the version the cluster runs now rather than go back/);
    assert.match(html, /Each situation below is a separate procedure/);
  });
  it('long commands wrap', () => {
    assert.match(PAGE_CSS, /\.command pre \{ white-space: pre-wrap; overflow-wrap: anywhere; \}/);
  });
});
