// The failed step's "What happened": its own output cut from the run transcript, explained above the raw output.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { explainStep, stepOutput, whatHappenedDocument } from '../../../src/core/explain';
import { fixture, FIXTURES } from './helpers';

const k07 = fixture(readdirSync(FIXTURES).find((f) => f.startsWith('K07_'))!);
const k03 = fixture(readdirSync(FIXTURES).find((f) => f.startsWith('K03_'))!);

// The run output's shape (src/ui/upgrade/upgradeService.ts): a coloured header per step, the script, the output.
const transcript = [
  '\u001b[1mUpgrading cp-2 (control-plane) in prod to v1.33.2\u001b[0m',
  '\n\u001b[36m▶ 6/10 Upgrade the control plane (kubeadm upgrade node)\u001b[0m',
  '$ sudo kubeadm upgrade node',
  k07,
  '\n\u001b[31m✖ Step 6/10 "Upgrade the control plane (kubeadm upgrade node)" failed: exit code 1\u001b[0m',
].join('\n');
const step = { index: 5, total: 10, title: 'Upgrade the control plane (kubeadm upgrade node)' };

test('stepOutput: only the failed step, without colours and without the run\'s own closing line', () => {
  const out = stepOutput(transcript, step);
  assert.ok(out.startsWith('$ sudo kubeadm upgrade node'));
  assert.ok(out.includes('static Pod hash for component kube-apiserver'));
  assert.ok(!out.includes('✖') && !out.includes('Upgrading cp-2') && !out.includes('\u001b'));
});

test('stepOutput: the kept tail and error when the transcript is gone (after a reload)', () => {
  assert.equal(stepOutput('', { ...step, outputTail: 'tail', error: 'exit code 1' }), 'tail\nexit code 1');
});

test('explainStep + whatHappenedDocument: the explanation first, then the raw output', () => {
  const out = stepOutput(transcript, step);
  const r = explainStep(out, 'cp-2', 'v1.33.2')!;
  assert.equal(r.explanation.command, 'node');
  assert.equal(r.explanation.failures[0]!.id, 'static-pod-hash-unchanged');
  const doc = whatHappenedDocument(r, step, out);
  const what = doc.indexOf('## What happened');
  const raw = doc.indexOf('## Raw output of the step');
  assert.ok(what > 0 && raw > what);
  assert.ok(doc.indexOf('static-pod-hash-unchanged') < raw);
  assert.ok(doc.slice(raw).includes('did not change after 5m0s'));
});

test('explainStep: null when nothing is recognised, or the output is empty', () => {
  assert.equal(explainStep('', 'n', 'v1.33.2'), null);
  assert.equal(explainStep('just some text', 'n', 'v1.33.2'), null);
  assert.notEqual(explainStep(k03, 'cp-1', 'v1.33.0'), null, 'warnings are worth showing too');
});

test('explainFailedRun: a saved run whose kubeadm step failed is explained from its kept output (CLI and Upgrade Cluster use it)', async () => {
  const { explainFailedRun } = await import('../../../src/core/explain');
  const { newRunState } = await import('../../../src/core/upgrade/state');
  const { phasesFor, DEFAULT_OPTIONS } = await import('../../../src/core/upgrade/phases');
  const { parseVersion } = await import('../../../src/core/version');
  const ctx = {
    cluster: 'prod', node: 'cp-2', role: 'control-plane', target: parseVersion('v1.33.2')!, packageManager: 'apt', packageVersion: '1.33.2-1.1',
    repoChange: null, options: DEFAULT_OPTIONS, stamp: '20261202T0700Z',
  } as unknown as Parameters<typeof phasesFor>[0];
  const run = newRunState('r1', ctx, phasesFor(ctx), new Date('2026-12-02T07:00:00Z'));
  assert.equal(explainFailedRun(run), null, 'nothing failed: nothing to explain');
  const ps = run.phases.find((p) => p.id === 'kubeadm-upgrade')!;
  ps.status = 'failed';
  ps.outputTail = k07;
  ps.error = 'exit code 1';
  const e = explainFailedRun(run)!;
  assert.equal(e.step.title, ps.title);
  assert.ok(e.result.findings.some((f) => f.id === 'static-pod-hash-unchanged'), e.result.findings.map((f) => f.id).join(', '));
});
