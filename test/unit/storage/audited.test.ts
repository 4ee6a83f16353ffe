// The audit wrappers: every command run through an executor, and every change the drain API makes, gets one line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AuditedExecutor, auditedDrainApi, unaudited } from '../../../src/adapters/storage/audited';
import { LocalExecutor } from '../../../src/adapters/local/localExecutor';
import type { DrainApi } from '../../../src/core/drain';
import { raw } from '../../../src/core/exec/shell';
import type { AuditEntry } from '../../../src/core/audit/entry';

test('AuditedExecutor: a line when each command starts and one when it ends (same id), with exit code and where; unaudited() gives the inner executor', async () => {
  const lines: AuditEntry[] = [];
  const inner = new LocalExecutor();
  const ex = new AuditedExecutor(inner, (e) => lines.push(e), { cluster: 'prod', node: 'cp-1' });
  await ex.run(raw('true'));
  await ex.run(raw('exit 3'));
  assert.deepEqual(lines.map((l) => [l.stage, l.cluster, l.node, l.command, l.exitCode, l.where]), [
    ['start', 'prod', 'cp-1', 'true', null, inner.description],
    ['end', 'prod', 'cp-1', 'true', 0, inner.description],
    ['start', 'prod', 'cp-1', 'exit 3', null, inner.description],
    ['end', 'prod', 'cp-1', 'exit 3', 3, inner.description],
  ]);
  assert.equal(lines[0]!.id, lines[1]!.id);
  assert.equal(lines[2]!.id, lines[3]!.id);
  assert.notEqual(lines[0]!.id, lines[2]!.id);
  // A caller that writes its own lines (the upgrade runner) says so: nothing is written twice.
  await ex.run(raw('true'), { auditedByCaller: true });
  assert.equal(lines.length, 4);
  assert.equal(unaudited(ex), inner);
  assert.equal(unaudited(inner), inner);
  ex.dispose();
});

test('auditedDrainApi: cordon, uncordon, each eviction and deletion are recorded (failures too); reads are not', async () => {
  const lines: AuditEntry[] = [];
  const fake = {
    getNodeUnschedulable: async () => false,
    setUnschedulable: async () => {},
    listPods: async () => [],
    getDaemonSet: async () => ({ found: false }),
    listPdbs: async () => [],
    evict: async (_ns: string, name: string) => {
      if (name === 'blocked') throw new Error('Cannot evict pod as it would violate the pod\'s disruption budget.');
    },
    deletePod: async () => {},
    getPod: async () => undefined,
  } as unknown as DrainApi;
  const api = auditedDrainApi(fake, (e) => lines.push(e), { cluster: 'prod', node: 'w-1', where: 'API https://x' });
  await api.getNodeUnschedulable('w-1');
  await api.listPods('w-1');
  await api.setUnschedulable('w-1', true);
  await api.evict('default', 'web-0', undefined);
  await assert.rejects(api.evict('default', 'blocked', 30));
  await api.deletePod('default', 'web-1', 0);
  await api.setUnschedulable('w-1', false);
  const ends = lines.filter((l) => l.stage === 'end');
  assert.deepEqual(lines.filter((l) => l.stage === 'start').map((l) => l.id), ends.map((l) => l.id), 'each change: its start line, then its end line');
  assert.deepEqual(ends.map((l) => `${l.phase} ${l.command} ${l.exitCode}`), [
    'cordon PATCH node/w-1 spec.unschedulable=true 0',
    'evict POST pods/eviction default/web-0 0',
    'evict POST pods/eviction default/blocked gracePeriodSeconds=30 null',
    'delete DELETE pod default/web-1 gracePeriodSeconds=0 0',
    'uncordon PATCH node/w-1 spec.unschedulable=false 0',
  ]);
  assert.match(ends[2]!.failure!, /disruption budget/);
  assert.ok(lines.every((l) => l.where === 'API https://x' && l.node === 'w-1' && l.cluster === 'prod'));
});

test('a command that never ends leaves its start line: the trace of a crash mid-command', async () => {
  const lines: AuditEntry[] = [];
  const hung = { description: 'ssh root@cp-1', run: () => new Promise<never>(() => {}), dispose: () => {} };
  const ex = new AuditedExecutor(hung, (e) => lines.push(e), { cluster: 'prod', node: 'cp-1', run: 'r1', phase: 'plan' });
  void ex.run(raw('kubeadm upgrade apply v1.32.3 --yes'));
  await new Promise((r) => setImmediate(r));
  assert.equal(lines.length, 1);
  assert.deepEqual([lines[0]!.stage, lines[0]!.run, lines[0]!.phase, lines[0]!.command, lines[0]!.exitCode], ['start', 'r1', 'plan', 'kubeadm upgrade apply v1.32.3 --yes', null]);
  assert.ok(lines[0]!.id);
});

test('when the start line cannot be written, the command does not run (nothing is done unaudited)', async () => {
  let ran = 0;
  const inner = { description: 'x', run: async () => (ran++, { exitCode: 0, stdout: '', stderr: '' }), dispose: () => {} };
  const ex = new AuditedExecutor(inner, () => { throw new Error('ENOSPC: no space left on device'); }, { cluster: 'prod', node: 'cp-1' });
  await assert.rejects(ex.run(raw('true')), /ENOSPC/);
  assert.equal(ran, 0);
});
