import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterRunState } from '../../../src/core/clusterUpgrade/state';
import { adoptSucceededNodeRun, nodeRunDescription, owningClusterRun, stoppedClusterRunNote } from '../../../src/core/clusterUpgrade/nodeRuns';
import { DEFAULT_OPTIONS } from '../../../src/core/upgrade/phases';
import type { UpgradeRunState } from '../../../src/core/upgrade/state';
import { parseVersion } from '../../../src/core/version';

const identity = { server: 'https://127.0.0.1:6443', caFingerprint: 'ab', namespaceUid: 'uid-a' };

const clusterRun = (over: Partial<ClusterRunState> = {}): ClusterRunState => ({
  kind: 'cluster-run',
  id: 'cluster-20261207-1',
  cluster: 'kubernetes-admin@kubernetes',
  identity,
  target: parseVersion('v1.36.3')!,
  options: DEFAULT_OPTIONS,
  maxUnavailable: '1',
  skipSnapshot: true,
  overrides: [],
  readinessNotes: [],
  nodes: [
    { name: 'cp-1', role: 'first-control-plane', stage: 'first-control-plane', status: 'done', runId: 'run-cp1' },
    { name: 'worker-1', role: 'worker', stage: 'worker', status: 'failed', runId: 'run-w1', step: { index: 9, total: 12, title: 'Restart kubelet' }, error: 'exit 1' },
    { name: 'worker-2', role: 'worker', stage: 'worker', status: 'queued' },
  ],
  plannedBatches: [],
  status: 'failed',
  error: 'worker-1 failed: exit 1',
  recovery: ['Resume'],
  createdAt: '2026-12-07T20:00:00Z',
  updatedAt: '2026-12-07T20:10:00Z',
  ...over,
});

const nodeRun = (over: Partial<UpgradeRunState> = {}): UpgradeRunState => ({
  id: 'run-w1-own',
  identity,
  context: { cluster: 'kubernetes-admin@kubernetes', node: 'worker-1', role: 'worker', target: parseVersion('v1.36.3')!, packageManager: 'apt', packageVersion: '1.36.3-1.1', stamp: 's', options: DEFAULT_OPTIONS },
  phases: [{ id: 'drain', title: 'Drain worker-1', status: 'done' }],
  status: 'done',
  cordoned: false,
  createdAt: '2026-12-07T20:20:00Z',
  updatedAt: '2026-12-07T20:31:00Z',
  ...over,
});

test('a node run started by a stopped cluster run belongs to it; a finished cluster run owns nothing', () => {
  assert.equal(owningClusterRun([clusterRun()], 'run-w1')?.id, 'cluster-20261207-1');
  assert.equal(owningClusterRun([clusterRun()], 'run-other'), undefined);
  assert.equal(owningClusterRun([clusterRun({ status: 'done' })], 'run-w1'), undefined);
});

test('two unfinished runs of one node are told apart by kind and time', () => {
  const owned = nodeRunDescription(nodeRun({ id: 'run-w1', status: 'failed', updatedAt: '2026-12-07T20:10:30Z' }), clusterRun());
  const alone = nodeRunDescription(nodeRun({ status: 'interrupted', updatedAt: '2026-12-07T20:31:00Z' }), undefined);
  assert.match(owned, /^part of the cluster upgrade of kubernetes-admin@kubernetes to v1\.36\.3 \(resumed through it\) · upgrade failed at 1\/1 · stopped 2026-12-07 20:10 UTC$/);
  assert.match(alone, /^Upgrade Node run · upgrade interrupted at 1\/1 · stopped 2026-12-07 20:31 UTC$/);
  assert.notEqual(owned, alone);
});

test('a node upgraded by its own run counts as done in the stopped cluster run: its failure is no longer said', () => {
  const r = clusterRun();
  assert.equal(adoptSucceededNodeRun(r, nodeRun()), true);
  const w1 = r.nodes.find((n) => n.name === 'worker-1')!;
  assert.equal(w1.status, 'done');
  assert.equal(w1.runId, 'run-w1-own');
  assert.equal(w1.error, undefined);
  assert.equal(r.error, undefined);
  assert.equal(r.status, 'failed', 'still stopped: worker-2 is left, and Resume continues with it');
  assert.equal(stoppedClusterRunNote(r), 'cluster upgrade to v1.36.3 stopped (2/3 done)');
});

test('not adopted: another target, another cluster behind the same context name, a failed node run, a finished cluster run', () => {
  assert.equal(adoptSucceededNodeRun(clusterRun(), nodeRun({ context: { ...nodeRun().context, target: parseVersion('v1.36.2')! } })), false);
  assert.equal(adoptSucceededNodeRun(clusterRun(), nodeRun({ identity: { ...identity, namespaceUid: 'uid-b' } })), false);
  assert.equal(adoptSucceededNodeRun(clusterRun(), nodeRun({ status: 'failed' })), false);
  assert.equal(adoptSucceededNodeRun(clusterRun({ status: 'done' }), nodeRun()), false);
});

test('the cluster item says a stopped cluster run, and which node failed', () => {
  assert.equal(stoppedClusterRunNote(clusterRun()), 'cluster upgrade to v1.36.3 stopped: worker-1 failed (1/3 done)');
  assert.equal(stoppedClusterRunNote(clusterRun({ status: 'running' })), 'cluster upgrade to v1.36.3 interrupted: worker-1 failed (1/3 done)');
  assert.equal(stoppedClusterRunNote(clusterRun({ status: 'done' })), undefined);
});
