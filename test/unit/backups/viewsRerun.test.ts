// "Run kubeadm upgrade again" repeats the failed run's own command (apply vs node, its target), backticks render as
// code, and before any upgrade the view says once what will appear — with an etcd snapshot to take first.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseListing } from '../../../src/core/backups/listing';
import { backupsViewModel } from '../../../src/core/backups/viewModel';
import { renderBackups } from '../../../webview/render/backups';

const T = '/etc/kubernetes/tmp';
const M = `${T}/kubeadm-backup-manifests-2026-12-02-05-30-10`;
const listing = parseListing([`#base ${T}`, `#entry 1764653410 ${M}`, `4\t${M}/kube-apiserver.yaml`, `4\t${M}`, `#d ${M}`, '#nobase /var/lib/kubeadm-upgrade/etcd-snapshots', '#end'].join('\n'));
const empty = parseListing([`#nobase ${T}`, '#nobase /var/lib/kubeadm-upgrade/etcd-snapshots', '#end'].join('\n'));
const entry = (command: string) => ({ time: '2026-12-02T05:30:00.000Z', node: 'cp-2', command, durationMs: 40_000, exitCode: 1 });
const input = (auditEntries: ReturnType<typeof entry>[] | null) => ({
  node: 'cp-2',
  listing,
  etcdExternal: false,
  currentVersion: 'v1.35.4',
  targetVersion: 'v1.99.0', // the setting: must not be used for the rerun
  auditLog: null,
  auditEntries,
});
const rerun = (m: ReturnType<typeof backupsViewModel>) => m.nodes[0]!.runs[0]!.steps.find((s) => s.id === 'rerun')!;

test('a control plane that ran apply gets apply again, with that run\'s target and flags', () => {
  const m = backupsViewModel('prod', [input([entry('sudo kubeadm upgrade apply --yes v1.36.3 --certificate-renewal=false')])]);
  const step = rerun(m);
  assert.equal(step.command, 'sudo kubeadm upgrade apply --yes v1.36.3 --certificate-renewal=false');
  assert.equal(step.title, 'Run `kubeadm upgrade apply` again (v1.36.3)');
  assert.match(step.why, /made by `kubeadm upgrade apply` to v1\.36\.3/);
});

test('a control plane that ran node gets node again', () => {
  const step = rerun(backupsViewModel('prod', [input([entry('sudo kubeadm upgrade node')])]));
  assert.equal(step.command, 'sudo kubeadm upgrade node');
});

test('no matching run: no guessed command, the choice is explained', () => {
  const step = rerun(backupsViewModel('prod', [input(null)]));
  assert.equal(step.command, null);
  assert.match(step.why, /on the first control plane it was `kubeadm upgrade apply <version>`/);
});

test('backticks render as code in titles and explanations', () => {
  const html = renderBackups(backupsViewModel('prod', [input([entry('sudo kubeadm upgrade apply --yes v1.36.3')])]));
  assert.match(html, /Run <code>kubeadm upgrade apply<\/code> again \(v1\.36\.3\)/);
  // No literal backtick in any text the user reads (attributes may carry the raw title).
  assert.doesNotMatch(html, />[^<]*`[^<]*</);
});

test('before any upgrade: said once for all control planes, with Snapshot etcd to run', () => {
  const nodes = ['cp-1', 'cp-2', 'cp-3'].map((node) => ({ node, listing: empty, etcdExternal: false, currentVersion: 'v1.35.4', targetVersion: null, auditLog: null }));
  const m = backupsViewModel('prod', nodes);
  assert.deepEqual(m.nothingYet!.nodes, ['cp-1', 'cp-2', 'cp-3']);
  assert.equal(m.nothingYet!.snapshot!.node, 'cp-1');
  const html = renderBackups(m);
  assert.equal(html.match(/No backups yet/g)!.length, 1);
  assert.doesNotMatch(html, /No kubeadm-backup-\* folder|No \/etc\/kubernetes\/tmp on this node/);
  assert.match(html, /<code>kubeadm-backup-manifests-&lt;date&gt;<\/code>/);
  // The one snapshot path: Kubeadm: Snapshot etcd on cp-1 (verified, copied off, recorded), not a bare etcdctl line.
  assert.match(html, /data-action="snapshotEtcd"[^>]*data-node="cp-1"|data-node="cp-1"[^>]*data-action="snapshotEtcd"/);
  assert.doesNotMatch(html, /etcdctl --endpoints/);
});
