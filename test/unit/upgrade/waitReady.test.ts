import { test } from 'node:test';
import assert from 'node:assert/strict';
import { POLL_MS, ReadyWaitFailed, waitNodeReady } from '../../../src/core/upgrade/waitReady';
import type { ClusterOps, NodeStatus } from '../../../src/core/upgrade/ports';
import { parseVersion } from '../../../src/core/version';

const target = parseVersion('v1.36.3')!;
const notReady: NodeStatus = { ready: false, kubeletVersion: 'v1.36.3', unschedulable: true };
const ready: NodeStatus = { ready: true, kubeletVersion: 'v1.36.3', unschedulable: true };

/** A cluster whose GET answers `status()`, with an optional watch the test drives through `push`. */
function fakeCluster(status: () => NodeStatus, withWatch: boolean) {
  const log = { gets: 0, watching: false, stopped: false, push: (_s: NodeStatus) => {} };
  const cluster: ClusterOps = {
    drain: async () => {},
    uncordon: async () => {},
    nodeStatus: async () => {
      log.gets++;
      return status();
    },
    ...(withWatch
      ? {
          watchNodeStatus: (_node: string, onStatus: (s: NodeStatus | undefined) => void) => {
            log.watching = true;
            log.push = onStatus;
            return () => (log.stopped = true);
          },
        }
      : {}),
  };
  return { cluster, log };
}

/** Virtual time: a sleep moves the clock at once, but only after the test had a turn to push watch events. */
function virtualTime() {
  const t = { now: 0 };
  const sleep = async (ms: number) => {
    await new Promise((r) => setImmediate(r));
    t.now += ms;
  };
  return { t, sleep, now: () => t.now };
}

test('with a watch on the Node: the wait ends on the Ready event, no second GET, and the watch is stopped', async () => {
  const { cluster, log } = fakeCluster(() => notReady, true);
  const vt = virtualTime();
  // The sleep never ends on its own here: only the watch can end the wait.
  const p = waitNodeReady({ node: 'worker-1', target, timeoutSeconds: 300, cluster, progress: () => {}, sleep: () => new Promise(() => {}), now: vt.now });
  await new Promise((r) => setImmediate(r));
  assert.equal(log.watching, true);
  log.push(notReady);
  log.push(ready);
  assert.equal(await p, 'worker-1: Ready, kubelet v1.36.3');
  assert.equal(log.gets, 1, 'one GET at the start, the rest from the watch');
  assert.equal(log.stopped, true);
});

test('with a watch that never reports Ready: the wait still times out with the last status seen', async () => {
  const { cluster, log } = fakeCluster(() => notReady, true);
  const vt = virtualTime();
  await assert.rejects(
    waitNodeReady({ node: 'worker-1', target, timeoutSeconds: 30, cluster, progress: () => {}, sleep: vt.sleep, now: vt.now }),
    (e: unknown) => e instanceof ReadyWaitFailed && /did not become Ready at kubelet v1\.36\.3 within 30 s \(last seen: NotReady, kubelet v1\.36\.3\)/.test((e as Error).message),
  );
  assert.ok(vt.t.now >= 30_000 && vt.t.now < 30_000 + POLL_MS * 6, `stopped at the deadline, t=${vt.t.now}`);
  assert.equal(log.stopped, true, 'the watch is stopped after a timeout too');
});

test('Ready at the wrong kubelet version is not done', async () => {
  const { cluster, log } = fakeCluster(() => ({ ready: true, kubeletVersion: 'v1.35.9', unschedulable: true }), true);
  const vt = virtualTime();
  await assert.rejects(waitNodeReady({ node: 'n', target, timeoutSeconds: 10, cluster, progress: () => {}, sleep: vt.sleep, now: vt.now }), /last seen: Ready, kubelet v1\.35\.9/);
  assert.ok(log.gets >= 2);
});

test('without a watch: a GET every 2 s until Ready', async () => {
  let n = 0;
  const { cluster, log } = fakeCluster(() => (++n >= 3 ? ready : notReady), false);
  const vt = virtualTime();
  assert.equal(await waitNodeReady({ node: 'n', target, timeoutSeconds: 300, cluster, progress: () => {}, sleep: vt.sleep, now: vt.now }), 'n: Ready, kubelet v1.36.3');
  assert.equal(log.gets, 3);
  assert.equal(vt.t.now, 2 * POLL_MS);
});

test('cancel ends the wait at once, even mid-sleep', async () => {
  const { cluster } = fakeCluster(() => notReady, true);
  const ac = new AbortController();
  const p = waitNodeReady({ node: 'n', target, timeoutSeconds: 300, cluster, progress: () => {}, sleep: () => new Promise(() => {}), signal: ac.signal });
  await new Promise((r) => setImmediate(r));
  ac.abort();
  await assert.rejects(p, /cancelled/);
});
