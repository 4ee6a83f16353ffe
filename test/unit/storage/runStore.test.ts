// The run store against a real folder: files that parse but are not runs are skipped with a warning (Resume keeps
// working for the others), and only the newest finished runs of a node are kept.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RunStore } from '../../../src/adapters/storage/runStore';
import { DEFAULT_OPTIONS, phasesFor, type UpgradeContext } from '../../../src/core/upgrade/phases';
import { newRunState, type UpgradeRunState } from '../../../src/core/upgrade/state';
import { parseVersion } from '../../../src/core/version';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'runstore-test-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

const ctx = (node: string): UpgradeContext => ({
  cluster: 'prod', node, role: 'worker', target: parseVersion('v1.32.3')!, packageManager: 'apt', packageVersion: '1.32.3-1.1', stamp: 's', options: DEFAULT_OPTIONS,
});
const run = (id: string, node: string, status: UpgradeRunState['status'], minute: number): UpgradeRunState => {
  const r = newRunState(id, ctx(node), phasesFor(ctx(node)), new Date(Date.UTC(2026, 10, 22, 9, minute)));
  r.status = status;
  return r;
};

test('files that parse but are not runs are skipped with a warning; valid runs are still listed', async () => {
  const dir = path.join(root, 'bad');
  const skipped: string[] = [];
  const store = new RunStore(dir, (file, reason) => skipped.push(`${path.basename(file)}: ${reason}`));
  await store.save(run('good', 'w-1', 'failed', 1));
  fs.writeFileSync(path.join(dir, 'null.json'), 'null');
  fs.writeFileSync(path.join(dir, 'array.json'), '[]');
  fs.writeFileSync(path.join(dir, 'half.json'), JSON.stringify({ id: 'half', status: 'failed', context: { cluster: 'x' } }));
  fs.writeFileSync(path.join(dir, 'broken.json'), '{');
  const runs = await store.list();
  assert.deepEqual(runs.map((r) => r.id), ['good']);
  assert.deepEqual(skipped.sort(), [
    'array.json: not an upgrade run: not an object (an array)',
    'broken.json: not JSON: ' + skipped.find((s) => s.startsWith('broken'))!.slice('broken.json: not JSON: '.length),
    'half.json: not an upgrade run: no createdAt',
    'null.json: not an upgrade run: not an object (null)',
  ]);
});

test('finishing a run keeps only the newest N done runs of that node; unfinished runs and other nodes stay', async () => {
  const dir = path.join(root, 'prune');
  const store = new RunStore(dir, () => {}, 2);
  await store.save(run('w1-failed', 'w-1', 'failed', 0));
  await store.save(run('w2-done', 'w-2', 'done', 0));
  for (let i = 1; i <= 4; i++) await store.save(run(`w1-done-${i}`, 'w-1', 'done', i));
  const ids = (await store.list()).map((r) => r.id).sort();
  assert.deepEqual(ids, ['w1-done-3', 'w1-done-4', 'w1-failed', 'w2-done']);
});
