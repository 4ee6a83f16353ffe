// Parsing what the readiness checks read: kubeadm certs check-expiration text (both layouts, <invalid>, !MISSING!,
// super-admin.conf, the CA table), etcdctl endpoint status/health JSON (uint64 ids), the deprecated-API metric,
// swap/cgroup facts and etcdutl snapshot status.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';

import { daysLeft, parseCheckExpiration } from '../../../src/core/readiness/parse/certs';
import { apiName, parseDeprecatedApis } from '../../../src/core/readiness/parse/deprecatedApis';
import { parseEndpointHealth, parseEndpointStatus, parseSnapshotStatus } from '../../../src/core/etcd/parse';
import { parseNodeFacts } from '../../../src/core/readiness/parse/nodeFacts';

const fixture = (name: string) => readFileSync(resolve(__dirname, '../../fixtures/readiness', name), 'utf8');
const NOW = new Date('2025-12-02T06:00:00Z');

describe('parseCheckExpiration', () => {
  it('reads the certificate and CA tables of kubeadm ≥ 1.20, with super-admin.conf and <invalid>', () => {
    const rows = parseCheckExpiration(fixture('check-expiration-1.31.txt'));
    assert.equal(rows.filter((r) => !r.authority).length, 11);
    assert.deepEqual(rows.filter((r) => r.authority).map((r) => r.name), ['ca', 'etcd-ca', 'front-proxy-ca']);
    const apiserver = rows.find((r) => r.name === 'apiserver')!;
    assert.equal(apiserver.expires!.toISOString(), '2025-12-22T09:03:00.000Z');
    assert.equal(daysLeft(apiserver, NOW), 20);
    const superAdmin = rows.find((r) => r.name === 'super-admin.conf')!;
    assert.equal(superAdmin.residual, '<invalid>');
    assert.ok(daysLeft(superAdmin, NOW)! < 0);
    assert.equal(rows.find((r) => r.name === 'ca')!.externallyManaged, false);
  });

  it('reads !MISSING! rows, an empty CA column and an externally managed CA', () => {
    const rows = parseCheckExpiration(fixture('check-expiration-missing.txt'));
    assert.deepEqual(rows.filter((r) => r.missing).map((r) => r.name), ['apiserver-etcd-client', 'etcd-server']);
    assert.equal(rows.find((r) => r.name === 'controller-manager.conf')!.residual, '<invalid>');
    assert.equal(rows.find((r) => r.name === 'ca')!.externallyManaged, true);
  });

  it('reads the old layout without a CERTIFICATE AUTHORITY column (true/false)', () => {
    const rows = parseCheckExpiration(fixture('check-expiration-1.17.txt'));
    assert.deepEqual(rows.map((r) => [r.name, r.residual, r.externallyManaged]), [['admin.conf', '364d', false], ['apiserver', '364d', false]]);
  });

  it('reads the real kubeadm 1.36.3 output of the sandbox PKI (20-day apiserver certificate, missing kubeconfigs)', () => {
    const rows = parseCheckExpiration(fixture('check-expiration-real-kubeadm-1.36.3.txt'));
    assert.deepEqual(rows.filter((r) => r.missing).map((r) => r.name), ['admin.conf', 'scheduler.conf', 'super-admin.conf']);
    const apiserver = rows.find((r) => r.name === 'apiserver')!;
    assert.equal(apiserver.residual, '19d');
    assert.equal(daysLeft(apiserver, new Date('2026-12-02T06:20:00Z')), 19);
    assert.equal(rows.filter((r) => r.authority).length, 3);
  });

  it('finds nothing in output that has no table (an error)', () => {
    assert.deepEqual(parseCheckExpiration('error: open /etc/kubernetes/pki/ca.crt: no such file or directory\n'), []);
  });
});

describe('etcdctl JSON', () => {
  it('keeps uint64 member ids exact, so the leader is matched to the right member', () => {
    const st = parseEndpointStatus(fixture('endpoint-status.json'));
    assert.equal(st.length, 2);
    assert.equal(st[0]!.memberId, '10276657743932975437');
    assert.equal(st[1]!.memberId, '10276657743932975438');
    assert.equal(st[0]!.leader, st[0]!.memberId);
    assert.notEqual(st[1]!.leader, st[1]!.memberId);
    assert.equal(st[0]!.version, '3.6.8');
    assert.equal(st[0]!.dbSize, 3080192);
    assert.deepEqual(st[1]!.errors, ['NOSPACE']);
  });

  it('reads health with errors, after log lines on stderr', () => {
    const h = parseEndpointHealth('{"level":"warn","msg":"x"}\n' + fixture('endpoint-health.json'));
    assert.deepEqual(h.map((x) => [x.endpoint, x.health, x.error]), [['https://10.0.0.11:2379', true, undefined], ['https://10.0.0.12:2379', false, 'context deadline exceeded']]);
  });

  it('reads etcdutl snapshot status -w json', () => {
    const s = parseSnapshotStatus('{"hash":3906488361,"revision":1845,"totalKey":1012,"totalSize":3080192,"version":"3.6.0"}\n');
    assert.deepEqual(s, { hash: 3906488361, revision: 1845, totalKey: 1012, totalSize: 3080192, version: '3.6.0' });
    assert.throws(() => parseSnapshotStatus('Error: snapshot file integrity check failed\n'), /not a snapshot status/);
  });
});

describe('parseDeprecatedApis', () => {
  it('reads each requested deprecated API with its removal release', () => {
    const uses = parseDeprecatedApis(fixture('metrics-deprecated.txt'));
    assert.deepEqual(uses.map(apiName), ['v1 componentstatuses', 'flowcontrol.apiserver.k8s.io/v1beta3 flowschemas', 'resource.k8s.io/v1beta2 deviceclasses']);
    assert.equal(uses[0]!.removedRelease, undefined);
    assert.deepEqual(uses[1]!.removedRelease, { major: 1, minor: 32 });
  });
});

describe('parseNodeFacts', () => {
  it('swap lines and the cgroup filesystem type', () => {
    assert.deepEqual(parseNodeFacts('== swap\n/swapfile file 2147483648 0 -2\n== cgroup\ntmpfs\n'), { swap: ['/swapfile file 2147483648 0 -2'], cgroup: 'v1', cgroupFs: 'tmpfs', nodeConfig: {} });
    assert.deepEqual(parseNodeFacts('== swap\n== cgroup\ncgroup2fs\n'), { swap: [], cgroup: 'v2', cgroupFs: 'cgroup2fs', nodeConfig: {} });
  });
  it('the kubelet\'s --fail-swap-on flag (the last one wins) and the swap lines of its config file', () => {
    const f = parseNodeFacts('== swap\n/swap.img file 1073741824 0 -2\n== cgroup\ncgroup2fs\n== kubeletflags\nKUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///run/containerd/containerd.sock --fail-swap-on=true"\nKUBELET_EXTRA_ARGS=--fail-swap-on=false\n== kubeletconfig\nfailSwapOn: false\n  swapBehavior: LimitedSwap\n');
    assert.equal(f.failSwapOnFlag, false);
    assert.deepEqual(f.nodeConfig, { failSwapOn: false, swapBehavior: 'LimitedSwap' });
    assert.equal(parseNodeFacts('== swap\n== kubeletflags\n== kubeletconfig\n').failSwapOnFlag, undefined);
  });
});
