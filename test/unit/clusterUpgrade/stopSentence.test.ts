import { test } from 'node:test';
import assert from 'node:assert/strict';
import { otherClusterNote } from '../../../src/core/clusterUpgrade/stopSentence';
import type { ClusterRunState } from '../../../src/core/clusterUpgrade/state';
import { endpointKey } from '../../../src/core/identity/clusterIdentity';
import { auditEntriesOfCluster } from '../../../src/core/backups/auditScope';
import { DEFAULT_OPTIONS } from '../../../src/core/upgrade/phases';
import { parseVersion } from '../../../src/core/version';

const a = { server: 'https://127.0.0.1:16443', caFingerprint: 'aaaaaaaaaaaaaaaa', namespaceUid: 'uid-a' };
const b = { server: 'https://127.0.0.1:26443', caFingerprint: 'bbbbbbbbbbbbbbbb', namespaceUid: 'uid-b' };
const run = { kind: 'cluster-run', id: 'c1', cluster: 'kubernetes-admin@kubernetes', identity: a, target: parseVersion('v1.36.3')!, options: DEFAULT_OPTIONS, maxUnavailable: '1', skipSnapshot: false, overrides: [], readinessNotes: [], nodes: [], plannedBatches: [], status: 'failed', createdAt: '', updatedAt: '' } as ClusterRunState;

test('the Cluster Upgrade view of a run is marked stale once its context reaches another cluster, and only then', () => {
  assert.equal(otherClusterNote(run, endpointKey(a.server, a.caFingerprint)), undefined);
  assert.equal(otherClusterNote(run, undefined), undefined);
  const note = otherClusterNote(run, endpointKey(b.server, b.caFingerprint))!;
  assert.match(note, /made for the cluster at https:\/\/127\.0\.0\.1:16443 \(CA sha256 aaaaaaaaaaaa…\)\. The context kubernetes-admin@kubernetes now reaches https:\/\/127\.0\.0\.1:26443/);
});

test("the Backups view's audit links leave out the lines of another cluster's runs under the same context name", () => {
  const entries = [
    { node: 'cp-1', cluster: 'kubernetes-admin@kubernetes', run: 'run-a', command: 'kubeadm upgrade apply' },
    { node: 'cp-1', cluster: 'kubernetes-admin@kubernetes', run: 'run-b', command: 'kubeadm upgrade apply' },
    { node: 'cp-1', cluster: 'kubernetes-admin@kubernetes', run: 'snapshot', command: 'etcdctl snapshot save' },
    { node: 'cp-2', cluster: 'kubernetes-admin@kubernetes', run: 'run-a', command: 'x' },
    { node: 'cp-1', cluster: 'other', run: 'run-a', command: 'x' },
  ];
  const runs = [{ id: 'run-a', identity: a }, { id: 'run-b', identity: b }];
  const seenFromB = auditEntriesOfCluster(entries, 'kubernetes-admin@kubernetes', 'cp-1', runs, endpointKey(b.server, b.caFingerprint));
  assert.deepEqual(seenFromB.map((e) => e.run), ['run-b', 'snapshot']);
  const seenFromA = auditEntriesOfCluster(entries, 'kubernetes-admin@kubernetes', 'cp-1', runs, endpointKey(a.server, a.caFingerprint));
  assert.deepEqual(seenFromA.map((e) => e.run), ['run-a', 'snapshot']);
});
