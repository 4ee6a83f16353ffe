// Show Recovery Steps follows the failure: a PDB-blocked drain gets the PDB and the command that relaxes it, not the
// kubelet's journal or `kubeadm upgrade node` on a node whose kubelet was never touched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzePdbs } from '../../../src/core/drain/pdb';
import type { DrainPod } from '../../../src/core/drain/types';
import { DEFAULT_OPTIONS, phasesFor, type UpgradeContext } from '../../../src/core/upgrade/phases';
import { recoveryMarkdown } from '../../../src/core/upgrade/recovery';
import { newRunState, type UpgradeRunState } from '../../../src/core/upgrade/state';
import { parseVersion } from '../../../src/core/version';

const ctx: UpgradeContext = { cluster: 'prod', node: 'worker-1', role: 'worker', target: parseVersion('v1.36.3')!, packageManager: 'apt', packageVersion: '1.36.3-1.1', stamp: '20261207T0900Z', options: DEFAULT_OPTIONS };

/** A run stopped at `failedAt`, every step before it done, with `error` as the runner keeps it. */
function stoppedAt(failedAt: string, error: string): UpgradeRunState {
  const run = newRunState('r1', ctx, phasesFor(ctx), new Date('2026-12-07T09:00:00Z'));
  const i = run.phases.findIndex((p) => p.id === failedAt);
  run.phases.forEach((p, j) => (p.status = j < i ? 'done' : j === i ? 'failed' : 'pending'));
  run.phases[i]!.error = error;
  run.status = 'failed';
  run.error = error;
  run.cordoned = i >= run.phases.findIndex((p) => p.id === 'drain');
  return run;
}

test('a drain held back by maxUnavailable: 0 — the PDB, the patch, Resume; no kubelet or kubeadm advice', () => {
  const pod = { metadata: { name: 'web-1', namespace: 'shop', labels: { app: 'web' } }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } } as DrainPod;
  const [f] = analyzePdbs([pod], [{ metadata: { name: 'web-pdb', namespace: 'shop' }, spec: { maxUnavailable: 0, selector: { matchLabels: { app: 'web' } } }, status: { disruptionsAllowed: 0, expectedPods: 2, currentHealthy: 2, desiredHealthy: 2 } }]);
  const md = recoveryMarkdown(stoppedAt('drain', `error when evicting pods/"web-1" -n "shop": global timeout reached: 5m0s — ${f!.reason}`), ['drain-pdb-blocked']);
  assert.match(md, /## What stopped it: the drain/);
  assert.match(md, /`kubeadm upgrade` already succeeded on worker-1, and its kubelet was not touched/);
  assert.match(md, /### PodDisruptionBudget `shop\/web-pdb`/);
  assert.match(md, /scaling the workload up does not help/);
  assert.match(md, /kubectl -n shop patch pdb web-pdb --type=merge -p '\{"spec":\{"maxUnavailable":1\}\}'/);
  assert.match(md, /Kubeadm: Resume Upgrade/);
  const code = [...md.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]).join('');
  assert.doesNotMatch(code, /journalctl|kubeadm upgrade|restart kubelet/, 'no command for the node itself');
  assert.doesNotMatch(md, /scale it up/i);
});

test('a failed kubeadm step keeps the kubeadm advice, with sudo on the root commands', () => {
  const md = recoveryMarkdown(stoppedAt('kubeadm-upgrade', 'exit code 1: [upgrade] FATAL'));
  assert.match(md, /sudo journalctl -xeu kubelet/);
  assert.match(md, /sudo kubeadm upgrade node/);
  assert.match(md, /worker-1 was not drained/);
});

test('a package step: nothing of the cluster changed yet', () => {
  const md = recoveryMarkdown(stoppedAt('install-kubeadm', 'exit code 100: E: Version not found'));
  assert.match(md, /Nothing of the cluster was changed yet/);
  assert.doesNotMatch(md, /kubeadm upgrade node|journalctl/);
});
