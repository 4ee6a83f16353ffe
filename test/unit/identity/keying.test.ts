// Item 2 of #25: every cached result is keyed by the cluster a context reaches, never by its name. Two kubeconfigs whose
// contexts are both `kubernetes-admin@kubernetes` (as kubeadm writes admin.conf) but reach different clusters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { ApiClusterSource } from '../../../src/adapters/k8s/apiClusterSource';
import { ClusterStore } from '../../../src/core/clusterStore';
import { ResultsByCluster } from '../../../src/core/identity/resultsByCluster';
import { endpointKey, shownUnder, describeEndpointKey } from '../../../src/core/identity/clusterIdentity';
import { otherClusterView } from '../../../src/core/clusterPanel/otherCluster';
import { isViewModel } from '../../../src/core/clusterPanel/protocol';
import { renderView } from '../../../webview/render/view';
import { etcdSnapshotViews } from '../../../src/core/backups/etcdSnapshots';
import type { SnapshotRecord } from '../../../src/core/etcd/snapshot';
import { shownReadinessNote } from '../../../src/core/readiness/treeNoteAge';
import type { ClusterSource, FetchResult } from '../../../src/core/snapshot/source';
import { rawDump } from '../helpers/dumps';

const NAME = 'kubernetes-admin@kubernetes';

/** A self-signed CA made by openssl, base64 PEM as in a kubeconfig's certificate-authority-data. */
function newCa(dir: string, cn: string): string {
  const key = path.join(dir, `${cn}.key`);
  const crt = path.join(dir, `${cn}.crt`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', crt, '-days', '1', '-subj', `/CN=${cn}`], { stdio: 'ignore' });
  return fs.readFileSync(crt).toString('base64');
}

function adminConf(server: string, caData: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'kubernetes', server, caData }],
    users: [{ name: 'kubernetes-admin', token: 'x' }],
    contexts: [{ name: NAME, cluster: 'kubernetes', user: 'kubernetes-admin' }],
    currentContext: NAME,
  });
  return kc;
}

/** The store over sources with a dump each (no API): what is tested is the keying, not the reads. */
const source = (key: string, dump = 'healthy'): ClusterSource => ({
  contextName: NAME,
  server: key.split('#')[0],
  key,
  fetch: async (): Promise<FetchResult> => ({ objects: rawDump(dump), warnings: [] }),
  watch: () => () => undefined,
});
const A = 'https://127.0.0.1:6443#' + 'aa'.repeat(32);
const B = 'https://127.0.0.1:6443#' + 'bb'.repeat(32);

test('a context\'s cluster key is its server and CA: two admin.confs behind one URL with other CAs get two keys', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keying-'));
  try {
    const [caA, caB] = [newCa(dir, 'a'), newCa(dir, 'b')];
    const a = new ApiClusterSource(NAME, adminConf('https://127.0.0.1:6443', caA));
    const b = new ApiClusterSource(NAME, adminConf('https://127.0.0.1:6443', caB));
    const a2 = new ApiClusterSource(NAME, adminConf('https://127.0.0.1:6443/', caA));
    assert.notEqual(a.key, b.key);
    assert.equal(a.key, a2.key, 'a trailing slash does not make another cluster');
    assert.match(a.key, /^https:\/\/127\.0\.0\.1:6443#[0-9a-f]{64}$/);
    assert.match(describeEndpointKey(a.key), /^https:\/\/127\.0\.0\.1:6443 \(CA sha256 [0-9a-f]{12}…\)$/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a result kept for A is not given for B under the same context name, and comes back with A', async () => {
  const store = new ClusterStore();
  await store.setSources([source(A)]);
  const notes = new ResultsByCluster<string>((c) => store.keyOf(c));
  notes.set(NAME, 'readiness v1.36.3: 3 blockers');
  assert.equal(notes.get(NAME), 'readiness v1.36.3: 3 blockers');
  await store.setSources([source(B)]);
  assert.equal(store.get(NAME)!.key, B);
  assert.equal(notes.get(NAME), undefined, 'A\'s note under B');
  await store.setSources([source(A)]);
  assert.equal(notes.get(NAME), 'readiness v1.36.3: 3 blockers', 'A\'s note is A\'s again');
  await store.setSources([source(B)]);
  assert.deepEqual(notes.prune(), [{ context: NAME, value: 'readiness v1.36.3: 3 blockers' }]);
  assert.deepEqual(notes.prune(), [], 'pruned once');
  await store.setSources([source(A)]);
  assert.equal(notes.get(NAME), undefined, 'pruned for good');
});

test('a result made for A while the context already reaches B (a report that came back late) is never shown', async () => {
  const store = new ClusterStore();
  await store.setSources([source(B)]);
  const notes = new ResultsByCluster<string>((c) => store.keyOf(c));
  notes.set(NAME, 'made on A', A);
  assert.equal(notes.get(NAME), undefined);
  assert.equal(notes.clusterOf(NAME), A);
  notes.set('gone-context', 'x');
  assert.equal(notes.clusterOf('gone-context'), undefined, 'a context that is not loaded keeps nothing');
});

test('a kubeadm version learned on A\'s cp-1 is not shown on B\'s cp-1 (same context name), and is A\'s again', async () => {
  const store = new ClusterStore();
  await store.setSources([source(A)]);
  store.setKubeadmVersion(NAME, 'cp-1', 'v1.29.0');
  const cp1 = () => store.get(NAME)!.snapshot!.nodes.find((n) => n.name === 'cp-1')!;
  assert.equal(cp1().kubeadm?.version?.minor, 29);
  await store.setSources([source(B)]);
  assert.equal(cp1().kubeadm, undefined, 'B\'s cp-1 shows no kubeadm version of A\'s');
  assert.ok(!store.get(NAME)!.findings.some((f) => f.rule.startsWith('kubeadm-')));
  await store.setSources([source(A)]);
  assert.equal(cp1().kubeadm?.version?.minor, 29);
  store.learnKubeadmVersion(B, 'cp-1', 'v1.31.2', null);
  assert.equal(cp1().kubeadm?.version?.minor, 29, 'learned for B: A unchanged');
});

test('a panel\'s result is replaced by "another cluster now", naming both servers and the command to run', () => {
  const v = otherClusterView('readiness', NAME, A, B);
  assert.ok(isViewModel(v));
  assert.match(v.text, /^This readiness report was made for the cluster at https:\/\/127\.0\.0\.1:6443 \(CA sha256 aaaaaaaaaaaa…\)\. The context kubernetes-admin@kubernetes now reaches https:\/\/127\.0\.0\.1:6443 \(CA sha256 bbbbbbbbbbbb…\)/);
  assert.match(v.text, /Run Kubeadm: Check Upgrade Readiness… again/);
  const html = renderView(v);
  assert.match(html, /data-other-cluster="true"/);
  assert.ok(!/blocker/i.test(html), 'nothing of the result');
  assert.ok(!isViewModel({ ...v, slot: 'tree' }));
});

test('a run\'s tree label and an etcd snapshot are shown only under a context that reaches their cluster', () => {
  const idA = { server: 'https://127.0.0.1:6443', caFingerprint: 'aa'.repeat(32), namespaceUid: 'uid-a' };
  assert.equal(endpointKey(idA.server, idA.caFingerprint), A);
  assert.equal(shownUnder(idA, A), true);
  assert.equal(shownUnder(idA, B), false);
  assert.equal(shownUnder(undefined, B), true, 'a run saved before identities: nothing says it is another cluster\'s');
  const rec = (clusterKey?: string): SnapshotRecord => ({ kind: 'etcd-snapshot', cluster: NAME, ...(clusterKey ? { clusterKey } : {}), node: 'cp-1', remotePath: '/r', localPath: `/l-${clusterKey ?? 'old'}`, sha256: 'f'.repeat(64), status: { hash: 1, revision: 1, totalKey: 1, totalSize: 1 }, takenAt: '2026-12-07T10:00:00Z' });
  const shown = etcdSnapshotViews([rec(A), rec(B), rec()], NAME, () => null, B).map((v) => v.record.localPath);
  assert.deepEqual(shown, [`/l-${B}`, '/l-old']);
});

test('the readiness note says when it was checked once the cluster\'s versions changed', () => {
  const note = { text: 'readiness v1.36.3: 1 blocker', at: new Date(2026, 11, 7, 17, 2), versions: '["v1.35.4"]' };
  assert.equal(shownReadinessNote(note, '["v1.35.4"]'), 'readiness v1.36.3: 1 blocker');
  assert.equal(shownReadinessNote(note, '["v1.36.3"]'), 'readiness v1.36.3: 1 blocker (checked 17:02; the cluster changed since — re-check)');
});
