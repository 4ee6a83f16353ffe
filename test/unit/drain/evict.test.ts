import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiFailure, classifyEvictionError, type DrainPod } from '../../../src/core/drain';

const pod = (deleting: boolean): DrainPod => ({ metadata: { namespace: 'gone-ns', name: 'web-1', ...(deleting ? { deletionTimestamp: '2026-12-02T07:00:00Z' } : {}) } }) as DrainPod;

test('eviction errors as kubectl reads them: 404 gone, 429 retry (a budget), anything else fails', () => {
  assert.equal(classifyEvictionError(new ApiFailure('not found', 404), pod(false)), 'gone');
  assert.equal(classifyEvictionError(new ApiFailure('Cannot evict pod as it would violate the pod\'s disruption budget.', 429), pod(false)), 'retry-budget');
  assert.equal(classifyEvictionError(new ApiFailure('forbidden', 403), pod(false)), 'fail', 'a 403 without NamespaceTerminating is RBAC: fail');
  assert.equal(classifyEvictionError(new ApiFailure('internal', 500), pod(false)), 'fail');
  assert.equal(classifyEvictionError(new Error('socket hang up'), pod(false)), 'fail', 'a transport error is not an API verdict');
});

test('NamespaceTerminating: a pod already being deleted is waited for; otherwise the eviction is retried', () => {
  const e = new ApiFailure('pods "web-1" is forbidden: unable to create new content in namespace gone-ns because it is being terminated', 403, 'Forbidden', ['NamespaceTerminating']);
  assert.equal(classifyEvictionError(e, pod(true)), 'being-deleted');
  assert.equal(classifyEvictionError(e, pod(false)), 'retry-namespace-terminating');
  assert.equal(classifyEvictionError(new ApiFailure('x', 429, 'TooManyRequests', ['NamespaceTerminating']), pod(true)), 'retry-budget', 'only a 403 carries that cause');
});
