import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterRunState } from '../../../src/core/clusterUpgrade/state';
import { DEFAULT_OPTIONS } from '../../../src/core/upgrade/phases';
import { parseVersion } from '../../../src/core/version';
import { renderClusterUpgrade } from '../../../webview/render/clusterUpgrade';

const run = (over: Partial<ClusterRunState> = {}): ClusterRunState => ({
  kind: 'cluster-run',
  id: 'cluster-1',
  cluster: 'prod<script>',
  target: parseVersion('v1.36.3')!,
  options: DEFAULT_OPTIONS,
  maxUnavailable: '1',
  skipSnapshot: true,
  overrides: [],
  readinessNotes: ['Readiness report: not available in this build'],
  nodes: [
    { name: 'cp-1', role: 'first-control-plane', stage: 'first-control-plane', status: 'done', startedAt: '2026-01-01T00:00:00Z', endedAt: '2026-01-01T00:01:40Z' },
    { name: 'w-1', role: 'worker', stage: 'worker', status: 'failed', batch: 1, step: { index: 9, total: 11, title: 'Restart kubelet' }, error: 'exit code 1: <boom>' },
    { name: 'w-2', role: 'worker', stage: 'worker', status: 'queued' },
  ],
  plannedBatches: [],
  status: 'failed',
  error: 'w-1 failed',
  recovery: ['Fix it', 'Resume'],
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  ...over,
});

test('a row per node with its progress, duration and error; recovery steps; Resume when stopped; everything escaped', () => {
  const html = renderClusterUpgrade({ run: run(), output: { 'w-1': 'E: <x>' }, active: false, now: Date.parse('2026-01-01T00:05:00Z') });
  assert.match(html, /Upgrade Cluster prod&lt;script&gt; → v1\.36\.3/);
  assert.doesNotMatch(html, /<script>|<boom>|<x>/);
  assert.match(html, /data-node="cp-1"><td>✔<\/td><td>cp-1<\/td><td>first control plane \(apply\)<\/td><td><\/td><td>done<\/td><td>100 s<\/td>/);
  assert.match(html, /failed at step 9 of 11: Restart kubelet/);
  assert.match(html, /<ol id="recovery"><li>Fix it<\/li><li>Resume<\/li><\/ol>/);
  assert.match(html, /data-action="resume"/);
  assert.match(html, /1\/3 nodes done · failed/);
  assert.match(html, /not available in this build/);
});

test('Pause and Cancel while running here; Continue while paused', () => {
  assert.match(renderClusterUpgrade({ run: run({ status: 'running' }), output: {}, active: true, now: 0 }), /data-action="pause".*data-action="cancel"/);
  assert.match(renderClusterUpgrade({ run: run({ status: 'paused' }), output: {}, active: true, now: 0 }), /data-action="continue"/);
});

test('a node failure is said once: the run line names the node and step, the error is in its row only; its pages are buttons', () => {
  const failed = run({ error: 'w-1 failed: exit code 1: <boom>', nodes: [{ name: 'w-1', role: 'worker', stage: 'worker', status: 'failed', runId: 'run-w1', step: { index: 9, total: 11, title: 'Restart kubelet' }, error: 'exit code 1: <boom>' }] });
  const html = renderClusterUpgrade({ run: failed, output: {}, active: false, now: 0 });
  assert.equal(html.split('exit code 1: &lt;boom&gt;').length - 1, 1, html);
  assert.match(html, /Stopped: w-1 failed at step 9 of 11 \(Restart kubelet\)\. What it said is in its row/);
  assert.match(html, /data-action="resume">Resume<\/button> <button data-action="what-happened">What Happened \(w-1\)<\/button> <button data-action="recovery-steps">Recovery Steps \(w-1\)<\/button>/);
});

test('a run of another cluster than the context reaches now is marked stale and offers no Resume', () => {
  const html = renderClusterUpgrade({ run: run(), output: {}, active: false, now: 0, otherCluster: 'This run was made for the cluster at A.' });
  assert.match(html, /<h2>Another cluster now<\/h2><p>This run was made for the cluster at A\.<\/p>/);
  assert.doesNotMatch(html, /data-action="resume"/);
});
