// #25 item 2 against two real sandboxes (`apt`: cp-1, worker-1, worker-2 each) whose kubeconfigs both name their context
// `kubernetes-admin@kubernetes`, as every kubeadm admin.conf does: a result kept for A (a readiness note, a kubeadm
// version learned on cp-1, an etcd snapshot record, a node run's label) is not given once the settings point at B's
// file, and is A's again when they point back. The keys are those of the real kubeconfigs (server + CA), and agree
// with the clusters' identities read from their APIs (kube-system uid): two keys, two clusters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse as parseYaml, stringify } from 'yaml';
import { ApiClusterSource } from '../../../src/adapters/k8s/apiClusterSource';
import { readClusterIdentity } from '../../../src/adapters/k8s/clusterIdentity';
import { loadContexts } from '../../../src/adapters/k8s/kubeconfig';
import { ClusterStore } from '../../../src/core/clusterStore';
import { etcdSnapshotViews } from '../../../src/core/backups/etcdSnapshots';
import { endpointKey, shownUnder } from '../../../src/core/identity/clusterIdentity';
import { ResultsByCluster } from '../../../src/core/identity/resultsByCluster';
import type { SnapshotRecord } from '../../../src/core/etcd/snapshot';
import { useSandbox, type Sandbox } from '../sandbox';

const NAME = 'kubernetes-admin@kubernetes';
let work: string;

function asAdminConf(sb: Sandbox, name: string): string {
  const kc = parseYaml(fs.readFileSync(sb.kubeconfig, 'utf8')) as { clusters: { name: string }[]; users: { name: string }[]; contexts: { name: string; context: { cluster: string; user: string } }[]; 'current-context': string };
  kc.clusters[0]!.name = 'kubernetes';
  kc.users[0]!.name = 'kubernetes-admin';
  kc.contexts = [{ name: NAME, context: { cluster: 'kubernetes', user: 'kubernetes-admin' } }];
  kc['current-context'] = NAME;
  const file = path.join(work, `${name}.conf`);
  fs.writeFileSync(file, stringify(kc), { mode: 0o600 });
  return file;
}

const A = useSandbox('apt', { setUp: () => void (work = fs.mkdtempSync(path.join(os.tmpdir(), 'cached-results-'))) });
const B = useSandbox('apt', { tearDown: () => (work ? fs.rmSync(work, { recursive: true, force: true }) : undefined) });

test('results kept for cluster A never show for cluster B under the same context name (settings pointed at B\'s admin.conf)', { timeout: 300_000 }, async () => {
  const files = { A: asAdminConf(A, 'A'), B: asAdminConf(B, 'B') };
  // What the extension's loader does on a kubeconfig change: the same context name, another file's cluster.
  const sourceOf = (file: string) => {
    const [ctx] = loadContexts([file]).contexts;
    return { source: new ApiClusterSource(ctx!.name, ctx!.config), config: ctx!.config };
  };
  const a = sourceOf(files.A);
  const b = sourceOf(files.B);
  assert.equal(a.source.contextName, b.source.contextName);
  const [idA, idB] = [await readClusterIdentity(a.config), await readClusterIdentity(b.config)];
  assert.notEqual(idA.namespaceUid, idB.namespaceUid, 'two clusters');
  assert.notEqual(a.source.key, b.source.key, 'two keys');
  assert.equal(a.source.key, endpointKey(idA.server, idA.caFingerprint), 'A\'s key is its identity\'s server and CA');
  assert.equal(b.source.key, endpointKey(idB.server, idB.caFingerprint));

  const store = new ClusterStore();
  try {
    await store.setSources([a.source]);
    assert.equal(store.get(NAME)?.status, 'ready');
    const notes = new ResultsByCluster<string>((c) => store.keyOf(c));
    notes.set(NAME, 'readiness v1.36.3: 3 blockers');
    store.setKubeadmVersion(NAME, 'cp-1', 'v1.29.0');
    const cp1 = () => store.get(NAME)?.snapshot?.nodes.find((n) => n.name === 'cp-1');
    assert.equal(cp1()?.kubeadm?.version?.raw, 'v1.29.0');
    const snapshotOf = (key: string): SnapshotRecord => ({ kind: 'etcd-snapshot', cluster: NAME, clusterKey: key, node: 'cp-1', remotePath: '/r', localPath: `/l/${key}`, sha256: 'f'.repeat(64), status: { hash: 1, revision: 1, totalKey: 1, totalSize: 1 }, takenAt: new Date().toISOString() });

    await store.setSources([b.source]);
    assert.equal(store.get(NAME)?.status, 'ready');
    assert.equal(store.keyOf(NAME), b.source.key);
    assert.equal(notes.get(NAME), undefined, 'A\'s readiness note under B');
    assert.equal(cp1()?.kubeadm, undefined, 'A\'s cp-1 kubeadm version on B\'s cp-1');
    assert.deepEqual(etcdSnapshotViews([snapshotOf(a.source.key)], NAME, () => null, store.keyOf(NAME)), [], 'A\'s etcd snapshot offered for B');
    assert.equal(shownUnder(idA, store.keyOf(NAME)), false, 'a run of A labelled on B\'s nodes');
    assert.equal(shownUnder(idB, store.keyOf(NAME)), true);

    await store.setSources([sourceOf(files.A).source]);
    assert.equal(notes.get(NAME), 'readiness v1.36.3: 3 blockers', 'A\'s again with A');
    assert.equal(cp1()?.kubeadm?.version?.raw, 'v1.29.0');
  } finally {
    store.dispose();
  }
});
