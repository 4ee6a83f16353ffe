import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiException } from '@kubernetes/client-node';
import { apiStatus, failureFacts } from '../../src/adapters/k8s/failure';

// failure.ts is the one reader of client-node's errors; the drain's toFailure and the access errors both go through it.
const status = JSON.stringify({ kind: 'Status', message: 'Cannot evict pod', reason: 'TooManyRequests', details: { causes: [{ type: 'DisruptionBudget' }, { message: 'no type' }] } });

test('apiStatus reads the Status from a text body: status, message, reason, cause types', () => {
  assert.deepEqual(apiStatus(new ApiException(429, 'x', status, {})), { httpStatus: 429, message: 'Cannot evict pod', reason: 'TooManyRequests', causes: ['DisruptionBudget'] });
});

test('apiStatus: object bodies, text that is not a Status, no body, not an ApiException', () => {
  assert.deepEqual(apiStatus(new ApiException(404, 'x', { message: 'pods "a" not found', reason: 'NotFound' }, {})), { httpStatus: 404, message: 'pods "a" not found', reason: 'NotFound', causes: [] });
  assert.deepEqual(apiStatus(new ApiException(502, 'x', 'Bad Gateway', {})), { httpStatus: 502, message: undefined, reason: undefined, causes: [] });
  assert.deepEqual(apiStatus(new ApiException(401, 'x', undefined, {})), { httpStatus: 401, message: undefined, reason: undefined, causes: [] });
  assert.deepEqual(apiStatus(new Error('socket hang up')), { httpStatus: undefined, message: undefined, reason: undefined, causes: [] });
});

test('failureFacts keeps the Status message, or the first line of a text body', () => {
  assert.equal(failureFacts(new ApiException(429, 'x', status, {})).serverMessage, 'Cannot evict pod');
  assert.equal(failureFacts(new ApiException(502, 'x', 'Bad Gateway\nmore', {})).serverMessage, 'Bad Gateway');
  assert.equal(failureFacts(new ApiException(502, 'x', '  ', {})).serverMessage, undefined);
});
