import { test } from 'node:test';
import assert from 'node:assert/strict';
import { batchWorkers, budgetsFrom, describeImpact } from '../../../src/core/clusterUpgrade/batches';
import { parseMaxUnavailable, resolveMaxUnavailable } from '../../../src/core/drain/maxUnavailable';
import type { DrainPdb, DrainPod } from '../../../src/core/drain/types';

const pod = (name: string, labels: Record<string, string>, extra: Partial<DrainPod> = {}): DrainPod =>
  ({ metadata: { name, namespace: 'default', labels }, status: { phase: 'Running' }, ...extra }) as DrainPod;
const pdb = (name: string, app: string, allowed: number): DrainPdb =>
  ({ metadata: { name, namespace: 'default' }, spec: { selector: { matchLabels: { app } } }, status: { disruptionsAllowed: allowed } }) as DrainPdb;

test('maxUnavailable: a number, or a percentage of the workers rounded down, never below 1', () => {
  assert.equal(resolveMaxUnavailable('2', 10), 2);
  assert.equal(resolveMaxUnavailable('25%', 10), 2);
  assert.equal(resolveMaxUnavailable('10%', 3), 1);
  assert.equal(parseMaxUnavailable('0'), undefined);
  assert.equal(parseMaxUnavailable('150%'), undefined);
  assert.equal(parseMaxUnavailable('two'), undefined);
  assert.throws(() => resolveMaxUnavailable('-1', 3), /whole number/);
});

test('without budgets, workers go in batches of maxUnavailable, in order', () => {
  const b = batchWorkers(['w1', 'w2', 'w3', 'w4', 'w5'], 2, []);
  assert.deepEqual(b.map((x) => x.nodes), [['w1', 'w2'], ['w3', 'w4'], ['w5']]);
});

test('two nodes never share a batch when draining them together would exceed a PDB\'s allowed disruptions', () => {
  // web: one pod on each of w1, w2, w3, allows 1 disruption; nothing on w4.
  const budgets = budgetsFrom([pdb('web', 'web', 1)], {
    w1: [pod('web-a', { app: 'web' })],
    w2: [pod('web-b', { app: 'web' })],
    w3: [pod('web-c', { app: 'web' })],
    w4: [],
  });
  const b = batchWorkers(['w1', 'w2', 'w3', 'w4'], 2, budgets);
  assert.deepEqual(b.map((x) => x.nodes), [['w1', 'w4'], ['w2'], ['w3']]);
  assert.match(b[1]!.limitedBy ?? '', /PDB default\/web allows 1 disruption and draining w2, w3 together would evict 2/);
  for (const batch of b) for (const i of batch.impact) assert.ok(i.pods <= Math.max(i.allowed, 1));
});

test('a budget allowing 2 lets two of its nodes go together; a node alone may exceed it (its drain waits)', () => {
  const budgets = budgetsFrom([pdb('web', 'web', 2), pdb('api', 'api', 1)], {
    w1: [pod('web-a', { app: 'web' }), pod('api-a', { app: 'api' })],
    w2: [pod('web-b', { app: 'web' }), pod('api-b', { app: 'api' })],
    w3: [pod('web-c', { app: 'web' }), pod('web-d', { app: 'web' }), pod('web-e', { app: 'web' })],
  });
  const b = batchWorkers(['w1', 'w2', 'w3'], 3, budgets);
  // w1+w2 would evict 2 api pods (1 allowed); w1+w3 4 web pods (2 allowed).
  assert.deepEqual(b.map((x) => x.nodes), [['w1'], ['w2'], ['w3']]);
  assert.equal(b[2]!.impact[0]!.serialised, true);
  assert.match(describeImpact(b[2]!.impact), /default\/web: 3 pods evicted, 2 disruptions allowed \(evicted one after another/);
});

test('DaemonSet pods, mirror pods and finished pods do not count against a budget', () => {
  const budgets = budgetsFrom([pdb('web', 'web', 1)], {
    w1: [pod('ds', { app: 'web' }, { metadata: { name: 'ds', namespace: 'default', labels: { app: 'web' }, ownerReferences: [{ kind: 'DaemonSet', name: 'x', controller: true }] } } as Partial<DrainPod>)],
    w2: [pod('done', { app: 'web' }, { status: { phase: 'Succeeded' } } as Partial<DrainPod>)],
  });
  assert.deepEqual(budgets, []);
  assert.deepEqual(batchWorkers(['w1', 'w2'], 2, budgets).map((x) => x.nodes), [['w1', 'w2']]);
});
