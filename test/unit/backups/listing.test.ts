// The backup listing: the command run in a real shell over a folder laid out like kubeadm's, and its parser.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { LocalExecutor } from '../../../src/adapters/local/localExecutor';
import { classify, listingCommand, parseListing } from '../../../src/core/backups/listing';

const HAND_WRITTEN = [
  '#base /etc/kubernetes/tmp',
  '#entry 1742922799 /etc/kubernetes/tmp/kubeadm-backup-manifests-2025-03-25-17-13-19',
  '4\t/etc/kubernetes/tmp/kubeadm-backup-manifests-2025-03-25-17-13-19/etcd.yaml',
  '4\t/etc/kubernetes/tmp/kubeadm-backup-manifests-2025-03-25-17-13-19/kube-apiserver.yaml',
  '12\t/etc/kubernetes/tmp/kubeadm-backup-manifests-2025-03-25-17-13-19',
  '#d /etc/kubernetes/tmp/kubeadm-backup-manifests-2025-03-25-17-13-19',
  '#entry 1742922798 /etc/kubernetes/tmp/kubeadm-backup-etcd-2025-03-25-17-13-18',
  '20480\t/etc/kubernetes/tmp/kubeadm-backup-etcd-2025-03-25-17-13-18/etcd/member/snap/db',
  '20484\t/etc/kubernetes/tmp/kubeadm-backup-etcd-2025-03-25-17-13-18/etcd/member/snap',
  '20488\t/etc/kubernetes/tmp/kubeadm-backup-etcd-2025-03-25-17-13-18/etcd/member',
  '20492\t/etc/kubernetes/tmp/kubeadm-backup-etcd-2025-03-25-17-13-18/etcd',
  '20496\t/etc/kubernetes/tmp/kubeadm-backup-etcd-2025-03-25-17-13-18',
  '#d /etc/kubernetes/tmp/kubeadm-backup-etcd-2025-03-25-17-13-18',
  '#d /etc/kubernetes/tmp/kubeadm-backup-etcd-2025-03-25-17-13-18/etcd',
  '#d /etc/kubernetes/tmp/kubeadm-backup-etcd-2025-03-25-17-13-18/etcd/member',
  '#d /etc/kubernetes/tmp/kubeadm-backup-etcd-2025-03-25-17-13-18/etcd/member/snap',
  '#entry - /etc/kubernetes/tmp/kubeadm-backup-etcd-2024-11-02-09-00-00',
  '0\t/etc/kubernetes/tmp/kubeadm-backup-etcd-2024-11-02-09-00-00',
  '#d /etc/kubernetes/tmp/kubeadm-backup-etcd-2024-11-02-09-00-00',
  'du: cannot read directory: Permission denied',
  '#nobase /var/lib/kubeadm-upgrade/etcd-snapshots',
  '#end',
].join('\n');

describe('classify', () => {
  it('reads kind and node-local date and time from kubeadm folder names', () => {
    assert.deepEqual(classify('kubeadm-backup-etcd-2025-03-25-17-13-19'), { kind: 'etcd', time: { date: '2025-03-25', time: '17:13:19', iso: '2025-03-25T17:13:19' } });
    assert.equal(classify('kubeadm-backup-manifests-2025-03-25-17-13-19').kind, 'manifests');
    assert.deepEqual(classify('kubeadm-upgraded-manifests4134544291'), { kind: 'upgraded-manifests', time: null });
    assert.deepEqual(classify('kubeadm-kubelet-config2404247076'), { kind: 'kubelet-config', time: null });
    // kubeadm ≥ 1.35 names it by time (its postupgrade.go; the sandbox's real node writes it so).
    assert.deepEqual(classify('kubeadm-kubelet-config-2026-12-02-10-36-50'), { kind: 'kubelet-config', time: { date: '2026-12-02', time: '10:36:50', iso: '2026-12-02T10:36:50' } });
    assert.equal(classify('etcd-snapshot-2025-03-25-17-00-00.db').kind, 'etcd-snapshot');
    assert.deepEqual(classify('kubeadm-backup-etcd-yesterday'), { kind: 'other', time: null });
  });
});

describe('parseListing (hand-written)', () => {
  const l = parseListing(HAND_WRITTEN);
  it('is complete and keeps what it does not understand', () => {
    assert.equal(l.complete, true);
    assert.equal(l.tmpExists, true);
    assert.deepEqual(l.unparsed, ['du: cannot read directory: Permission denied']);
  });
  it('newest first, with size, files and replaced components', () => {
    assert.deepEqual(l.backups.map((b) => b.name), [
      'kubeadm-backup-manifests-2025-03-25-17-13-19',
      'kubeadm-backup-etcd-2025-03-25-17-13-18',
      'kubeadm-backup-etcd-2024-11-02-09-00-00',
    ]);
    const m = l.backups[0]!;
    assert.equal(m.sizeKb, 12);
    assert.deepEqual(m.replacedComponents, ['etcd', 'kube-apiserver']);
    assert.equal(m.mtime, 1742922799);
    const etcd = l.backups[1]!;
    assert.equal(etcd.etcdMember, true);
    assert.equal(etcd.empty, false);
    assert.ok(etcd.files.some((f) => f.path === 'etcd/member' && f.directory));
    assert.ok(etcd.files.some((f) => f.path === 'etcd/member/snap/db' && !f.directory && f.sizeKb === 20480));
    const old = l.backups[2]!;
    assert.equal(old.empty, true);
    assert.equal(old.etcdMember, false);
    assert.equal(old.mtime, null);
  });
  it('a listing without #end is incomplete; no tmp folder is said', () => {
    assert.equal(parseListing(HAND_WRITTEN.replace('#end', '')).complete, false);
    const none = parseListing('#nobase /etc/kubernetes/tmp\n#nobase /var/lib/kubeadm-upgrade/etcd-snapshots\n#end\n');
    assert.equal(none.tmpExists, false);
    assert.deepEqual(none.backups, []);
  });
  it('never throws on garbage', () => {
    assert.doesNotThrow(() => parseListing('\u0000\n#entry\n\t\t\n12\trelative/path\n'));
  });
});

describe('listingCommand in a real shell', () => {
  let root = '';
  let tmp = '';
  let snaps = '';
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'kubeadm tmp ')); // a space: the folder must survive quoting
    tmp = join(root, 'tmp');
    snaps = join(root, 'snapshots');
    const put = (p: string, bytes = 3000) => {
      mkdirSync(join(p, '..'), { recursive: true });
      writeFileSync(p, 'x'.repeat(bytes));
    };
    for (const c of ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler']) put(join(tmp, 'kubeadm-backup-manifests-2025-03-25-17-13-19', `${c}.yaml`));
    put(join(tmp, 'kubeadm-backup-etcd-2025-03-25-17-13-19', 'etcd', 'member', 'snap', 'db'), 50_000);
    put(join(tmp, 'kubeadm-backup-etcd-2025-03-25-17-13-19', 'etcd', 'member', 'wal', '0000000000000000-0000000000000000.wal'), 10_000);
    mkdirSync(join(tmp, 'kubeadm-backup-etcd-2024-01-01-10-00-00'), { recursive: true });
    put(join(tmp, 'kubeadm-upgraded-manifests4134544291', 'kube-apiserver.yaml'));
    put(join(tmp, 'kubeadm-kubelet-config2404247076', 'config.yaml'));
    put(join(snaps, 'etcd-snapshot-2025-03-25-17-00-00.db'), 40_000);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('lists what is there, parseably', async () => {
    const r = await new LocalExecutor().run(listingCommand([tmp, snaps]), { timeoutMs: 20_000 });
    assert.equal(r.exitCode, 0, r.stderr);
    const l = parseListing(r.stdout, tmp);
    assert.equal(l.complete, true);
    assert.equal(l.tmpExists, true);
    assert.deepEqual(l.unparsed, []);
    const kinds = l.backups.map((b) => `${b.kind}:${b.name}`).sort();
    assert.deepEqual(kinds, [
      'etcd-snapshot:etcd-snapshot-2025-03-25-17-00-00.db',
      'etcd:kubeadm-backup-etcd-2024-01-01-10-00-00',
      'etcd:kubeadm-backup-etcd-2025-03-25-17-13-19',
      'kubelet-config:kubeadm-kubelet-config2404247076',
      'manifests:kubeadm-backup-manifests-2025-03-25-17-13-19',
      'upgraded-manifests:kubeadm-upgraded-manifests4134544291',
    ]);
    const etcd = l.backups.find((b) => b.name === 'kubeadm-backup-etcd-2025-03-25-17-13-19')!;
    assert.equal(etcd.etcdMember, true);
    assert.ok(etcd.sizeKb >= 60, `size ${etcd.sizeKb}`);
    assert.ok(etcd.mtime! > 1_600_000_000);
    assert.equal(l.backups.find((b) => b.name === 'kubeadm-backup-etcd-2024-01-01-10-00-00')!.empty, true);
    assert.deepEqual(l.backups.find((b) => b.kind === 'manifests')!.replacedComponents, ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler']);
    const snap = l.backups.find((b) => b.kind === 'etcd-snapshot')!;
    assert.equal(snap.empty, false);
    assert.ok(snap.sizeKb >= 39);
  });

  it('says when the folders do not exist', async () => {
    const r = await new LocalExecutor().run(listingCommand([join(root, 'missing')]), { timeoutMs: 20_000 });
    const l = parseListing(r.stdout, join(root, 'missing'));
    assert.equal(l.complete, true);
    assert.equal(l.tmpExists, false);
    assert.deepEqual(l.backups, []);
  });
});
