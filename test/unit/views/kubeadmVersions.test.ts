import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClusterStore } from '../../../src/core/clusterStore';
import type { ClusterSource, FetchResult } from '../../../src/core/snapshot/source';
import { rawDump } from '../helpers/dumps';

const KEY = `https://127.0.0.1:6443#${'ab'.repeat(32)}`;

/** A source that returns one dump (store logic only: the real source is covered by the integration tests). */
const source = (contextName: string, dump: string): ClusterSource => ({
  contextName,
  server: 'https://127.0.0.1:6443',
  key: KEY,
  fetch: async (): Promise<FetchResult> => ({ objects: rawDump(dump), warnings: [] }),
  watch: () => () => undefined,
});

test('a kubeadm version learned from a node is on the node, checked by the skew rules, and kept across reads', async () => {
  const store = new ClusterStore();
  store.learnKubeadmVersion(KEY, 'cp-1', 'v1.29.0', null); // e.g. restored from the cache before the cluster loads
  await store.setSources([source('a', 'healthy')]);
  const cp1 = () => store.get('a')!.snapshot!.nodes.find((n) => n.name === 'cp-1')!;
  assert.equal(cp1().kubeadm?.version?.minor, 29);
  assert.ok(store.get('a')!.findings.some((f) => f.node === 'cp-1' && f.rule === 'kubeadm-older-than-control-plane'));
  store.setKubeadmVersion('a', 'cp-1', 'v1.31.2');
  assert.equal(cp1().kubeadm?.version?.minor, 31);
  assert.ok(!store.get('a')!.findings.some((f) => f.node === 'cp-1' && f.rule.startsWith('kubeadm-')));
  await store.refresh('a');
  assert.equal(cp1().kubeadm?.version?.minor, 31, 'kept after the next read');
});

test('a cached kubeadm version is dropped once the node\'s kubelet changes (upgraded outside the extension)', async () => {
  let dump = 'healthy';
  const store = new ClusterStore();
  await store.setSources([{ ...source('a', 'healthy'), fetch: async () => ({ objects: rawDump(dump), warnings: [] }) }]);
  store.setKubeadmVersion('a', 'cp-2', 'v1.31.2');
  const cp2 = () => store.get('a')!.snapshot!.nodes.find((n) => n.name === 'cp-2')!;
  assert.equal(cp2().kubeadm?.version?.minor, 31);
  dump = 'mid-upgrade'; // cp-2's kubelet is now v1.32.0
  await store.refresh('a');
  assert.equal(cp2().kubeadm, undefined);
  assert.ok(!store.get('a')!.findings.some((f) => f.node === 'cp-2' && f.rule === 'kubeadm-kubelet-newer'));
});
