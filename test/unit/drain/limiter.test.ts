import { test } from 'node:test';
import assert from 'node:assert/strict';
import { limiter } from '../../../src/core/drain/limiter';

test('limiter: never more than the limit in flight, even when newcomers arrive as a slot frees; every call runs, first come first served', async () => {
  const limit = limiter(3);
  let inFlight = 0;
  let peak = 0;
  const order: number[] = [];
  const job = (i: number) =>
    limit(async () => {
      peak = Math.max(peak, ++inFlight);
      order.push(i);
      await new Promise((r) => setImmediate(r));
      inFlight--;
      return i * 2;
    });
  const first = Array.from({ length: 5 }, (_, i) => job(i));
  // Newcomers queued while the first ones finish: a freed slot goes to the queue's head, not to them.
  await new Promise((r) => setImmediate(r));
  const late = Array.from({ length: 5 }, (_, i) => job(5 + i));
  assert.deepEqual(await Promise.all([...first, ...late]), Array.from({ length: 10 }, (_, i) => i * 2));
  assert.equal(peak, 3);
  assert.deepEqual(order, Array.from({ length: 10 }, (_, i) => i));
});

test('limiter: 0 means no limit; a failing call frees its slot', async () => {
  let peak = 0;
  let inFlight = 0;
  const unlimited = limiter(0);
  await Promise.all(Array.from({ length: 20 }, () => unlimited(async () => { peak = Math.max(peak, ++inFlight); await new Promise((r) => setImmediate(r)); inFlight--; })));
  assert.equal(peak, 20);
  const one = limiter(1);
  await assert.rejects(one(async () => { throw new Error('refused'); }), /refused/);
  assert.equal(await one(async () => 'next'), 'next');
});
