// Two contexts that reach the same cluster (and an old local kubectl, whose finding appears under both): every
// tree item id stays unique, and getParent leads from each item back to the one it was listed under.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterState } from '../../../src/core/clusterStore';
import { evaluateSkew } from '../../../src/core/skew';
import { buildSnapshot } from '../../../src/core/snapshot/build';
import { children, parentOf, type TreeElement } from '../../../src/ui/tree/elements';
import { present } from '../../../src/ui/tree/present';
import { rawDump } from '../helpers/dumps';

function state(contextName: string): ClusterState {
  const snapshot = buildSnapshot(rawDump('mixed-skew'));
  return { contextName, server: 'https://10.0.0.1:6443', key: 'https://10.0.0.1:6443#', status: 'ready', snapshot, findings: evaluateSkew(snapshot, { kubectlVersion: 'v1.20.0' }), warnings: ['a warning'] };
}

test('two contexts on one cluster: unique ids, and every parent is the element the item was listed under', () => {
  const clusters = [state('admin@prod'), state('readonly@prod')];
  const ids = new Map<string, number>();
  let count = 0;
  const walk = (el: TreeElement | undefined) => {
    for (const c of children(el, clusters)) {
      const id = present(c).id;
      ids.set(id, (ids.get(id) ?? 0) + 1);
      count++;
      assert.equal(parentOf(c), el, `parent of ${id}`);
      if (el) assert.equal(present(parentOf(c)!).id, present(el).id);
      walk(c);
    }
  };
  walk(undefined);
  const dups = [...ids].filter(([, n]) => n > 1).map(([id]) => id);
  assert.deepEqual(dups, []);
  assert.ok(count > 40, `walked ${count} items`);
  // the kubectl finding appears under both clusters, with each context's prefix
  const kubectl = [...ids.keys()].filter((id) => id.includes('/finding/-/kubectl'));
  assert.equal(kubectl.length, 2, [...ids.keys()].join('\n'));
});
