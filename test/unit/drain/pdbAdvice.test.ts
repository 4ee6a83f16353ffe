// The advice for a PodDisruptionBudget that blocks a drain: named, with the command that relaxes it, and never
// "scale it up" for a maxUnavailable: 0 budget (no replica count makes it allow an eviction).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzePdbs } from '../../../src/core/drain/pdb';
import { budgetOf, budgetsInText, pdbAdvice } from '../../../src/core/drain/pdbAdvice';
import type { DrainPdb, DrainPod } from '../../../src/core/drain/types';

const pdb = (spec: DrainPdb['spec'], expectedPods: number): DrainPdb => ({
  metadata: { name: 'web-pdb', namespace: 'shop' },
  spec: { selector: { matchLabels: { app: 'web' } }, ...spec },
  status: { disruptionsAllowed: 0, currentHealthy: expectedPods, desiredHealthy: expectedPods, expectedPods },
});
const pod: DrainPod = { metadata: { name: 'web-1', namespace: 'shop', labels: { app: 'web' } }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } } as DrainPod;

describe('pdbAdvice', () => {
  it('maxUnavailable: 0 — scaling up cannot help; patch it to 1 and back', () => {
    const a = pdbAdvice(budgetOf(pdb({ maxUnavailable: 0 }, 3)));
    assert.match(a.text, /^PodDisruptionBudget shop\/web-pdb has maxUnavailable: 0: it forbids every voluntary eviction, whatever the number of replicas, so scaling the workload up does not help\./);
    assert.deepEqual(a.commands, [
      'kubectl -n shop get pdb web-pdb -o wide',
      `kubectl -n shop patch pdb web-pdb --type=merge -p '{"spec":{"maxUnavailable":1}}'`,
      'kubectl -n shop edit pdb web-pdb',
      `kubectl -n shop patch pdb web-pdb --type=merge -p '{"spec":{"maxUnavailable":0}}'`,
    ]);
  });
  it('minAvailable equal to the replicas — one more replica, or lower minAvailable', () => {
    const a = pdbAdvice(budgetOf(pdb({ minAvailable: 2 }, 2)));
    assert.match(a.text, /needs minAvailable 2 of its 2 pods: none may be evicted\. Either give the workload more replicas than the minimum \(scale it to 3/);
    assert.ok(a.commands.includes(`kubectl -n shop patch pdb web-pdb --type=merge -p '{"spec":{"minAvailable":1}}'`), a.commands.join('\n'));
  });
  it('the same advice from the drain\'s own message (a run keeps the text, not the object)', () => {
    const [finding] = analyzePdbs([pod], [pdb({ maxUnavailable: 0 }, 2)]);
    const text = `error when evicting pods/"web-1" -n "shop": global timeout reached: 5m0s — ${finding!.reason}`;
    assert.deepEqual(budgetsInText(text), [{ namespace: 'shop', name: 'web-pdb', rule: 'maxUnavailable', value: '0', replicas: 2 }]);
    const [pct] = analyzePdbs([pod], [pdb({ minAvailable: '100%' }, 3)]);
    assert.deepEqual(budgetsInText(pct!.reason), [{ namespace: 'shop', name: 'web-pdb', rule: 'minAvailable', value: '100%', replicas: 3 }]);
  });
  it('quotes names that need it', () => {
    const a = pdbAdvice({ namespace: 'a b', name: "x'y", rule: 'none', value: null, replicas: null });
    assert.equal(a.commands[0], `kubectl -n 'a b' get pdb 'x'\\''y' -o wide`);
  });
});
