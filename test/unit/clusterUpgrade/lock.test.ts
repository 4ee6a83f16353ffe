import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide, describeHolder, LockHeldError, type LeaseRecord, type LockHolder } from '../../../src/core/lock/lease';

const me: LockHolder = { user: 'bob', host: 'ci', tool: 'cli', runId: 'run-b', node: '' };
const alice: LockHolder = { user: 'alice', host: 'laptop', tool: 'vscode', runId: 'run-a', node: 'cp-2' };
const rec = (h: LockHolder, renew: string): LeaseRecord => ({
  holder: h,
  holderIdentity: `${h.user}@${h.host}/${h.tool}/${h.runId}`,
  acquireTime: new Date('2026-01-01T10:00:00Z'),
  renewTime: new Date(renew),
  durationSeconds: 90,
  resourceVersion: '7',
  transitions: 0,
});
const now = new Date('2026-01-01T10:05:00Z');

test('free, mine (the same run resuming), held, expired', () => {
  assert.equal(decide(undefined, me, now).kind, 'free');
  assert.equal(decide(rec({ ...me, node: 'w-1' }, '2026-01-01T10:04:50Z'), me, now).kind, 'mine');
  assert.equal(decide(rec(alice, '2026-01-01T10:04:50Z'), me, now).kind, 'held');
  assert.equal(decide(rec(alice, '2026-01-01T10:03:00Z'), me, now).kind, 'expired');
});

test('the refusal names the holder, what it is doing and since when', () => {
  const r = rec(alice, '2026-01-01T10:04:50Z');
  assert.equal(describeHolder(r, now), 'alice@laptop (vscode, run run-a, upgrading cp-2) since 2026-01-01T10:00:00.000Z, last renewed 10 s ago');
  assert.match(new LockHeldError(r, false, now).message, /Another upgrade is running on this cluster: the Lease kube-system\/kubeadm-upgrade is held by alice@laptop/);
  assert.match(new LockHeldError(r, true, now).message, /has expired/);
});
