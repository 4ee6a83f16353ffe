// The CLI's live line on a terminal (#30 item 3): per running node its step i/n, how long the step has run and, in a
// drain, the pods evicted of those being evicted; replaced in place between the log's own lines; plain lines only
// when stderr is not a terminal.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ClusterEvent } from '../../../src/core/clusterUpgrade/events';
import { eventPrinter } from '../../../src/cli/clusterSession';
import { ProgressLine, withProgressLine } from '../../../src/cli/progressLine';

test('per node: step, elapsed, the drain\'s evicted/total; two nodes of a batch on one line; gone when they end', () => {
  let t = 0;
  const line = new ProgressLine(() => t);
  line.event({ event: 'node-start', node: 'worker-1', role: 'worker', batch: 1 });
  line.event({ event: 'node-start', node: 'worker-2', role: 'worker', batch: 1 });
  assert.equal(line.render(), 'worker-1 starting (0s) · worker-2 starting (0s)');
  line.event({ event: 'step', node: 'worker-1', index: 5, total: 12, step: 'drain', title: 'Drain worker-1' });
  for (const p of ['web-1', 'web-2', 'web-3']) line.event({ event: 'message', node: 'worker-1', text: `evicting pod default/${p}` });
  line.event({ event: 'message', node: 'worker-1', text: 'pod/web-1 evicted' });
  t = 75_000;
  line.event({ event: 'step', node: 'worker-2', index: 3, total: 12, step: 'upgrade-node', title: 'kubeadm upgrade node' });
  t = 80_000;
  assert.equal(line.render(), 'worker-1 5/12 Drain worker-1 (1m20s, evicted 1/3) · worker-2 3/12 kubeadm upgrade node (5s)');
  assert.equal(line.render(30), 'worker-1 5/12 Drain worker-1 …');
  line.event({ event: 'node-done', node: 'worker-1' });
  line.event({ event: 'node-failed', node: 'worker-2', error: 'x' });
  assert.equal(line.render(), '');
});

test('on a terminal the line is cleared before each log line and drawn after it; not a terminal, or --json: plain lines only', () => {
  const writes: string[] = [];
  const logged: string[] = [];
  const events: ClusterEvent[] = [
    { event: 'node-start', node: 'cp-1', role: 'control-plane' },
    { event: 'step', node: 'cp-1', index: 1, total: 10, step: 'x', title: 'Install kubeadm' },
    { event: 'done', status: 'done' },
  ];
  const print = withProgressLine((e) => logged.push(`${e.event}|${writes.length}`), { write: (s) => writes.push(s), columns: 80 }, () => 0);
  for (const e of events) print(e);
  assert.deepEqual(logged, ['node-start|0', 'step|2', 'done|4'], 'each log line printed after the live line was cleared');
  assert.deepEqual(writes, ['\r\x1b[Kcp-1 starting (0s)', '\r\x1b[K', '\r\x1b[Kcp-1 1/10 Install kubeadm (0s)', '\r\x1b[K'], 'drawn in place, cleared at the end');
  const plain: string[] = [];
  const tty: string[] = [];
  for (const e of events) eventPrinter(false, () => {}, (s) => plain.push(s), undefined)(e);
  for (const e of events) eventPrinter(true, () => {}, () => {}, { write: (s) => tty.push(s) })(e);
  assert.deepEqual(plain, ['==> cp-1 (control-plane)', '  cp-1 1/10 Install kubeadm', 'run done']);
  assert.deepEqual(tty, [], '--json never draws a live line');
});
