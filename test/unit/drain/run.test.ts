import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiFailure, drainNode, previewDrain, setCordon, type DrainControl } from '../../../src/core/drain';
import { aggregate, goDuration, parseGoDuration } from '../../../src/core/drain/messages';
import type { DrainEvent, DrainOptions } from '../../../src/core/drain/types';
import { UnsafeValueError } from '../../../src/core/exec/shell';
import { ds, FakeApi, multiPdb, pdb, pod, rs, tooMany, virtualClock } from './helpers';

function setup() {
  const api = new FakeApi();
  const clock = virtualClock();
  const events: DrainEvent[] = [];
  const run = (options: Partial<DrainOptions> = {}, extra: DrainControl = {}) =>
    drainNode(api, 'worker-1', options, { clock, onEvent: (e) => events.push(e), ...extra });
  const lines = (stream: 'out' | 'err') => events.filter((e) => e.stream === stream).map((e) => e.message);
  return { api, clock, events, run, lines };
}

test('healthy drain: cordon, DaemonSet warning, concurrent evictions, wait, drained (kubectl F30 lines)', async () => {
  const { api, run, lines, events } = setup();
  api.pods = [pod('canal-v7w9v', { ns: 'kube-system', owner: ds('canal') }), pod('coredns-a', { ns: 'kube-system', owner: rs('coredns-1') }), pod('coredns-b', { ns: 'kube-system', owner: rs('coredns-1') })];
  api.daemonSets.add('kube-system/canal');
  const r = await run();
  assert.equal(r.ok, true);
  assert.equal(api.unschedulable, true);
  assert.deepEqual(lines('out'), [
    'node/worker-1 cordoned',
    'evicting pod kube-system/coredns-a',
    'evicting pod kube-system/coredns-b',
    'pod/coredns-a evicted',
    'pod/coredns-b evicted',
    'node/worker-1 drained',
  ]);
  assert.deepEqual(lines('err'), ['Warning: ignoring DaemonSet-managed Pods: kube-system/canal-v7w9v']);
  assert.deepEqual(r.evicted.sort(), ['kube-system/coredns-a', 'kube-system/coredns-b']);
  assert.equal(events.at(-1)!.type, 'done');
  assert.ok(events.some((e) => e.type === 'waiting' && e.pod === 'kube-system/coredns-a'));
  assert.ok(api.pods.some((p) => p.metadata?.name === 'canal-v7w9v'), 'DaemonSet pod left alone');
});

test('already cordoned: no PATCH, kubectl says so', async () => {
  const { api, run, lines } = setup();
  api.unschedulable = true;
  const r = await run();
  assert.equal(r.ok, true);
  assert.deepEqual(lines('out'), ['node/worker-1 already cordoned', 'node/worker-1 drained']);
  assert.ok(!api.calls.some((c) => c.startsWith('patch')));
});

test('filter errors: all reported at once, nothing evicted, node stays cordoned', async () => {
  const { api, run, lines } = setup();
  api.pods = [pod('bare-pod'), pod('scratch-pod', { emptyDir: true }), pod('web-1', { owner: rs('web') })];
  const r = await run();
  assert.equal(r.ok, false);
  assert.ok(!api.calls.some((c) => c.startsWith('evict') || c.startsWith('delete')));
  assert.deepEqual(r.errors, [
    'cannot delete Pods that declare no controller (use --force to override): default/bare-pod',
    'cannot delete Pods with local storage (use --delete-emptydir-data to override): default/scratch-pod',
  ]);
  assert.equal(
    lines('err').at(-1),
    'error: unable to drain node "worker-1" due to error: [cannot delete Pods that declare no controller (use --force to override): default/bare-pod, cannot delete Pods with local storage (use --delete-emptydir-data to override): default/scratch-pod], continuing command...',
  );
  assert.deepEqual(r.pending, ['default/web-1']);
});

test('PDB blocking: 429 retried every 5 s until the timeout; the error names the pod, the result the PDB', async () => {
  const { api, run, lines, clock, events } = setup();
  const start = clock.t;
  api.pods = [pod('singleton-x', { owner: rs('singleton-1'), labels: { app: 'singleton' } }), pod('web-1', { owner: rs('web') })];
  api.pdbs = [pdb('singleton', { minAvailable: 1, labels: { app: 'singleton' } }, { allowed: 0, healthy: 1, desired: 1, expected: 1 })];
  api.behaviour.set('default/singleton-x', () => tooMany());
  const r = await run({ timeoutMs: 12_000 });
  assert.equal(r.ok, false);
  assert.equal(api.attempts.get('default/singleton-x'), 3, 'tries at 0, 5 and 10 s');
  assert.equal(clock.t - start, 12_000, 'stops at the timeout, not at the next retry');
  assert.deepEqual(r.errors, ['error when evicting pods/"singleton-x" -n "default": global timeout reached: 12s']);
  assert.deepEqual(r.evicted, ['default/web-1']);
  assert.deepEqual(r.pending, ['default/singleton-x']);
  assert.deepEqual(r.blockedBy.map((b) => [b.pod, b.pdbs, b.kind]), [['default/singleton-x', ['default/singleton'], 'never']]);
  const err = lines('err');
  assert.equal(err.filter((l) => l.includes('(will retry after 5s)')).length, 3);
  assert.equal(err[0], 'error when evicting pods/"singleton-x" -n "default" (will retry after 5s): Cannot evict pod as it would violate the pod\'s disruption budget.');
  assert.ok(err.includes('There are pending pods in node "worker-1" when an error occurred: error when evicting pods/"singleton-x" -n "default": global timeout reached: 12s\npod/singleton-x'));
  assert.ok(err.some((l) => l.includes('default/singleton-x: PDB default/singleton allows 0 disruptions (minAvailable 1 of 1 replica): this pod can never be evicted')));
  assert.equal(err.at(-1), 'error: unable to drain node "worker-1" due to error: error when evicting pods/"singleton-x" -n "default": global timeout reached: 12s, continuing command...');
  assert.equal(lines('out').filter((l) => l === 'evicting pod default/singleton-x').length, 4, 'as kubectl: one more "evicting" line before the timeout check');
  // Before any eviction: the preview warned about the budget.
  const firstEvict = events.findIndex((e) => e.type === 'evicting');
  assert.ok(events.slice(0, firstEvict).some((e) => e.type === 'warning' && e.pod === 'default/singleton-x'));
});

test('429 then accepted: retried, then waits and succeeds', async () => {
  const { api, run, events } = setup();
  api.pods = [pod('web-1', { owner: rs('web') })];
  api.behaviour.set('default/web-1', (n) => (n < 3 ? tooMany() : 'ok'));
  const r = await run();
  assert.equal(r.ok, true);
  assert.equal(events.filter((e) => e.type === 'retrying').length, 2);
});

test('500 "more than one PodDisruptionBudget": fails at once, no retry', async () => {
  const { api, run, clock } = setup();
  const start = clock.t;
  api.pods = [pod('web-1', { owner: rs('web') })];
  api.behaviour.set('default/web-1', () => multiPdb());
  const r = await run({ timeoutMs: 60_000 });
  assert.equal(r.ok, false);
  assert.equal(api.attempts.get('default/web-1'), 1);
  assert.equal(clock.t, start);
  assert.deepEqual(r.errors, ['error when evicting pods/"web-1" -n "default": This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.']);
});

test('NotFound on eviction: done, without waiting', async () => {
  const { api, run } = setup();
  api.pods = [pod('web-1', { owner: rs('web') })];
  api.behaviour.set('default/web-1', () => new ApiFailure('pods "web-1" not found', 404, 'NotFound'));
  const r = await run();
  assert.equal(r.ok, true);
  assert.deepEqual(r.evicted, ['default/web-1']);
});

test('waits while the pod terminates; a new UID under the same name counts as gone', async () => {
  const { api, run, clock } = setup();
  const start = clock.t;
  api.pods = [pod('web-1', { owner: rs('web') }), pod('db-0', { owner: { kind: 'StatefulSet', name: 'db' } })];
  api.lingering.set('default/web-1', 3);
  api.replaceOnEvict.add('default/db-0');
  const r = await run();
  assert.equal(r.ok, true);
  assert.deepEqual(r.evicted.sort(), ['default/db-0', 'default/web-1']);
  assert.ok(clock.t - start >= 3000, 'polled once a second');
});

test('a pod that never terminates: wait error after the timeout', async () => {
  const { api, run } = setup();
  api.pods = [pod('web-1', { owner: rs('web') })];
  api.lingering.set('default/web-1', 1_000_000);
  const r = await run({ timeoutMs: 10_000 });
  assert.equal(r.ok, false);
  assert.deepEqual(r.errors, ['error when waiting for pod "web-1" in namespace "default" to terminate: context deadline exceeded']);
});

test('skip-wait-for-delete-timeout: a pod deleted long ago is skipped by the filter', async () => {
  const { api, run, clock } = setup();
  api.pods = [pod('stuck', { owner: rs('x'), deletedAt: new Date(clock.t - 600_000).toISOString() })];
  const r = await run({ skipWaitForDeleteTimeoutSeconds: 60 });
  assert.equal(r.ok, true);
  assert.ok(!api.calls.some((c) => c.startsWith('evict')));
});

test('grace period is passed through; negative means the pod\'s own', async () => {
  const a = setup();
  a.api.pods = [pod('web-1', { owner: rs('web') })];
  await a.run({ gracePeriodSeconds: 30 });
  assert.ok(a.api.calls.includes('evict default/web-1 grace=30'));
  const b = setup();
  b.api.pods = [pod('web-1', { owner: rs('web') })];
  await b.run();
  assert.ok(b.api.calls.includes('evict default/web-1'));
});

test('disable-eviction: DELETE instead (PDBs bypassed), "deleted" lines', async () => {
  const { api, run, lines } = setup();
  api.pods = [pod('singleton-x', { owner: rs('s'), labels: { app: 'singleton' } })];
  api.pdbs = [pdb('singleton', { minAvailable: 1, labels: { app: 'singleton' } }, { allowed: 0, healthy: 1, desired: 1, expected: 1 })];
  const r = await run({ disableEviction: true, gracePeriodSeconds: 0 });
  assert.equal(r.ok, true);
  assert.ok(api.calls.includes('delete default/singleton-x grace=0'));
  assert.ok(!api.calls.some((c) => c.startsWith('evict')));
  assert.ok(!api.calls.includes('listPdbs'));
  assert.deepEqual(lines('out'), ['node/worker-1 cordoned', 'pod/singleton-x deleted', 'node/worker-1 drained']);
});

test('cancellation: stops retrying when the signal aborts', async () => {
  const { api, run } = setup();
  api.pods = [pod('web-1', { owner: rs('web') })];
  const ac = new AbortController();
  api.behaviour.set('default/web-1', (n) => {
    if (n === 2) ac.abort();
    return tooMany();
  });
  const r = await run({}, { signal: ac.signal });
  assert.equal(r.ok, false);
  assert.deepEqual(r.errors, ['error when evicting pods/"web-1" -n "default": context canceled']);
});

test('concurrency limit: at most N evictions in flight', async () => {
  const { api, run } = setup();
  api.pods = Array.from({ length: 5 }, (_, i) => pod(`web-${i}`, { owner: rs('web') }));
  let inFlight = 0;
  let peak = 0;
  const evict = api.evict.bind(api);
  api.evict = async (ns, name, g) => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    await new Promise((r) => setImmediate(r));
    inFlight--;
    return evict(ns, name, g);
  };
  const r = await run({}, { concurrency: 2 });
  assert.equal(r.ok, true);
  assert.equal(peak, 2);
});

test('invalid node names are refused before any request', async () => {
  const api = new FakeApi();
  await assert.rejects(drainNode(api, 'worker-1; rm -rf /'), UnsafeValueError);
  await assert.rejects(setCordon(api, 'Worker_1', true), UnsafeValueError);
  assert.deepEqual(api.calls, []);
});

test('cordon / uncordon are no-ops when already in the wanted state; unknown node throws the API failure', async () => {
  const api = new FakeApi();
  assert.equal((await setCordon(api, 'worker-1', false)).message, 'node/worker-1 already uncordoned');
  assert.equal((await setCordon(api, 'worker-1', true)).message, 'node/worker-1 cordoned');
  assert.equal((await setCordon(api, 'worker-1', true)).message, 'node/worker-1 already cordoned');
  assert.equal((await setCordon(api, 'worker-1', false)).message, 'node/worker-1 uncordoned');
  await assert.rejects(setCordon(api, 'worker-9', true), (e: ApiFailure) => e.status === 404);
});

test('preview: no changes, PDB listing failure is reported, not fatal', async () => {
  const api = new FakeApi();
  api.pods = [pod('web-1', { owner: rs('web') })];
  api.listPdbs = async () => {
    throw new ApiFailure('forbidden', 403, 'Forbidden');
  };
  const p = await previewDrain(api, 'worker-1');
  assert.equal(p.pdbError, 'forbidden');
  assert.equal(p.plan.toEvict.length, 1);
  assert.ok(!api.calls.some((c) => c.startsWith('patch') || c.startsWith('evict')));
});

test('Go durations: format and parse', () => {
  assert.equal(goDuration(5000), '5s');
  assert.equal(goDuration(12_000), '12s');
  assert.equal(goDuration(300_000), '5m0s');
  assert.equal(goDuration(90_000), '1m30s');
  assert.equal(goDuration(3_600_000), '1h0m0s');
  assert.equal(goDuration(1500), '1.5s');
  assert.equal(goDuration(250), '250ms');
  assert.equal(parseGoDuration('5m'), 300_000);
  assert.equal(parseGoDuration('1m30s'), 90_000);
  assert.equal(parseGoDuration('0'), 0);
  assert.equal(parseGoDuration('1.5s'), 1500);
  assert.equal(parseGoDuration('500ms'), 500);
  assert.equal(parseGoDuration('5'), undefined);
  assert.equal(parseGoDuration('5 m'), undefined);
  assert.equal(parseGoDuration(''), undefined);
});

test('aggregate: one error plain, several in brackets, duplicates once', () => {
  assert.equal(aggregate(['a']), 'a');
  assert.equal(aggregate(['a', 'b']), '[a, b]');
  assert.equal(aggregate(['a', 'a']), 'a');
});

test('waiting: one LIST of the node per interval for all pods, no GET per pod; each pod evicted only once its UID is gone', async () => {
  const { api, run, events } = setup();
  api.pods = Array.from({ length: 20 }, (_, i) => pod(`web-${i}`, { owner: rs('web') }));
  // Pod i keeps terminating for i looks, so the pods go one interval apart.
  api.pods.forEach((p, i) => api.lingering.set(`default/${p.metadata!.name}`, i % 4));
  const r = await run({}, { pollIntervalMs: 1000 });
  assert.equal(r.ok, true);
  assert.equal(r.evicted.length, 20);
  assert.ok(!api.calls.some((c) => c.startsWith('getPod')), 'no per-pod GET while waiting');
  const lists = api.calls.filter((c) => c.startsWith('listPods')).length;
  assert.ok(lists <= 1 + 5, `one preview LIST + one per interval, got ${lists}`);
  // Every "evicted" event comes after the pod left the fake cluster, never before.
  for (const e of events.filter((x) => x.type === 'evicted')) assert.ok(e.pod && !api.pods.some((p) => `default/${p.metadata?.name}` === e.pod));
});

test('waiting by UID: a replacement with the same name but a new UID is not the evicted pod; the old UID still there is waited for', async () => {
  const { api, run, clock } = setup();
  const start = clock.t;
  api.pods = [pod('db-0', { owner: { kind: 'StatefulSet', name: 'db' } }), pod('db-1', { owner: { kind: 'StatefulSet', name: 'db' } })];
  api.replaceOnEvict.add('default/db-0');
  api.lingering.set('default/db-1', 2);
  const r = await run({}, { pollIntervalMs: 1000 });
  assert.equal(r.ok, true);
  assert.deepEqual(r.evicted.sort(), ['default/db-0', 'default/db-1']);
  assert.ok(api.pods.some((p) => p.metadata?.name === 'db-0'), 'the replacement db-0 is still on the node');
  assert.equal(clock.t - start, 2000, 'db-1 (same UID, terminating) was waited for two intervals');
});

test('waiting: a pod that stays keeps the others from being reported late, and fails alone at the deadline', async () => {
  const { api, run } = setup();
  api.pods = [pod('web-1', { owner: rs('web') }), pod('stuck-1', { owner: rs('stuck') })];
  api.lingering.set('default/stuck-1', 1_000_000);
  const r = await run({ timeoutMs: 5_000 });
  assert.equal(r.ok, false);
  assert.deepEqual(r.evicted, ['default/web-1']);
  assert.deepEqual(r.errors, ['error when waiting for pod "stuck-1" in namespace "default" to terminate: context deadline exceeded']);
});

test('eviction concurrency bounds the eviction requests, not the waits: a pod waiting to go does not hold back the next eviction', async () => {
  const { api, run, clock, events } = setup();
  const start = clock.t;
  api.pods = Array.from({ length: 6 }, (_, i) => pod(`web-${i}`, { owner: rs('web') }));
  // Every evicted pod keeps terminating for 3 looks: if a slot were held until its pod is gone, 6 pods through 2 slots
  // would take three rounds of waiting, one after the other.
  for (const p of api.pods) api.lingering.set(`default/${p.metadata!.name}`, 3);
  const r = await run({ evictionConcurrency: 2 }, { pollIntervalMs: 1000 });
  assert.equal(r.ok, true);
  assert.equal(r.evicted.length, 6);
  const firstGone = events.findIndex((e) => e.type === 'evicted');
  const lastAccepted = events.map((e) => e.type).lastIndexOf('waiting');
  assert.ok(lastAccepted < firstGone, 'every eviction was sent before the first pod was gone');
  // Three intervals of terminating, plus one for the pods whose eviction was answered after the first LIST; in rounds
  // of two it would be three rounds of that.
  assert.ok(clock.t - start <= 4000, `the six pods were waited for together, not in rounds of two (${clock.t - start} ms)`);
  // Still: each pod is reported only once its UID has left the node.
  for (const e of events.filter((x) => x.type === 'evicted')) assert.ok(!api.pods.some((p) => `default/${p.metadata?.name}` === e.pod));
});

test('eviction concurrency: 50 in flight by default (a big node cannot flood the apiserver); the option changes it', async () => {
  for (const [opt, want] of [[undefined, 50], [7, 7]] as const) {
    const { api, run } = setup();
    api.pods = Array.from({ length: 120 }, (_, i) => pod(`web-${i}`, { owner: rs('web') }));
    let inFlight = 0;
    let peak = 0;
    const evict = api.evict.bind(api);
    api.evict = async (ns, name, g) => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((res) => setImmediate(res));
      inFlight--;
      return evict(ns, name, g);
    };
    const r = await run(opt === undefined ? {} : { evictionConcurrency: opt });
    assert.equal(r.ok, true);
    assert.equal(peak, want);
  }
});
