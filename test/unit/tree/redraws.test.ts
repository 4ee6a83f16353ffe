// What the Kubeadm Clusters view redraws after a change (src/ui/tree/redraws.ts), on the real elements and their real
// presentation: nothing when a re-read shows the same, only the items whose look changed otherwise, the same
// instances VS Code was given, and the whole tree only when the clusters themselves change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterState } from '../../../src/core/clusterStore';
import { evaluateSkew } from '../../../src/core/skew';
import { buildSnapshot } from '../../../src/core/snapshot/build';
import type { RawClusterObjects } from '../../../src/core/snapshot/raw';
import { children, type TreeElement } from '../../../src/ui/tree/elements';
import { present } from '../../../src/ui/tree/present';
import { TreeRedraws } from '../../../src/ui/tree/redraws';
import { rawDump } from '../helpers/dumps';

function state(contextName: string, edit: (raw: RawClusterObjects) => void = () => {}): ClusterState {
  const raw = rawDump('mixed-skew');
  edit(raw);
  const snapshot = buildSnapshot(raw);
  return { contextName, server: 'https://10.0.0.1:6443', key: 'https://10.0.0.1:6443#', status: 'ready', snapshot, findings: evaluateSkew(snapshot, { kubectlVersion: 'v1.20.0' }), warnings: [] };
}

const cordon = (name: string) => (raw: RawClusterObjects) => {
  const n = raw.nodes.find((x) => x.metadata?.name === name)!;
  n.spec = { ...n.spec, unschedulable: true };
};

/** A view over `clusters` (changed by the test) with every item expanded, as VS Code lists it. */
function view(initial: ClusterState[], labels: Record<string, string> = {}) {
  let clusters = initial;
  const r = new TreeRedraws<TreeElement>({
    children: (parent) => children(parent, clusters, (_c, node) => labels[node]),
    view: (e) => ({ id: present(e).id, look: JSON.stringify(present(e)) }),
  });
  const shown = new Map<string, TreeElement>();
  const expand = (parent: TreeElement | undefined) => {
    for (const c of r.list(parent)) {
      shown.set(present(c).id, c);
      expand(c);
    }
  };
  expand(undefined);
  return {
    shown,
    set: (next: ClusterState[]) => (clusters = next),
    ids: (changed: TreeElement[] | undefined) => changed?.map((e) => present(e).id),
    changes: () => r.changes(),
    expand,
  };
}

test('a re-read that shows the same (a watch event for a heartbeat) redraws nothing', () => {
  const v = view([state('prod')]);
  assert.ok(v.shown.size > 40, `${v.shown.size} items listed`);
  v.set([state('prod')]);
  assert.deepEqual(v.changes(), []);
});

test('a cordoned worker: that node item is redrawn, the same instance VS Code has, now showing "cordoned"', () => {
  const v = view([state('prod')]);
  const before = v.shown.get('prod/node/worker-new')!;
  v.set([state('prod', cordon('worker-new'))]);
  const changed = v.changes()!;
  assert.ok(changed.includes(before), `redrawn: ${v.ids(changed)!.join(', ')}`);
  assert.match(present(before).description!, /cordoned/);
  // Nothing above it is redrawn, so VS Code keeps every other item (and their context menus keep their argument).
  assert.deepEqual(v.ids(changed)!.filter((id) => !id.startsWith('prod/node/worker-new')), []);
});

test('an upgrade run label comes and goes on the node item; the label it had is gone from the instance', () => {
  const labels: Record<string, string> = {};
  const v = view([state('prod')], labels);
  const node = v.shown.get('prod/node/cp-2')!;
  labels['cp-2'] = 'upgrading 4/10';
  assert.deepEqual(v.ids(v.changes()), ['prod/node/cp-2']);
  assert.match(present(node).description!, /upgrading 4\/10/);
  delete labels['cp-2'];
  assert.deepEqual(v.ids(v.changes()), ['prod/node/cp-2']);
  assert.equal('runLabel' in node, false);
  assert.doesNotMatch(present(node).description!, /upgrading/);
});

test('a node joins: its group is redrawn (and listed again), not the whole tree', () => {
  const v = view([state('prod')]);
  v.set([
    state('prod', (raw) => {
      const copy = JSON.parse(JSON.stringify(raw.nodes.find((x) => x.metadata?.name === 'worker-new'))) as (typeof raw.nodes)[number];
      copy.metadata!.name = 'worker-joined';
      raw.nodes.push(copy);
    }),
  ]);
  const changed = v.changes();
  assert.ok(changed !== undefined, 'not the whole tree');
  assert.ok(v.ids(changed)!.includes('prod/workers'), v.ids(changed)!.join(', '));
  // VS Code lists the group again; the next change compares against the new listing.
  v.expand(v.shown.get('prod/workers'));
  assert.deepEqual(v.changes(), []);
});

test('a context added or removed redraws the whole tree', () => {
  const v = view([state('prod')]);
  v.set([state('prod'), state('staging')]);
  assert.equal(v.changes(), undefined);
});

test('a collapsed item (never listed) is not compared: VS Code lists it when it is expanded', () => {
  let clusters = [state('prod')];
  const r = new TreeRedraws<TreeElement>({ children: (p) => children(p, clusters), view: (e) => ({ id: present(e).id, look: JSON.stringify(present(e)) }) });
  const [cluster] = r.list(undefined); // only the top level is listed
  clusters = [state('prod', cordon('worker-new'))];
  const changed = r.changes()!;
  // The cluster item itself may change (its badge counts findings); nothing below it was listed, so nothing else is.
  assert.deepEqual(changed.filter((e) => e !== cluster), []);
});
