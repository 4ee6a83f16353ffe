// Recovery steps (the docs' "Recovering from a failure state", filled in), the backups view model and cleanup.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';

import { checkRemovable, cleanupCommand, oldBackups } from '../../../src/core/backups/cleanup';
import { parseListing } from '../../../src/core/backups/listing';
import { recoverySteps } from '../../../src/core/backups/recovery';
import type { Backup } from '../../../src/core/backups/types';
import { backupsViewModel, etcdNote, groupRuns } from '../../../src/core/backups/viewModel';

const T = '/etc/kubernetes/tmp';
const M = `${T}/kubeadm-backup-manifests-2025-03-25-17-13-19`;
const E = `${T}/kubeadm-backup-etcd-2025-03-25-17-13-19`;
const LISTING = [
  `#base ${T}`,
  `#entry 1742922799 ${M}`,
  `4\t${M}/etcd.yaml`,
  `4\t${M}/kube-apiserver.yaml`,
  `8\t${M}`,
  `#d ${M}`,
  `#entry 1742922799 ${E}`,
  `20480\t${E}/etcd/member/snap/db`,
  `20484\t${E}/etcd/member`,
  `20488\t${E}/etcd`,
  `20492\t${E}`,
  `#d ${E}`,
  `#d ${E}/etcd`,
  `#d ${E}/etcd/member`,
  `#entry 1700000000 ${T}/kubeadm-backup-manifests-2023-11-14-22-13-20`,
  `4\t${T}/kubeadm-backup-manifests-2023-11-14-22-13-20/kube-apiserver.yaml`,
  `4\t${T}/kubeadm-backup-manifests-2023-11-14-22-13-20`,
  `#entry 1700000000 ${T}/kubeadm-backup-etcd-2023-11-14-22-13-20`,
  `0\t${T}/kubeadm-backup-etcd-2023-11-14-22-13-20`,
  `#entry 1700000000 ${T}/kubeadm-upgraded-manifests123`,
  `4\t${T}/kubeadm-upgraded-manifests123`,
  `#nobase /var/lib/kubeadm-upgrade/etcd-snapshots`,
  '#end',
].join('\n');
const listing = parseListing(LISTING);
const byName = (name: string): Backup => listing.backups.find((b) => b.path.endsWith(name))!;

describe('recoverySteps', () => {
  const steps = recoverySteps({
    node: 'cp-1',
    manifests: byName('kubeadm-backup-manifests-2025-03-25-17-13-19'),
    etcd: byName('kubeadm-backup-etcd-2025-03-25-17-13-19'),
    currentVersion: '1.31.1',
    targetVersion: 'v1.31.7',
    etcdExternal: false,
  });
  const cmd = (id: string) => steps.find((s) => s.id === id)?.command;

  it('orders the docs\' steps: re-run, force, restore manifests, restore etcd (kubelet stopped around it), verify', () => {
    assert.deepEqual(steps.map((s) => s.id), [
      'rerun',
      'force',
      'restore-manifests',
      'etcd-stop-kubelet',
      'etcd-stop-etcd',
      'etcd-move-aside',
      'etcd-restore',
      'etcd-start-kubelet',
      'verify-nodes',
      'verify-pods',
    ]);
  });
  it('fills in the node, the versions and the backup folder', () => {
    assert.equal(cmd('rerun'), 'sudo kubeadm upgrade apply --yes v1.31.7');
    assert.equal(cmd('force'), 'sudo kubeadm upgrade apply --force v1.31.1');
    assert.equal(cmd('restore-manifests'), `sudo cp -p -- ${M}/etcd.yaml ${M}/kube-apiserver.yaml /etc/kubernetes/manifests/`);
    assert.equal(cmd('etcd-restore'), `sudo cp -a -- ${E}/etcd/member /var/lib/etcd/`);
    assert.equal(cmd('etcd-stop-kubelet'), 'sudo systemctl stop kubelet');
    assert.equal(cmd('etcd-start-kubelet'), 'sudo systemctl start kubelet');
    assert.match(cmd('etcd-move-aside')!, /^sudo mv \/var\/lib\/etcd\/member \/var\/lib\/etcd\/member\.before-restore-\$\(date/);
    assert.equal(cmd('verify-nodes'), 'sudo kubectl --kubeconfig /etc/kubernetes/admin.conf get nodes -o wide');
    assert.equal(cmd('verify-pods'), 'sudo kubectl --kubeconfig /etc/kubernetes/admin.conf -n kube-system get pods -l tier=control-plane -o wide --field-selector spec.nodeName=cp-1');
    assert.match(steps.find((s) => s.id === 'restore-manifests')!.why, /etcd, kube-apiserver/);
  });
  it('every step that changes the node is marked so (re-run too: it rewrites manifests); only the checks are safe', () => {
    const danger = Object.fromEntries(steps.map((s) => [s.id, s.danger]));
    assert.equal(danger['verify-nodes'], 'safe');
    assert.equal(danger['verify-pods'], 'safe');
    for (const id of ['rerun', 'force', 'restore-manifests', 'etcd-stop-kubelet', 'etcd-restore', 'etcd-start-kubelet']) assert.equal(danger[id], 'restore', id);
  });
  it('quotes what needs quoting', () => {
    const weird: Backup = { ...byName('kubeadm-backup-manifests-2025-03-25-17-13-19'), path: "/etc/kubernetes/tmp/it's here" };
    const s = recoverySteps({ node: 'n', manifests: weird, etcd: null, currentVersion: null, targetVersion: null, etcdExternal: false });
    assert.equal(s.find((x) => x.id === 'restore-manifests')!.command, `sudo cp -p -- '/etc/kubernetes/tmp/it'\\''s here/etcd.yaml' '/etc/kubernetes/tmp/it'\\''s here/kube-apiserver.yaml' /etc/kubernetes/manifests/`);
    assert.equal(s.find((x) => x.id === 'rerun')!.command, 'sudo kubeadm upgrade node', 'no target known');
    assert.equal(s.find((x) => x.id === 'force')!.command, null, 'no current version: the step says what is missing');
    assert.match(s.find((x) => x.id === 'force')!.why, /current version is unknown/);
  });
  it('external etcd: no etcd restore, a clear note instead', () => {
    const s = recoverySteps({ node: 'n', manifests: null, etcd: byName('kubeadm-backup-etcd-2023-11-14-22-13-20'), currentVersion: 'v1.30.1', targetVersion: null, etcdExternal: true });
    assert.ok(!s.some((x) => x.id === 'etcd-restore'));
    assert.equal(s.find((x) => x.id === 'etcd-external')!.command, null);
  });
});

describe('backupsViewModel', () => {
  const auditLog = readFileSync(resolve(process.cwd(), 'test/fixtures/kubeadm/F20_real_kubeadm-1.31.7_apply_log.txt'), 'utf8');
  const m = backupsViewModel('prod', [
    { node: 'cp-1', listing, etcdExternal: false, currentVersion: 'v1.31.7', targetVersion: null, auditLog },
    { node: 'cp-2', listing: { error: 'ssh: connection refused' }, etcdExternal: null, currentVersion: null, targetVersion: null, auditLog: null },
  ]);
  const cp1 = m.nodes[0]!;

  it('pairs manifests and etcd folders into runs, newest first', () => {
    assert.deepEqual(cp1.runs.map((r) => [r.time.iso, r.manifests?.name ?? null, r.etcd?.name ?? null]), [
      ['2025-03-25T17:13:19', 'kubeadm-backup-manifests-2025-03-25-17-13-19', 'kubeadm-backup-etcd-2025-03-25-17-13-19'],
      ['2023-11-14T22:13:20', 'kubeadm-backup-manifests-2023-11-14-22-13-20', 'kubeadm-backup-etcd-2023-11-14-22-13-20'],
    ]);
    assert.deepEqual(cp1.workingCopies.map((b) => b.name), ['kubeadm-upgraded-manifests123']);
  });
  it('links a backup to the apply-log lines that name it', () => {
    const lines = cp1.runs[0]!.logLines;
    assert.equal(lines.length, 4, 'etcd, kube-apiserver, kube-controller-manager, kube-scheduler');
    assert.match(lines[0]!.text, /backing up its manifest to ".*kubeadm-backup-manifests-2025-03-25-17-13-19\/etcd.yaml"/);
    assert.equal(lines[0]!.line, 19);
    assert.deepEqual(cp1.runs[1]!.logLines, []);
  });
  it('says when the etcd backup is empty (external etcd) or absent (etcd not upgraded)', () => {
    assert.match(cp1.runs[0]!.etcdNote, /member data/);
    assert.match(cp1.runs[1]!.etcdNote, /empty: that is what kubeadm leaves when etcd is external/);
    assert.match(cp1.runs[1]!.etcdNote, /local etcd, though/);
    const manifestsOnly = groupRuns([byName('kubeadm-backup-manifests-2023-11-14-22-13-20')]);
    assert.equal(manifestsOnly[0]!.etcd, null);
    assert.match(etcdNote(null, manifestsOnly[0]!.manifests, false), /etcd was not upgraded in this run/);
    assert.match(etcdNote(null, byName('kubeadm-backup-manifests-2025-03-25-17-13-19'), false), /etcd kept its version/);
    assert.match(etcdNote(null, null, true), /etcd is external/);
  });
  it('the old run is a cleanup candidate, the newest is not', () => {
    assert.deepEqual([...cp1.cleanupCandidates].sort(), [`${T}/kubeadm-backup-etcd-2023-11-14-22-13-20`, `${T}/kubeadm-backup-manifests-2023-11-14-22-13-20`, `${T}/kubeadm-upgraded-manifests123`]);
  });
  it('an unreadable node is an error row, not a crash', () => {
    assert.deepEqual([m.nodes[1]!.status, m.nodes[1]!.error], ['error', 'ssh: connection refused']);
  });
  it('explains what kubeadm rolls back and what it does not', () => {
    assert.ok(m.rolledBack.some((f) => /manifests/i.test(f.what)));
    for (const what of ['Certificates', 'ConfigMaps', 'kubelet configuration', 'Addons']) assert.ok(m.notRolledBack.some((f) => f.what === what), what);
  });
  it('is plain JSON', () => assert.deepEqual(JSON.parse(JSON.stringify(m)), m));
});

describe('cleanup', () => {
  it('removes only kubeadm backup folders, quoted', () => {
    assert.equal(cleanupCommand([`${T}/kubeadm-backup-etcd-2023-11-14-22-13-20`]), `rm -rf -- ${T}/kubeadm-backup-etcd-2023-11-14-22-13-20`);
    for (const bad of ['/etc/kubernetes/manifests', `${T}/../pki`, `${T}/kubeadm-backup-etcd-2023-11-14-22-13-20/../../pki`, '/', `${T}/x; rm -rf /`, 'relative']) {
      assert.throws(() => checkRemovable(bad), /not/, bad);
    }
    assert.throws(() => cleanupCommand([]));
  });
  it('proposes all but the newest run', () => {
    assert.deepEqual(oldBackups(listing.backups).map((b) => b.name).sort(), [
      'kubeadm-backup-etcd-2023-11-14-22-13-20',
      'kubeadm-backup-manifests-2023-11-14-22-13-20',
      'kubeadm-upgraded-manifests123',
    ]);
  });
});
