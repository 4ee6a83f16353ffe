import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { NodeExecutor } from '../../../src/core/exec/executor';
import type { NodeSnapshot } from '../../../src/core/snapshot/model';
import { executionServices } from '../../../src/ui/webview/hostServices';
import type { Services } from '../../../src/ui/services';
import { cluster, cp } from '../helpers/snapshot';

describe('executionServices', () => {
  const snapshot = cluster([cp('cp-1', { apiserver: 'v1.31.1' })], 'v1.31.1');
  const fake = { description: 'fake', run: () => Promise.reject(new Error('unused')), dispose: () => undefined } as NodeExecutor;
  const seen: string[] = [];
  const access = { nodes: (ctx: string) => ({ cluster: ctx, executorFor: (node: NodeSnapshot) => (seen.push(`${ctx}/${node.name}`), Promise.resolve(fake)) }) };
  const other = { server: 'https://10.0.0.9:6443', caFingerprint: 'bb', namespaceUid: 'uid-other' };
  // A node run recorded for another cluster than the one `prod` reaches now (the same context name, another admin.conf).
  const upgrades = { store: { list: () => Promise.resolve([{ id: 'run-other', identity: other }]) } };
  const services = { store: { get: (c: string) => (c === 'prod' ? { snapshot } : undefined), keyOf: () => 'https://10.0.0.1:6443#aa' }, log: {}, loader: {}, access, upgrades } as unknown as Services;
  const audit = {
    read: () => [
      { time: 't', node: 'cp-1', cluster: 'prod', command: 'kubeadm upgrade apply v1', durationMs: 1, exitCode: 0 },
      { time: 't', node: 'cp-1', cluster: 'staging', command: 'kubeadm upgrade apply v1', durationMs: 1, exitCode: 0 },
      { time: 't', node: 'cp-2', cluster: 'prod', command: 'x', durationMs: 1, exitCode: 0 },
      { time: 't', node: 'cp-1', cluster: 'prod', run: 'run-other', command: 'kubeadm upgrade apply v2', durationMs: 1, exitCode: 0 },
    ],
  };
  const s = executionServices(services, audit);

  it('resolves node names through the snapshot to the node access', async () => {
    assert.equal(await s.executorFor('prod', 'cp-1'), fake);
    assert.deepEqual(seen, ['prod/cp-1']);
    assert.equal(await s.executorFor('prod', 'nope'), undefined);
    assert.equal(await s.executorFor('other', 'cp-1'), undefined);
  });
  it("gives the audit entries of that node in that cluster, not another cluster's run under the same context name", async () => {
    const a = await s.auditLogFor!('prod', 'cp-1');
    assert.equal(a?.entries?.length, 1);
    assert.equal(executionServices(services).auditLogFor, undefined);
  });
});
