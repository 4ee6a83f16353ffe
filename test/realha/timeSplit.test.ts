// The time split of a run by node and step (timeSplit.ts), on saved runs shaped as the product saves them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { savedRuns, splitTable, timeSplit, type SavedRun } from './timeSplit';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
const run = (node: string, phases: [string, number, number][]): SavedRun => ({
  context: { node }, createdAt: at(0), updatedAt: at(0),
  phases: phases.map(([id, a, b]) => ({ id, startedAt: at(a), endedAt: at(b) })),
});

test('each phase counts for its category; the rest of the node run is ours; pending phases are left out', () => {
  const r = run('worker-1', [['switch-repo', 0, 2], ['check-packages', 2, 3], ['install-kubeadm', 3, 6], ['verify-kubeadm', 7, 8],
    ['kubeadm-upgrade', 8, 20], ['drain', 21, 31], ['install-kubelet', 31, 35], ['restart-kubelet', 35, 36], ['wait-ready', 36, 46], ['uncordon', 46, 47]]);
  r.phases.push({ id: 'plan' });
  const [s] = timeSplit([r]);
  assert.deepEqual(s, { node: 'worker-1', wallMs: 47_000, ms: { kubeadm: 13_000, packages: 10_000, kubelet: 11_000, drain: 10_000, ours: 3_000 } });
});

test('the table adds the time between node runs to ours and gives its share of the run', () => {
  const t = splitTable(timeSplit([run('cp-1', [['kubeadm-upgrade', 0, 60]]), run('cp-2', [['kubeadm-upgrade', 70, 100], ['uncordon', 100, 110]])]), 120_000);
  assert.match(t, /between nodes\s+20\.0/);
  assert.match(t, /whole run\s+120\.0\s+90\.0\s+0\.0\s+0\.0\s+0\.0\s+30\.0/);
  assert.match(t, /ours 25\.0 % of the run/);
});

test('saved runs are found at any depth of the state folder; other JSON files are not runs', () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'timesplit-'));
  try {
    fs.mkdirSync(path.join(d, 'runs', 'x'), { recursive: true });
    fs.writeFileSync(path.join(d, 'runs', 'x', 'a.json'), JSON.stringify(run('cp-1', [['plan', 0, 1]])));
    fs.writeFileSync(path.join(d, 'cluster.json'), JSON.stringify({ nodes: [] }));
    fs.writeFileSync(path.join(d, 'audit.jsonl'), '{}\n');
    assert.deepEqual(savedRuns(d).map((r) => r.context.node), ['cp-1']);
  } finally {
    fs.rmSync(d, { recursive: true, force: true });
  }
});
