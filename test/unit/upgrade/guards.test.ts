import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkUpgrade } from '../../../src/core/upgrade/guards';
import { parseVersion } from '../../../src/core/version';
import { cluster, cp, worker } from '../helpers/snapshot';

const v = (s: string) => parseVersion(s)!;
const at131 = cluster(
  [cp('cp-1', { apiserver: 'v1.31.4', kubelet: 'v1.31.4' }), cp('cp-2', { apiserver: 'v1.31.4', kubelet: 'v1.31.4' }), worker('w-1', { kubelet: 'v1.31.4' }), worker('w-old', { kubelet: 'v1.29.2' })],
  'v1.31.4',
);
const refusals = (d: ReturnType<typeof checkUpgrade>) => d.guards.filter((g) => g.severity === 'refuse').map((g) => g.reason);

test('the first control plane at the next minor: role first-control-plane, nothing refused', () => {
  const d = checkUpgrade(at131, 'cp-1', v('v1.32.0'));
  assert.equal(d.role, 'first-control-plane');
  assert.deepEqual(d.guards, []);
});

test('skipping a minor or going back is refused', () => {
  assert.match(refusals(checkUpgrade(at131, 'cp-1', v('v1.33.0')))[0]!, /upgrade to the latest 1\.32\.x first/);
  assert.match(refusals(checkUpgrade(at131, 'cp-1', v('v1.30.9')))[0]!, /older than the running control plane/);
});

test('a worker or a second control plane before the first control plane is refused', () => {
  assert.ok(refusals(checkUpgrade(at131, 'w-1', v('v1.32.0'))).some((r) => /upgrade the first control-plane node to v1\.32\.0 .* before workers/.test(r)));
  // cp-2 is a control plane: while the cluster is at 1.31 it would itself be the first one.
  assert.equal(checkUpgrade(at131, 'cp-2', v('v1.32.0')).role, 'first-control-plane');
});

test('after apply: the second control plane upgrades with `upgrade node`; workers wait for every apiserver', () => {
  const mid = cluster([cp('cp-1', { apiserver: 'v1.32.0', kubelet: 'v1.31.4' }), cp('cp-2', { apiserver: 'v1.31.4', kubelet: 'v1.31.4' }), worker('w-1', { kubelet: 'v1.31.4' })], 'v1.32.0');
  const second = checkUpgrade(mid, 'cp-2', v('v1.32.0'));
  assert.equal(second.role, 'control-plane');
  assert.deepEqual(refusals(second), []);
  assert.ok(refusals(checkUpgrade(mid, 'w-1', v('v1.32.0'))).some((r) => /kubelet v1\.32\.0 would be newer than it/.test(r)));
});

test('kubelets that would fall out of the window refuse the control-plane move', () => {
  const withOld = cluster([cp('cp-1', { apiserver: 'v1.31.4', kubelet: 'v1.31.4' }), worker('w-old', { kubelet: 'v1.28.2' })], 'v1.31.4');
  assert.ok(refusals(checkUpgrade(withOld, 'cp-1', v('v1.32.0'))).some((r) => /w-old's kubelet/.test(r)));
});

test('a NotReady node asks; a node already at the target asks; unknown nodes are refused', () => {
  const s = cluster([cp('cp-1', { apiserver: 'v1.32.0', kubelet: 'v1.32.0' }), worker('w-1', { kubelet: 'v1.31.0', ready: false }), worker('w-2', { kubelet: 'v1.32.0' })], 'v1.32.0');
  assert.deepEqual(checkUpgrade(s, 'w-1', v('v1.32.0')).guards.map((g) => g.severity), ['ask']);
  assert.match(checkUpgrade(s, 'w-2', v('v1.32.0')).guards[0]!.reason, /already runs kubelet v1\.32\.0/);
  assert.match(refusals(checkUpgrade(s, 'nope', v('v1.32.0')))[0]!, /not in the cluster/);
});

test('resume re-checks the guards against the cluster as it is now', async () => {
  const { resumeGuards } = await import('../../../src/core/upgrade/resumeGuards');
  const { newRunState } = await import('../../../src/core/upgrade/state');
  const { DEFAULT_OPTIONS, phasesFor } = await import('../../../src/core/upgrade/phases');
  const ctx = { cluster: 'c', node: 'w-1', role: 'worker' as const, target: v('v1.32.0'), packageManager: 'apt' as const, packageVersion: '1.32.0-*', stamp: 's', options: DEFAULT_OPTIONS };
  const run = newRunState('r', ctx, phasesFor(ctx), new Date());
  // Started when the control plane was at 1.32; since then the first control plane was rolled back to 1.31.
  assert.ok(resumeGuards(at131, run).some((g) => g.severity === 'refuse' && /before workers/.test(g.reason)));
  // The run itself put the kubelet at the target: no "already at the target" question on resume.
  const done = cluster([cp('cp-1', { apiserver: 'v1.32.0', kubelet: 'v1.32.0' }), worker('w-1', { kubelet: 'v1.32.0' })], 'v1.32.0');
  assert.ok(resumeGuards(done, { ...run, phases: run.phases.map((p) => ({ ...p })) }).some((g) => g.code === 'already-at-target'));
  run.phases[0]!.status = 'done';
  assert.deepEqual(resumeGuards(done, run), []);
  // The node is gone: refused.
  const gone = cluster([cp('cp-1', { apiserver: 'v1.32.0', kubelet: 'v1.32.0' })], 'v1.32.0');
  assert.match(resumeGuards(gone, run)[0]!.reason, /not in the cluster/);
});
