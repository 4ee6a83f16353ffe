import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { V1Lease } from '@kubernetes/client-node';
import { LeaseLock, type LeaseApi } from '../../../src/adapters/k8s/leaseLock';
import { decide, describeHolder, holderIdentity, LockHeldError, observe, renewalProblem, type LeaseRecord, type LockHolder } from '../../../src/core/lock/lease';

const me: LockHolder = { user: 'bob', host: 'ci', tool: 'cli', runId: 'run-b', node: '', process: '100-aaaa' };
const alice: LockHolder = { user: 'alice', host: 'laptop', tool: 'vscode', runId: 'run-a', node: 'cp-2', process: '200-bbbb' };
const rec = (h: LockHolder, renew: string, rv = '7'): LeaseRecord => ({
  holder: h,
  holderIdentity: holderIdentity(h),
  acquireTime: new Date('2026-01-01T10:00:00Z'),
  renewTime: new Date(renew),
  durationSeconds: 90,
  resourceVersion: rv,
  transitions: 0,
});
const now = new Date('2026-01-01T10:05:00Z');
const at = (s: number) => new Date(now.getTime() + s * 1000);

test('free; mine only for this very process and run; another process of the same run is held, not mine', () => {
  assert.equal(decide(undefined, me, undefined, now).kind, 'free');
  assert.equal(decide(rec({ ...me, node: 'w-1' }, '2026-01-01T10:04:50Z'), me, undefined, now).kind, 'mine');
  const other = decide(rec({ ...me, process: '300-cccc' }, '2026-01-01T10:04:50Z'), me, undefined, now);
  assert.equal(other.kind, 'held');
  assert.equal(other.kind === 'held' && other.sameRun, true);
  assert.equal(decide(rec(alice, '2026-01-01T10:04:50Z'), me, undefined, now).kind, 'held');
});

test('expiry is judged by the observer\'s clock: a slow holder clock looks stale but is held; unchanged for 90 s is expired', () => {
  // The holder's clock is 2 minutes slow: its fresh renewal carries a renewTime 2 minutes ago.
  const slow = rec(alice, '2026-01-01T10:03:00Z');
  const first = observe(undefined, slow, now);
  const d = decide(slow, me, first, now);
  assert.equal(d.kind, 'held', 'first sight is never expired, whatever its timestamps say');
  assert.equal(d.kind === 'held' && d.looksStale, true);
  assert.equal(decide(slow, me, observe(first, slow, at(89)), at(89)).kind, 'held');
  // Renewed (new resourceVersion) at +60 s: the watch starts again from then.
  const renewed = rec(alice, '2026-01-01T10:04:00Z', '8');
  const seenAgain = observe(first, renewed, at(60));
  assert.notEqual(seenAgain, first);
  assert.equal(decide(renewed, me, seenAgain, at(120)).kind, 'held');
  assert.equal(decide(renewed, me, seenAgain, at(150)).kind, 'expired');
  // Unchanged for the whole duration since first seen.
  assert.equal(decide(slow, me, observe(first, slow, at(90)), at(90)).kind, 'expired');
});

test('the holder\'s side: renewals failing for longer than the lease duration make the lock lost, saying why', () => {
  const last = now.getTime();
  assert.equal(renewalProblem(last, at(90), 90, 'connect ECONNREFUSED'), undefined);
  assert.match(renewalProblem(last, at(95), 90, 'connect ECONNREFUSED')!, /could not be renewed for 95 s, longer than its 90 s duration \(last error: connect ECONNREFUSED\), so another run may have taken it over/);
});

test('the refusal names the holder, its process, what it is doing and since when', () => {
  const r = rec(alice, '2026-01-01T10:04:50Z');
  assert.equal(describeHolder(r, now), 'alice@laptop (vscode, run run-a, process 200-bbbb, upgrading cp-2) since 2026-01-01T10:00:00.000Z, last renewed 10 s ago');
  assert.match(new LockHeldError(r, false, now).message, /Another upgrade is running on this cluster: the Lease kube-system\/kubeadm-upgrade is held by alice@laptop/);
  assert.match(new LockHeldError(r, true, now).message, /has expired/);
  assert.match(new LockHeldError(r, false, now, true).message, /This run is being driven by another live process: .* held by alice@laptop/);
});

/** An in-memory Lease endpoint with the apiserver's rules: create conflicts when it exists, replace needs the resourceVersion read. */
function fakeLeaseApi() {
  let lease: V1Lease | undefined;
  let rv = 0;
  let down = false;
  const status = (code: number) => Object.assign(new Error(`HTTP ${code}`), { code });
  const api: LeaseApi = {
    readNamespacedLease: (async () => {
      if (down) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), { cause: { code: 'ECONNREFUSED' } });
      if (!lease) throw status(404);
      return structuredClone(lease);
    }) as LeaseApi['readNamespacedLease'],
    createNamespacedLease: (async ({ body }: { body: V1Lease }) => {
      if (down) throw new Error('connect ECONNREFUSED');
      if (lease) throw status(409);
      lease = { ...structuredClone(body), metadata: { ...body.metadata, resourceVersion: String(++rv) } };
      return structuredClone(lease);
    }) as LeaseApi['createNamespacedLease'],
    replaceNamespacedLease: (async ({ body }: { body: V1Lease }) => {
      if (down) throw new Error('connect ECONNREFUSED');
      if (!lease) throw status(404);
      if (body.metadata?.resourceVersion !== lease.metadata?.resourceVersion) throw status(409);
      lease = { ...structuredClone(body), metadata: { ...body.metadata, resourceVersion: String(++rv) } };
      return structuredClone(lease);
    }) as LeaseApi['replaceNamespacedLease'],
    deleteNamespacedLease: (async () => {
      lease = undefined;
      return {};
    }) as unknown as LeaseApi['deleteNamespacedLease'],
  };
  return { api, get: () => lease, setDown: (d: boolean) => (down = d) };
}

/** A clock the lock's sleeps move forward; `others` run at each tick (another process renewing, or not). */
function fakeClock(start: Date) {
  let t = start.getTime();
  const ticks: ((ms: number) => Promise<void> | void)[] = [];
  return {
    now: () => new Date(t),
    advance: (ms: number) => (t += ms),
    sleep: async (ms: number) => {
      t += ms;
      for (const f of ticks) await f(t);
    },
    onTick: (f: (t: number) => Promise<void> | void) => ticks.push(f),
  };
}

test('a second process of the same run is refused while the first renews, even when the first one\'s clock is slow', async () => {
  const fake = fakeLeaseApi();
  const clock = fakeClock(now);
  const first = new LeaseLock(undefined, () => {}, 90, clock.now, { api: fake.api, sleep: clock.sleep });
  const held = await first.acquire(me, async () => false);
  const second = new LeaseLock(undefined, () => {}, 90, clock.now, { api: fake.api, sleep: clock.sleep });
  const meElsewhere = { ...me, process: '999-dddd' };
  // Live (fresh timestamps): refused at once, naming the holder and its process.
  await assert.rejects(second.acquire(meElsewhere, async () => true), (e: unknown) => e instanceof LockHeldError && e.sameRun && /driven by another live process.*process 100-aaaa/.test(e.message));

  // The first process's clock is 2 minutes slow: its renewals look stale, so the second watches — and sees them.
  const slowFirst = new LeaseLock(undefined, () => {}, 90, () => new Date(clock.now().getTime() - 120_000), { api: fake.api, sleep: clock.sleep });
  await held.release();
  const slowHeld = await slowFirst.acquire(me, async () => false);
  let renewals = 0;
  clock.onTick(async (t) => {
    if (renewals < 100 && t % 30_000 < 2000) {
      renewals++;
      await (slowHeld as unknown as { renew(): Promise<void> }).renew();
    }
  });
  const notices: string[] = [];
  await assert.rejects(second.acquire(meElsewhere, async () => true, (n) => notices.push(n)), (e: unknown) => e instanceof LockHeldError && /renewed while this process watched it/.test(e.message));
  assert.match(notices.join('\n'), /looks abandoned; watching it for up to 90 s/);
  assert.equal(fake.get()?.spec?.holderIdentity, holderIdentity(me), 'the live holder keeps it');
  await slowHeld.release();
});

test('a Lease nobody renews is taken over only after the observer saw it unchanged for its duration, and only when agreed', async () => {
  const fake = fakeLeaseApi();
  const clock = fakeClock(now);
  const dead = new LeaseLock(undefined, () => {}, 90, () => new Date(clock.now().getTime() - 600_000), { api: fake.api, sleep: clock.sleep });
  const deadHeld = await dead.acquire(alice, async () => false);
  (deadHeld as unknown as { timer: unknown }).timer = undefined; // the process died: it renews no more
  const lock = new LeaseLock(undefined, () => {}, 90, clock.now, { api: fake.api, sleep: clock.sleep });
  const started = clock.now().getTime();
  await assert.rejects(lock.acquire(me, async () => false), (e: unknown) => e instanceof LockHeldError && e.expired);
  assert.equal(clock.now().getTime(), started, 'refused without waiting');
  const taken = await lock.acquire(me, async () => true);
  assert.ok(clock.now().getTime() - started >= 90_000, `waited ${clock.now().getTime() - started} ms`);
  assert.equal(fake.get()?.spec?.holderIdentity, holderIdentity(me));
  assert.equal(fake.get()?.spec?.leaseTransitions, 1);
  (taken as unknown as { timer: unknown }).timer = undefined; // this one dies too
  // The same run resumed by a new process takes its own dead lock back without a question, after the same watch.
  clock.advance(600_000);
  const again = await lock.acquire({ ...me, process: '555-eeee' }, async () => assert.fail('not asked for its own run'));
  assert.equal(fake.get()?.spec?.holderIdentity, holderIdentity({ ...me, process: '555-eeee' }));
  await again.release();
});

test('renewal errors past the lease duration: lost at the next check, saying why; a lock still ours after the API returns is kept', async () => {
  const fake = fakeLeaseApi();
  const clock = fakeClock(now);
  const lock = new LeaseLock(undefined, () => {}, 90, clock.now, { api: fake.api, sleep: clock.sleep });
  const held = await lock.acquire(me, async () => false);
  const renew = () => (held as unknown as { renew(): Promise<void> }).renew();
  fake.setDown(true);
  for (let i = 0; i < 3; i++) {
    clock.advance(30_000);
    await renew();
  }
  assert.equal(await held.check(), undefined, '90 s without a renewal is not yet past the duration');
  clock.advance(5_000);
  await renew();
  assert.match(held.lost ?? '', /could not be renewed for 95 s.*ECONNREFUSED/);
  assert.match((await held.check()) ?? '', /could not be renewed/);
  // The API is back and nobody took the Lease: the check renews and the run may go on.
  fake.setDown(false);
  assert.equal(await held.check(), undefined);
  // Someone else took it meanwhile: lost for good.
  const other = new LeaseLock(undefined, () => {}, 90, clock.now, { api: fake.api, sleep: clock.sleep });
  fake.setDown(true);
  clock.advance(100_000);
  fake.setDown(false);
  await fake.api.replaceNamespacedLease({ name: 'kubeadm-upgrade', namespace: 'kube-system', body: { ...fake.get()!, spec: { ...fake.get()!.spec, holderIdentity: 'carol@x:1-1/cli/r' } } });
  assert.match((await held.check()) ?? '', /is now held by carol@x:1-1\/cli\/r/);
  void other;
  await held.release();
});

test('a holder whose process is gone from this machine is known dead: its own run takes the lock back at once, another run asks', async () => {
  const fake = fakeLeaseApi();
  const clock = fakeClock(now);
  const crashed = new LeaseLock(undefined, () => {}, 90, clock.now, { api: fake.api, sleep: clock.sleep });
  const h = await crashed.acquire(me, async () => false);
  (h as unknown as { timer: unknown }).timer = undefined;
  const gone = (x: LockHolder | undefined) => x?.process === me.process;
  const lock = new LeaseLock(undefined, () => {}, 90, clock.now, { api: fake.api, sleep: clock.sleep, processGone: gone });
  let asked = '';
  await assert.rejects(lock.acquire(alice, async (m) => ((asked = m), false)), (e: unknown) => e instanceof LockHeldError && e.expired);
  assert.match(asked, /Its process 100-aaaa no longer runs on this machine/);
  const started = clock.now().getTime();
  const back = await lock.acquire({ ...me, process: '777-ffff' }, async () => assert.fail('its own run is not asked'));
  assert.equal(clock.now().getTime(), started, 'no watch needed');
  assert.equal(fake.get()?.spec?.holderIdentity, holderIdentity({ ...me, process: '777-ffff' }));
  await back.release();
});

test('holderProcessGone: only a holder of this host whose pid is not running', async () => {
  const { holderProcessGone } = await import('../../../src/adapters/k8s/leaseLock');
  const os = await import('node:os');
  const { spawnSync } = await import('node:child_process');
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
  const here = { ...me, host: os.hostname() };
  assert.equal(holderProcessGone({ ...here, process: `${dead}-abcd` }), true);
  assert.equal(holderProcessGone({ ...here, process: `${process.ppid}-abcd` }), false, 'a live pid');
  assert.equal(holderProcessGone({ ...me, process: `${dead}-abcd` }), false, 'another host: not known');
  assert.equal(holderProcessGone({ ...here, process: '' }), false, 'an old Lease without a process');
});
