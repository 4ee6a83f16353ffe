// One bad record never breaks a list: every store validates each record's shape and skips the bad ones with a
// warning naming the file (or line) and why; the good ones are still listed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { etcdSnapshotStore } from '../../../src/adapters/storage/etcdSnapshots';
import { AuditLog } from '../../../src/adapters/storage/auditLog';
import { ClusterRunStore } from '../../../src/adapters/storage/clusterRunStore';
import { etcdSnapshotViews } from '../../../src/core/backups/etcdSnapshots';
import type { SnapshotRecord } from '../../../src/core/etcd/snapshot';
import { newClusterRun } from '../../../src/core/clusterUpgrade/plan';
import type { ClusterPlan } from '../../../src/core/clusterUpgrade/plan';
import { isIsoTime } from '../../../src/core/records/shape';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'kup-records-'));

const record = (name: string, takenAt: unknown): SnapshotRecord =>
  ({
    kind: 'etcd-snapshot',
    cluster: 'prod',
    node: 'cp-1',
    remotePath: `/var/lib/kubeadm-upgrade/etcd-snapshots/${name}`,
    localPath: `/tmp/${name}`,
    sha256: 'ab'.repeat(32),
    status: { hash: 1, revision: 2, totalKey: 3, totalSize: 4 },
    takenAt,
  }) as SnapshotRecord;

test('etcd snapshot records: a non-ISO takenAt (which broke Show Backups), a missing path, no status or not JSON are skipped with a warning', () => {
  const dir = tmp();
  const write = (file: string, body: unknown) => fs.writeFileSync(path.join(dir, file), typeof body === 'string' ? body : JSON.stringify(body));
  write('good.db.json', record('good.db', '2026-01-02T03:04:05.000Z'));
  write('older.db.json', record('older.db', '2025-12-01T00:00:00.000Z'));
  write('yesterday.db.json', record('yesterday.db', 'yesterday'));
  write('number.db.json', record('number.db', 1767322800000));
  write('nopath.db.json', { ...record('nopath.db', '2026-01-02T03:04:05.000Z'), remotePath: undefined });
  write('nostatus.db.json', { ...record('nostatus.db', '2026-01-02T03:04:05.000Z'), status: null });
  write('half.db.json', '{"kind":"etcd-snap');
  const skipped: string[] = [];
  const list = etcdSnapshotStore.list(dir, (file, reason) => skipped.push(`${path.basename(file)}: ${reason}`));
  assert.deepEqual(list.map((r) => path.basename(r.localPath)), ['good.db', 'older.db']);
  assert.deepEqual(skipped.sort().map((s) => s.replace(/not JSON: .*/, 'not JSON')), [
    'half.db.json: not JSON',
    'nopath.db.json: not an etcd snapshot record: no remotePath',
    'nostatus.db.json: not an etcd snapshot record: no snapshot status (hash, revision, totalKey, totalSize)',
    'number.db.json: not an etcd snapshot record: takenAt 1767322800000 is not an ISO time',
    'yesterday.db.json: not an etcd snapshot record: takenAt "yesterday" is not an ISO time',
  ]);
  // What Show Backups builds from them: every listed record has its restore procedure.
  const views = etcdSnapshotViews(list, 'prod', () => null);
  assert.equal(views.length, 2);
  assert.ok(views.every((v) => v.restore.length > 0));
  fs.rmSync(dir, { recursive: true, force: true });
});

test('cluster runs: a file with a bad status, a non-ISO time or a node without a name is skipped with a warning', async () => {
  const dir = tmp();
  const skipped: string[] = [];
  const store = new ClusterRunStore(dir, (file, reason) => skipped.push(`${path.basename(file)}: ${reason}`));
  const plan = { cluster: 'prod', target: { major: 1, minor: 32, patch: 3 }, maxUnavailable: '1', order: [{ name: 'cp-1', role: 'control-plane', stage: 'first-control-plane' }], batches: [], readiness: { blockers: [], notes: [] } } as unknown as ClusterPlan;
  const good = newClusterRun(plan, { id: 'cluster-good', options: {} as never, skipSnapshot: false, overrides: [], now: new Date('2026-01-02T03:04:05Z') });
  await store.save(good);
  const bad = (file: string, change: Record<string, unknown>) => fs.writeFileSync(path.join(dir, file), JSON.stringify({ ...good, ...change }));
  bad('status.json', { id: 'status', status: 'exploded' });
  bad('time.json', { id: 'time', updatedAt: 'last tuesday' });
  bad('node.json', { id: 'node', nodes: [{ role: 'worker', stage: 'worker', status: 'queued' }] });
  bad('nodes.json', { id: 'nodes', nodes: null });
  fs.writeFileSync(path.join(dir, 'null.json'), 'null');
  assert.deepEqual((await store.list()).map((r) => r.id), ['cluster-good']);
  assert.deepEqual(skipped.sort(), [
    'node.json: not a cluster run: a node without name, role, stage or a known status',
    'nodes.json: not a cluster run: no nodes',
    'null.json: not a cluster run: not an object (null)',
    'status.json: not a cluster run: unknown status "exploded"',
    'time.json: not a cluster run: updatedAt "last tuesday" is not an ISO time',
  ]);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('audit log: a line that is not JSON or not an entry is skipped and named by its number; the others are read', () => {
  const dir = tmp();
  const log = new AuditLog(path.join(dir, 'audit.jsonl'));
  const entry = { time: '2026-01-02T03:04:05.000Z', run: 'r', cluster: 'prod', node: 'cp-1', phase: 'command', command: 'true', where: 'ssh', exitCode: 0, durationMs: 3 };
  log.append(entry);
  fs.appendFileSync(log.file, '{"time":"2026-01-0\n');
  fs.appendFileSync(log.file, JSON.stringify({ ...entry, time: 'noon' }) + '\n');
  fs.appendFileSync(log.file, JSON.stringify({ ...entry, exitCode: 'zero' }) + '\n');
  fs.appendFileSync(log.file, JSON.stringify({ ...entry, command: 42 }) + '\n');
  log.append({ ...entry, command: 'false', exitCode: 1 });
  const skipped: string[] = [];
  const read = log.read((line, reason) => skipped.push(`${line}: ${reason.replace(/not JSON: .*/, 'not JSON')}`));
  assert.deepEqual(read.map((e) => e.command), ['true', 'false']);
  assert.deepEqual(skipped, ['2: not JSON', '3: not an audit entry: time "noon" is not an ISO time', '4: not an audit entry: exitCode "zero" is not a number or null', '5: not an audit entry: no command']);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('ISO times: what toISOString writes, nothing else', () => {
  assert.ok(isIsoTime(new Date().toISOString()));
  assert.ok(isIsoTime('2026-01-02T03:04:05Z'));
  for (const bad of ['yesterday', '2026-01-02', '2026-01-02 03:04:05Z', '2026-13-45T99:99:99.000Z', 1767322800000, null, undefined]) assert.equal(isIsoTime(bad), false, String(bad));
});
