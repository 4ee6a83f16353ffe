import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { NodeExecutor } from '../../src/core/exec/executor';
import { fetchOncePerNode } from '../../src/core/exec/nodeAccess';
import { cp, worker } from './helpers/snapshot';

describe('fetchOncePerNode', () => {
  const executor = (name: string) => ({ description: `fake ${name}`, run: () => Promise.reject(new Error('unused')), dispose: () => undefined }) as NodeExecutor;

  it('fetches each node once per command and hands the same executor to every later step', async () => {
    const fetched: string[] = [];
    const nodes = fetchOncePerNode('prod', (n) => (fetched.push(n.name), Promise.resolve(executor(n.name))));
    const first = await nodes.executorFor(cp('cp-1', {}));
    assert.equal(await nodes.executorFor(cp('cp-1', {})), first);
    await nodes.executorFor(worker('worker-1', {}));
    assert.deepEqual(fetched, ['cp-1', 'worker-1']);
    assert.equal(nodes.cluster, 'prod');
  });

  it('forgets a failed fetch, so asking again tries again', async () => {
    let calls = 0;
    const nodes = fetchOncePerNode('prod', (n) => (++calls === 1 ? Promise.reject(new Error('ssh_config: bad Host')) : Promise.resolve(executor(n.name))));
    await assert.rejects(nodes.executorFor(cp('cp-1', {})), /bad Host/);
    assert.equal((await nodes.executorFor(cp('cp-1', {}))).description, 'fake cp-1');
    assert.equal(calls, 2);
  });
});
