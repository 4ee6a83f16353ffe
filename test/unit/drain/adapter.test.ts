import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiException } from '@kubernetes/client-node';
import { toFailure } from '../../../src/adapters/k8s/drain/kubeDrainApi';
import { ApiFailure } from '../../../src/core/drain';

test('toFailure: an ApiException with a Status body (text) keeps status, reason, message and causes', () => {
  const body = JSON.stringify({
    kind: 'Status',
    status: 'Failure',
    message: "Cannot evict pod as it would violate the pod's disruption budget.",
    reason: 'TooManyRequests',
    details: { causes: [{ reason: 'DisruptionBudget', type: 'DisruptionBudget', message: 'The disruption budget singleton needs 1 healthy pods and has 1 currently' }] },
    code: 429,
  });
  const f = toFailure(new ApiException(429, 'Unknown API Status Code!', body, {}));
  assert.ok(f instanceof ApiFailure);
  assert.equal(f.status, 429);
  assert.equal(f.reason, 'TooManyRequests');
  assert.equal(f.message, "Cannot evict pod as it would violate the pod's disruption budget.");
  assert.deepEqual(f.causes, ['DisruptionBudget']);
});

test('toFailure: object bodies, bodies that are not a Status, 401 without a body', () => {
  assert.equal(toFailure(new ApiException(404, 'x', { message: 'pods "a" not found', reason: 'NotFound' }, {})).message, 'pods "a" not found');
  assert.equal(toFailure(new ApiException(502, 'x', 'Bad Gateway', {})).message, 'the server answered 502');
  const u = toFailure(new ApiException(401, 'Unauthorized', undefined, {}));
  assert.equal(u.status, 401);
  assert.equal(u.message, 'the server answered 401');
});
