// A drain the preview knows cannot finish (a PDB allowing 0 disruptions) is named as such, with the PDB and the
// command that relaxes it; a budget that only slows the drain down is not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzePdbs } from '../../../src/core/drain/pdb';
import { hopelessDrain, hopelessDrainDocument } from '../../../src/core/drain/hopeless';
import type { DrainPdb, DrainPod } from '../../../src/core/drain/types';

const pod = (name: string): DrainPod => ({ metadata: { name, namespace: 'default', labels: { app: 'singleton' } }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } }) as DrainPod;
const budget = (spec: DrainPdb['spec'], allowed: number, pods: number): DrainPdb => ({
  metadata: { name: 'singleton', namespace: 'default' },
  spec: { selector: { matchLabels: { app: 'singleton' } }, ...spec },
  status: { disruptionsAllowed: allowed, currentHealthy: pods, desiredHealthy: pods - allowed, expectedPods: pods },
});
const preview = (pdb: DrainPdb, pods: DrainPod[]) => ({ node: 'worker-1', plan: { toEvict: pods, toDelete: [], warnings: [], errors: [] }, pdbFindings: analyzePdbs(pods, [pdb]) }) as never;

test('minAvailable 1 of 1 replica: hopeless, the PDB named with its fix', () => {
  const h = hopelessDrain(preview(budget({ minAvailable: 1 }, 0, 1), [pod('singleton-1')]))!;
  assert.ok(h);
  assert.deepEqual(h.reasons, ['default/singleton-1: PDB default/singleton allows 0 disruptions (minAvailable 1 of 1 replica): this pod can never be evicted']);
  assert.equal(h.budgets[0]!.name, 'singleton');
  const doc = hopelessDrainDocument('worker-1', h);
  assert.match(doc, /^# Why the drain of worker-1 cannot finish/);
  assert.match(doc, /kubectl -n default patch pdb singleton --type=merge -p '\{"spec":\{"minAvailable":0\}\}'/);
  assert.match(doc, /kubectl -n default get pdb singleton -o yaml/);
});

test('a budget that allows one disruption at a time only slows the drain: not hopeless', () => {
  assert.equal(hopelessDrain(preview(budget({ maxUnavailable: 1 }, 1, 4), [pod('a'), pod('b')])), null);
});
