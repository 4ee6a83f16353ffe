import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzePdbs, describeBudget, neverAllows, scaledValue, selectorMatches } from '../../../src/core/drain/pdb';
import { pdb, pod, rs } from './helpers';

const web = (name: string, extra: Parameters<typeof pod>[1] = {}) => pod(name, { owner: rs('web-1'), labels: { app: 'web' }, ...extra });

test('minAvailable 1 of 1 replica with 0 allowed: never evictable, reason names the PDB and the numbers', () => {
  const f = analyzePdbs([web('web-a')], [pdb('web', { minAvailable: 1, labels: { app: 'web' } }, { allowed: 0, healthy: 1, desired: 1, expected: 1 })]);
  assert.deepEqual(f, [
    { pod: 'default/web-a', pdbs: ['default/web'], kind: 'never', reason: 'PDB default/web allows 0 disruptions (minAvailable 1 of 1 replica): this pod can never be evicted' },
  ]);
});

const cases: { name: string; spec: Parameters<typeof pdb>[1]; status: Parameters<typeof pdb>[2]; pods?: number; kind?: string; reason?: RegExp }[] = [
  { name: 'maxUnavailable 0', spec: { maxUnavailable: 0 }, status: { allowed: 0, healthy: 3, desired: 3, expected: 3 }, kind: 'never', reason: /maxUnavailable 0 of 3 replicas\): this pod can never be evicted/ },
  { name: 'minAvailable 100%', spec: { minAvailable: '100%' }, status: { allowed: 0, healthy: 2, desired: 2, expected: 2 }, kind: 'never', reason: /minAvailable 100% \(2 of 2 replicas\)/ },
  { name: 'maxUnavailable 0%', spec: { maxUnavailable: '0%' }, status: { allowed: 0, healthy: 2, desired: 2, expected: 2 }, kind: 'never' },
  { name: 'minAvailable 2 of 3 but one unhealthy: blocked until healthy', spec: { minAvailable: 2 }, status: { allowed: 0, healthy: 2, desired: 2, expected: 3 }, kind: 'blocked', reason: /2 of 3 pods healthy, 2 needed; eviction is retried/ },
  { name: 'minAvailable 1 of 2, one disruption allowed, one pod here: not blocked', spec: { minAvailable: 1 }, status: { allowed: 1, healthy: 2, desired: 1, expected: 2 } },
  { name: 'maxUnavailable 1 of 3, two pods here: limited', spec: { maxUnavailable: 1 }, status: { allowed: 1, healthy: 3, desired: 2, expected: 3 }, pods: 2, kind: 'limited', reason: /allows 1 disruption \(maxUnavailable 1 of 3 replicas\) and 2 of its pods are on this node/ },
  { name: 'minAvailable 50% of 4, allowed 2, two pods here: fine', spec: { minAvailable: '50%' }, status: { allowed: 2, healthy: 4, desired: 2, expected: 4 }, pods: 2 },
];

for (const c of cases) {
  test(`PDB analysis: ${c.name}`, () => {
    const pods = Array.from({ length: c.pods ?? 1 }, (_, i) => web(`web-${i}`));
    const f = analyzePdbs(pods, [pdb('web', { ...c.spec, labels: { app: 'web' } }, c.status)]);
    if (!c.kind) return assert.deepEqual(f, []);
    assert.equal(f.length, pods.length);
    for (const x of f) {
      assert.equal(x.kind, c.kind);
      if (c.reason) assert.match(x.reason, c.reason);
    }
  });
}

test('two PDBs covering one pod: conflict (the API server answers 500)', () => {
  const f = analyzePdbs([web('web-a')], [
    pdb('web', { maxUnavailable: 1, labels: { app: 'web' } }, { allowed: 1, healthy: 3, desired: 2, expected: 3 }),
    pdb('all', { maxUnavailable: 1, labels: {} }, { allowed: 1, healthy: 3, desired: 2, expected: 3 }),
  ]);
  assert.equal(f.length, 1);
  assert.equal(f[0]!.kind, 'conflict');
  assert.deepEqual(f[0]!.pdbs, ['default/web', 'default/all']);
  assert.match(f[0]!.reason, /more than one PodDisruptionBudget/);
});

test('other namespaces, null selectors and non-matching labels do not cover the pod', () => {
  const f = analyzePdbs([web('web-a')], [
    pdb('other-ns', { minAvailable: 1, labels: { app: 'web' } }, { allowed: 0, healthy: 1, desired: 1, expected: 1 }, 'prod'),
    pdb('nil', { minAvailable: 1, labels: null }, { allowed: 0, healthy: 1, desired: 1, expected: 1 }),
    pdb('db', { minAvailable: 1, labels: { app: 'db' } }, { allowed: 0, healthy: 1, desired: 1, expected: 1 }),
  ]);
  assert.deepEqual(f, []);
});

test('pods that are not running, or unready with a healthy budget / AlwaysAllow, are not held back', () => {
  const budget = (policy?: string) => pdb('web', { minAvailable: 1, labels: { app: 'web' }, ...(policy ? { policy } : {}) }, { allowed: 0, healthy: 1, desired: 1, expected: 2 });
  assert.deepEqual(analyzePdbs([web('p', { phase: 'Pending' })], [budget()]), []);
  assert.deepEqual(analyzePdbs([web('p', { phase: 'Succeeded' })], [budget()]), []);
  assert.deepEqual(analyzePdbs([web('p', { ready: false })], [budget()]), [], 'IfHealthyBudget: healthy >= desired');
  const sick = pdb('web', { minAvailable: 2, labels: { app: 'web' } }, { allowed: 0, healthy: 1, desired: 2, expected: 2 });
  assert.equal(analyzePdbs([web('p', { ready: false })], [sick]).length, 1, 'IfHealthyBudget with an unhealthy budget blocks');
  const always = pdb('web', { minAvailable: 2, labels: { app: 'web' }, policy: 'AlwaysAllow' }, { allowed: 0, healthy: 1, desired: 2, expected: 2 });
  assert.deepEqual(analyzePdbs([web('p', { ready: false })], [always]), []);
  assert.equal(analyzePdbs([web('p', { ready: true })], [always]).length, 1);
});

test('selectorMatches: matchLabels and every matchExpressions operator', () => {
  const l = { app: 'web', tier: 'front' };
  assert.equal(selectorMatches({}, l), true);
  assert.equal(selectorMatches(null, l), false);
  assert.equal(selectorMatches(undefined, l), false);
  assert.equal(selectorMatches({ matchLabels: { app: 'web' } }, l), true);
  assert.equal(selectorMatches({ matchLabels: { app: 'db' } }, l), false);
  assert.equal(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'back'] }] }, l), true);
  assert.equal(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['back'] }] }, l), false);
  assert.equal(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['back'] }] }, l), true);
  assert.equal(selectorMatches({ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, l), true);
  assert.equal(selectorMatches({ matchExpressions: [{ key: 'app', operator: 'Exists' }] }, l), true);
  assert.equal(selectorMatches({ matchExpressions: [{ key: 'zone', operator: 'Exists' }] }, l), false);
  assert.equal(selectorMatches({ matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }, l), true);
  assert.equal(selectorMatches({ matchExpressions: [{ key: 'app', operator: 'Bogus' }] }, l), false);
});

test('scaledValue rounds percentages up, as the disruption controller does', () => {
  assert.equal(scaledValue(2, 5), 2);
  assert.equal(scaledValue('50%', 3), 2);
  assert.equal(scaledValue('10%', 3), 1);
  assert.equal(scaledValue('0%', 3), 0);
  assert.equal(scaledValue('3', 5), 3);
  assert.equal(scaledValue(undefined, 5), undefined);
});

test('describeBudget and neverAllows', () => {
  const b = pdb('x', { minAvailable: 1 }, { allowed: 0, healthy: 1, desired: 1, expected: 1 });
  assert.equal(describeBudget(b), 'minAvailable 1 of 1 replica');
  assert.equal(neverAllows(b), true);
  assert.equal(neverAllows(pdb('x', { minAvailable: 1 }, { allowed: 0, healthy: 0, desired: 1, expected: 2 })), false);
  assert.equal(neverAllows(pdb('x', { maxUnavailable: '30%' }, { allowed: 0, healthy: 3, desired: 2, expected: 3 })), false);
});
