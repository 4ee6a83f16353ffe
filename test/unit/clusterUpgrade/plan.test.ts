import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clusterRunId } from '../../../src/core/clusterUpgrade/plan';

test('clusterRunId: the start time to the second, then the invocation\'s own part', () => {
  assert.equal(clusterRunId(new Date('2026-12-02T07:04:26.123Z'), '4242-a1b2c3'), 'cluster-20261202T070426Z-4242-a1b2c3');
});
