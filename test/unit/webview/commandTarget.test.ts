import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { ClusterState } from '../../../src/core/clusterStore';
import { commandTarget } from '../../../src/ui/commands/commandTarget';
import { cp } from '../helpers/snapshot';

const cluster = { contextName: 'prod', server: undefined, key: 'context:prod@', status: 'ready', findings: [], warnings: [] } as ClusterState;

describe('commandTarget', () => {
  it('reads tree items, {context, node} (webview, offerAfterFailure) and nothing (palette)', () => {
    assert.deepEqual(commandTarget({ kind: 'cluster', cluster }), { context: 'prod' });
    assert.deepEqual(commandTarget({ kind: 'group', cluster, role: 'controlPlane' }), { context: 'prod' });
    assert.deepEqual(commandTarget({ kind: 'node', cluster, node: cp('cp-1', {}), findings: [] }), { context: 'prod', node: 'cp-1' });
    assert.deepEqual(commandTarget({ context: 'prod', node: 'cp-1' }), { context: 'prod', node: 'cp-1' });
    assert.deepEqual(commandTarget({ context: 'prod', node: null }), { context: 'prod' });
    assert.deepEqual(commandTarget(undefined), {});
    assert.deepEqual(commandTarget('prod'), {});
  });
});
