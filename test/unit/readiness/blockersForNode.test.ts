// Upgrade Node's gate: another node's own matters (unreachable, its package source, its drain) do not stop upgrading
// this node; cluster-wide findings and skew/health findings on any node still do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blockersForNode } from '../../../src/core/readiness';
import { result, type ReadinessReport } from '../../../src/core/readiness/types';

const report: ReadinessReport = {
  target: 'v1.36.3',
  generatedAt: '2026-12-07T00:00:00Z',
  checks: [
    result('node-access', 'blocker', 'worker-3', 'worker-3: not reachable'),
    result('node-access', 'blocker', 'cp-1', 'cp-1: not reachable'),
    result('package-repo', 'blocker', 'worker-2', 'retired repository'),
    result('skew-path', 'blocker', 'worker-3', 'kubelet v1.33 would be 3 minors behind'),
    result('etcd-health', 'blocker', null, 'member cp-3 unhealthy'),
    result('swap-enabled', 'warning', 'worker-1', 'swap on'),
  ],
};

test('blockersForNode: cp-1 is stopped by its own and cluster-wide blockers and by skew anywhere, not by worker-3 being unreachable', () => {
  const { blocking, otherNodes } = blockersForNode(report, 'cp-1');
  assert.deepEqual(blocking.map((b) => `${b.id}/${b.node}`), ['node-access/cp-1', 'skew-path/worker-3', 'etcd-health/null']);
  assert.deepEqual(otherNodes.map((b) => `${b.id}/${b.node}`), ['node-access/worker-3', 'package-repo/worker-2']);
});

test('blockersForNode: on worker-3 its own unreachability blocks; overrides still apply', () => {
  const { blocking } = blockersForNode(report, 'worker-3', ['skew-path', 'etcd-health']);
  assert.deepEqual(blocking.map((b) => `${b.id}/${b.node}`), ['node-access/worker-3']);
});
