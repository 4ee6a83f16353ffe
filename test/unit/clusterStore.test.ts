import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClusterStore } from '../../src/core/clusterStore';
import { ClusterAccessError, type ClusterSource, type FetchResult } from '../../src/core/snapshot/source';
import type { RawClusterObjects } from '../../src/core/snapshot/raw';
import { rawDump } from './helpers/dumps';

/** A scripted source: a hand-made stand-in, acceptable here because this tests the store's logic only. */
class ScriptedSource implements ClusterSource {
  readonly server = 'https://127.0.0.1:6443';
  fetches = 0;
  private onChange?: () => void;
  constructor(readonly contextName: string, public next: () => RawClusterObjects) {}
  async fetch(): Promise<FetchResult> {
    this.fetches++;
    return { objects: this.next(), warnings: [] };
  }
  watch(onChange: () => void) {
    this.onChange = onChange;
    return () => (this.onChange = undefined);
  }
  change() {
    this.onChange?.();
  }
}

test('loads every source, evaluates skew, and re-reads on a watch event', async () => {
  const healthy = new ScriptedSource('a', () => rawDump('healthy'));
  const store = new ClusterStore();
  const events: (string | undefined)[] = [];
  store.onDidChange((c) => events.push(c));
  await store.setSources([healthy]);
  assert.equal(store.get('a')!.status, 'ready');
  assert.equal(store.get('a')!.findings.length, 0);
  healthy.next = () => rawDump('legacy');
  const reloaded = new Promise<void>((r) => { const off = store.onDidChange(() => { off(); r(); }); });
  healthy.change();
  await reloaded;
  assert.equal(healthy.fetches, 2);
  assert.equal(store.get('a')!.findings.length, 5);
  assert.deepEqual(events, [undefined, 'a', 'a']);
  store.dispose();
});

test('an access error becomes an error state with the message, and a retry recovers', async () => {
  let fail = true;
  const source = new ScriptedSource('b', () => {
    if (fail) throw new ClusterAccessError({ kind: 'unauthorized', message: 'Unauthorized (401) at b', detail: 'Unauthorized' });
    return rawDump('healthy');
  });
  const store = new ClusterStore();
  await store.setSources([source]);
  assert.equal(store.get('b')!.status, 'error');
  assert.equal(store.get('b')!.error!.kind, 'unauthorized');
  fail = false;
  await store.refresh('b');
  assert.equal(store.get('b')!.status, 'ready');
  store.dispose();
});

test('concurrent refreshes of one cluster share one read; a target re-evaluates without a read', async () => {
  const source = new ScriptedSource('c', () => rawDump('legacy'));
  const store = new ClusterStore();
  await store.setSources([source]);
  await Promise.all([store.refresh('c'), store.refresh('c'), store.refresh('c')]);
  assert.equal(source.fetches, 2);
  store.setOptions({ target: 'v1.27.3' });
  assert.equal(source.fetches, 2);
  assert.ok(store.get('c')!.findings.some((f) => f.rule === 'upgrade-blocked-by-old-kubelets'));
  store.dispose();
});
