// Uncordon (idempotent) is tried again when the request got no HTTP answer — seen on the real HA cluster: "Client
// network socket disconnected before secure TLS connection was established" right after a control plane's kubelet
// restart — and never when the server answered (403, 409, 500).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { retryUnanswered, unanswered } from '../../../src/adapters/k8s/unanswered';

const tls = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('Client network socket disconnected before secure TLS connection was established'), { code: 'ECONNRESET' }) });
const forbidden = Object.assign(new Error('HTTP-Code: 403 Message: Unknown API Status Code!'), { code: 403, body: '{"kind":"Status","message":"nodes \\"cp-2\\" is forbidden"}' });

test('unanswered: a reset, a refused connection or a TLS handshake cut; never an HTTP status', () => {
  assert.equal(unanswered(tls), true);
  assert.equal(unanswered(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), { code: 'ECONNREFUSED' })), true);
  assert.equal(unanswered(forbidden), false);
  assert.equal(unanswered(new Error('node "cp-9" not found')), false);
});

test('retryUnanswered: goes on after two resets; an answer fails at once; gives up after its time', async () => {
  let t = 0;
  const clock = { now: () => t, sleep: async (ms: number) => void (t += ms) };
  let calls = 0;
  assert.equal(await retryUnanswered(async () => (++calls < 3 ? Promise.reject(tls) : 'uncordoned'), clock), 'uncordoned');
  assert.equal(calls, 3);
  calls = 0;
  await assert.rejects(retryUnanswered(async () => (calls++, Promise.reject(forbidden)), clock), /403/);
  assert.equal(calls, 1, 'an answered request is not sent again');
  t = 0;
  calls = 0;
  await assert.rejects(retryUnanswered(async () => (calls++, Promise.reject(tls)), { ...clock, forMs: 10_000 }), /fetch failed/);
  assert.equal(calls, 6, 'every 2 s for its 10 s, then the last error');
});
