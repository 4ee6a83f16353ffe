import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterOrder } from '../../../src/core/upgrade/clusterOrder';
import { buildClusterPlan, formatPlan, upgradePath } from '../../../src/core/clusterUpgrade/plan';
import { DEFAULT_OPTIONS, type UpgradeContext } from '../../../src/core/upgrade/phases';
import { parseVersion } from '../../../src/core/version';
import { cluster, cp, worker } from '../helpers/snapshot';

const T = parseVersion('v1.36.3')!;
const old = { apiserver: '1.35.4', controllerManager: '1.35.4', scheduler: '1.35.4', kubelet: '1.35.4' };

test('order: first control plane (apply), other control planes, workers; names sorted', () => {
  const s = cluster([worker('w-b', { kubelet: '1.35.4' }), cp('cp-2', old), worker('w-a', { kubelet: '1.35.4' }), cp('cp-1', old)], '1.35.4');
  const o = clusterOrder(s, T);
  assert.deepEqual(o.map((n) => `${n.name}:${n.role}`), ['cp-1:first-control-plane', 'cp-2:control-plane', 'w-a:worker', 'w-b:worker']);
});

test('after the first control plane moved, nodes at the target are skipped and no control plane is "first"', () => {
  const s = cluster([cp('cp-1', { ...old, apiserver: '1.36.3', kubelet: '1.36.3' }), cp('cp-2', old), worker('w-1', { kubelet: '1.36.3' }), worker('w-2', { kubelet: '1.36.3', cordoned: true })], '1.36.3');
  const o = clusterOrder(s, T);
  assert.deepEqual(o.map((n) => `${n.name}:${n.role}:${n.skip ? 'skip' : 'run'}`), ['cp-1:control-plane:skip', 'cp-2:control-plane:run', 'w-1:worker:skip', 'w-2:worker:run']);
});

test('a cluster two minors behind gets the path, one run per minor', () => {
  assert.match(upgradePath(parseVersion('v1.34.2')!, T)!, /v1\.34 → v1\.35 → v1\.36: .*2 runs/);
  assert.equal(upgradePath(parseVersion('v1.35.4')!, T), undefined);
});

test('the plan shows order, batches with PDB impact, per-node scripts, the downtime estimate and blockers not overridden', () => {
  const s = cluster([cp('cp-1', old), worker('w-1', { kubelet: '1.35.4' }), worker('w-2', { kubelet: '1.35.4' })], '1.35.4');
  const order = clusterOrder(s, T);
  const ctx = (node: string): UpgradeContext => ({ cluster: 'c', node, role: 'worker', target: T, packageManager: 'apt', packageVersion: '1.36.3-1.1', stamp: '20260101T0000Z', options: DEFAULT_OPTIONS });
  const plan = buildClusterPlan({
    cluster: 'c',
    snapshot: s,
    target: T,
    order,
    contexts: { 'cp-1': ctx('cp-1'), 'w-1': ctx('w-1'), 'w-2': ctx('w-2') },
    budgets: [{ name: 'default/web', allowed: 1, podsByNode: { 'w-1': 1, 'w-2': 1 } }],
    maxUnavailable: '2',
    readiness: { blockers: [{ id: 'deprecated-apis', message: 'x' }, { id: 'certs', message: 'y' }], notes: ['n'] },
    overrides: ['certs'],
    options: DEFAULT_OPTIONS,
  });
  assert.deepEqual(plan.batches.map((b) => b.nodes), [['w-1'], ['w-2']]);
  assert.deepEqual(plan.blocking.map((b) => b.id), ['deprecated-apis']);
  const text = formatPlan(plan);
  assert.match(text, /1\. cp-1 \(first control plane: kubeadm upgrade apply\)/);
  assert.match(text, /batch 1: w-1 — PDB impact: default\/web: 1 pod evicted, 1 disruption allowed/);
  assert.match(text, /About 1–3 minutes without the API on the single control plane/);
  // cp-1's script is the apply one even though its context said worker: the order decides the role.
  assert.match(text, /## cp-1[\s\S]*kubeadm upgrade apply v1\.36\.3 --yes/);
  assert.match(text, /BLOCKER \[deprecated-apis\]/);
  assert.match(text, /overridden \[certs\]/);
});
