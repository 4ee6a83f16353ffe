// The audit wrappers: every command run through an executor, and every change the drain API makes, gets one line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AuditedExecutor, auditedDrainApi, unaudited } from '../../../src/adapters/storage/audited';
import { LocalExecutor } from '../../../src/adapters/local/localExecutor';
import type { DrainApi } from '../../../src/core/drain';
import { raw } from '../../../src/core/exec/shell';
import type { AuditEntry } from '../../../src/core/upgrade/ports';

test('AuditedExecutor: one line per command with exit code and where; unaudited() gives the inner executor', async () => {
  const lines: AuditEntry[] = [];
  const inner = new LocalExecutor();
  const ex = new AuditedExecutor(inner, (e) => lines.push(e), { cluster: 'prod', node: 'cp-1' });
  await ex.run(raw('true'));
  await ex.run(raw('exit 3'));
  assert.deepEqual(lines.map((l) => [l.cluster, l.node, l.command, l.exitCode, l.where]), [
    ['prod', 'cp-1', 'true', 0, inner.description],
    ['prod', 'cp-1', 'exit 3', 3, inner.description],
  ]);
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
  assert.deepEqual(lines.map((l) => `${l.phase} ${l.command} ${l.exitCode}`), [
    'cordon PATCH node/w-1 spec.unschedulable=true 0',
    'evict POST pods/eviction default/web-0 0',
    'evict POST pods/eviction default/blocked gracePeriodSeconds=30 null',
    'delete DELETE pod default/web-1 gracePeriodSeconds=0 0',
    'uncordon PATCH node/w-1 spec.unschedulable=false 0',
  ]);
  assert.match(lines[2]!.failure!, /disruption budget/);
  assert.ok(lines.every((l) => l.where === 'API https://x' && l.node === 'w-1' && l.cluster === 'prod'));
});
