import { test } from 'node:test';
import assert from 'node:assert/strict';
import { drainNode } from '../../../src/core/drain';
import { pinnedReplacementReason, pinnedTo, type PendingPod } from '../../../src/core/drain/pinned';
import { FakeApi, pdb, pod, rs, tooMany, virtualClock } from './helpers';

const replacement = (over: Partial<NonNullable<PendingPod['spec']>> = {}): PendingPod => ({
  metadata: { name: 'web-new', namespace: 'default', labels: { app: 'web' } },
  spec: { nodeSelector: { 'kubernetes.io/hostname': 'worker-1' }, ...over },
  status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: "0/6 nodes are available: 1 node(s) were unschedulable, 5 node(s) didn't match Pod's node affinity/selector." }] },
});

test('pinned: a hostname nodeSelector, or required node affinity whose every term allows only that node', () => {
  assert.equal(pinnedTo(replacement(), 'worker-1'), 'nodeSelector kubernetes.io/hostname=worker-1');
  assert.equal(pinnedTo(replacement(), 'worker-2'), undefined);
  const affinity = (values: string[]) => replacement({ nodeSelector: {}, affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values }] }] } } } });
  assert.equal(pinnedTo(affinity(['worker-1']), 'worker-1'), 'required node affinity to worker-1');
  assert.equal(pinnedTo(affinity(['worker-1', 'worker-2']), 'worker-1'), undefined, 'another node would do');
});

test('the reason names the replacement, the pin, the budget and the way out; none without a pending pinned pod under the same budget', () => {
  const evicting = pod('web-1', { owner: rs('web'), labels: { app: 'web' } });
  const budgets = [pdb('web', { maxUnavailable: 1, labels: { app: 'web' } }, { allowed: 0, healthy: 1, desired: 1, expected: 2 })];
  const reason = pinnedReplacementReason(evicting, [replacement()], budgets, 'worker-1')!;
  assert.match(reason, /^pod default\/web-new, the replacement of an evicted pod, cannot be scheduled: it is pinned to worker-1 \(nodeSelector kubernetes\.io\/hostname=worker-1\), which is cordoned \(scheduler: 0\/6 nodes are available/);
  assert.match(reason, /PodDisruptionBudget default\/web will refuse to evict web-1 until it runs, so retrying cannot succeed\. Remove the pin .* or uncordon worker-1\.$/);
  assert.equal(pinnedReplacementReason(evicting, [replacement({ nodeName: 'worker-1' })], budgets, 'worker-1'), undefined, 'already placed');
  assert.equal(pinnedReplacementReason(evicting, [{ ...replacement(), metadata: { name: 'db-new', namespace: 'default', labels: { app: 'db' } } }], budgets, 'worker-1'), undefined, 'another budget');
  assert.equal(pinnedReplacementReason(evicting, [replacement()], [], 'worker-1'), undefined, 'no budget');
});

test('the drain stops at the first 429 that waits for a pinned replacement, instead of "will retry" until its timeout', async () => {
  const api = new FakeApi();
  const clock = virtualClock();
  api.pods = [pod('web-1', { owner: rs('web'), labels: { app: 'web' } })];
  api.pdbs = [pdb('web', { maxUnavailable: 1, labels: { app: 'web' } }, { allowed: 0, healthy: 1, desired: 1, expected: 2 })];
  api.behaviour.set('default/web-1', () => tooMany());
  const withPending = Object.assign(api, { listPendingPods: async () => [replacement()] });
  const r = await drainNode(withPending, 'worker-1', { timeoutMs: 600_000 }, { clock });
  assert.equal(r.ok, false);
  assert.equal(api.attempts.get('default/web-1'), 1, 'no retry');
  assert.match(r.errors[0]!, /^error when evicting pods\/"web-1" -n "default": pod default\/web-new, the replacement of an evicted pod, cannot be scheduled: it is pinned to worker-1/);
});
