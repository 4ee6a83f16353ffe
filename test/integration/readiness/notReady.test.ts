// The readiness report against the `not-ready-to-upgrade` sandbox: real apiserver, real sshd per node, real etcd
// (etcdctl), real kubeadm PKI (kubeadm certs check-expiration). Each check fires naming the right object or node;
// a check without permission says so; the etcd snapshot is a real, verifiable snapshot with a matching sha256.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runReadiness, type CheckResult, type ReadinessReport } from '../../../src/core/readiness';
import { parseVersion } from '../../../src/core/version';
import { binaries } from '../../sandbox/lib/paths';
import { useSandbox, SANDBOX_TARGET as TARGET } from '../sandbox';
import { cli, sandboxAccess } from './helpers';
import { assertValidJsonOutput } from '../../schemas';

let report: ReadinessReport;
const sb = useSandbox('not-ready-to-upgrade', {
  setUp: async () => {
    const access = sandboxAccess(sb);
    try {
      // Five minutes "later" (injected clock): the pod deleted at `up` is then well past its grace period.
      report = await runReadiness({ ...access.deps, now: new Date(Date.now() + 5 * 60_000) }, parseVersion(TARGET)!);
    } finally {
      access.dispose();
    }
  },
});

const of = (id: string, node?: string): CheckResult[] => report.checks.filter((r) => r.id === id && (node === undefined || r.node === node));
const show = () => report.checks.map((r) => `${r.severity} ${r.id} ${r.node ?? '-'} ${r.message}`).join('\n');

test('every node is reached over SSH with sudo and a package manager', () => {
  for (const n of ['cp-1', 'worker-1', 'worker-2', 'worker-3']) assert.equal(of('node-access', n)[0]?.severity, 'ok', show());
});

test('nodes-ready: worker-3 NotReady is a warning naming it', () => {
  const r = of('nodes-ready', 'worker-3');
  assert.equal(r.length, 1, show());
  assert.equal(r[0]!.severity, 'warning');
  assert.match(r[0]!.message, /worker-3 is not healthy: Ready=Unknown/);
});

test('pdb-blocks-drain: default/singleton blocks worker-1', () => {
  const r = of('pdb-blocks-drain');
  assert.equal(r[0]!.severity, 'blocker', show());
  assert.match(r[0]!.message, /default\/singleton allows 0 disruptions: draining worker-1/);
  assert.ok(r[0]!.evidence.some((e) => /^Pod\/default\/singleton-.* on worker-1$/.test(e)), r[0]!.evidence.join('\n'));
});

test('webhook-unavailable: the Fail-policy webhook with no endpoints (not sandbox-quota, whose one pod is ready)', () => {
  const r = of('webhook-unavailable');
  assert.equal(r.length, 1, show());
  assert.equal(r[0]!.severity, 'blocker', show());
  assert.match(r[0]!.message, /ValidatingWebhookConfiguration sandbox-policy \(webhook policy\.sandbox\.kubeadm-upgrade\.io\).*no ready endpoints/);
});

test('pods-stuck-terminating: default/stuck held by its finalizer', () => {
  const r = of('pods-stuck-terminating');
  assert.equal(r[0]!.severity, 'warning', show());
  assert.match(r[0]!.message, /default\/stuck/);
  assert.equal(r[0]!.node, 'worker-2');
  assert.ok(r[0]!.evidence.includes('finalizers: sandbox.kubeadm-upgrade/hold'));
});

test('certificate-expiry: cp-1 apiserver certificate expires within 30 days (real kubeadm certs check-expiration)', () => {
  const r = of('certificate-expiry', 'cp-1');
  const apiserver = r.find((x) => /^apiserver on cp-1 expires in (19|20) day/.test(x.message));
  assert.ok(apiserver, show());
  assert.equal(apiserver.severity, 'warning');
  assert.ok(apiserver.evidence.some((e) => e.startsWith('$ kubeadm certs check-expiration')));
  assert.ok(!r.some((x) => x.severity === 'blocker'), 'nothing else expired');
});

test('swap-enabled on worker-2 (blocker: kubelet-config leaves failSwapOn at its default true), cgroup-v1 on worker-1 (blocker for a target ≥ 1.35)', () => {
  const swap = of('swap-enabled', 'worker-2')[0]!;
  assert.equal(swap.severity, 'blocker', show());
  assert.match(swap.message, /the kubelet refuses to start with swap \(failSwapOn not set in the kubelet-config ConfigMap \(default true\)\)/);
  assert.ok(swap.evidence.some((e) => e.startsWith('$ echo "== swap"')), swap.evidence.join('\n'));
  assert.equal(of('swap-enabled', 'worker-1')[0]!.severity, 'ok');
  assert.equal(of('cgroup-v1', 'worker-1')[0]!.severity, 'blocker');
  assert.equal(of('cgroup-v1', 'cp-1')[0]!.severity, 'ok');
});

test('etcd-health: the real etcd answers etcdctl endpoint status/health through kubeadm\'s client cert paths', () => {
  const r = of('etcd-health');
  assert.equal(r[0]!.severity, 'ok', show());
  assert.match(r[0]!.message, /1 member\(s\), 1 healthy, quorum 1, version 3\.6/);
});

test('deprecated-api-in-use: the componentstatuses request shows in the apiserver metric', () => {
  assert.ok(of('deprecated-api-in-use').some((x) => x.severity === 'warning' && /v1 componentstatuses/.test(x.message)), show());
});

test('single-control-plane, control-plane-health, package-repo, skew-path, cni-addons', () => {
  assert.equal(of('single-control-plane')[0]!.severity, 'info');
  assert.equal(of('control-plane-health')[0]!.severity, 'ok', show());
  for (const n of ['cp-1', 'worker-1']) assert.match(of('package-repo', n)[0]!.message, /switches it to v1\.36/);
  assert.ok(of('skew-path').length > 0);
  assert.equal(of('cni-addons')[0]!.severity, 'info');
});

test('removed-api-in-use: the Helm release Secret written by Helm\'s own driver, and the Ingress last applied as extensions/v1beta1', () => {
  const helm = of('removed-api-in-use').find((x) => /Helm release default\/legacy/.test(x.message));
  assert.ok(helm, show());
  assert.equal(helm.severity, 'blocker');
  assert.match(helm.message, /revision 1, deployed, chart legacy-0\.1\.0\) has 2 object\(s\) in policy\/v1beta1 PodDisruptionBudget, autoscaling\/v2beta2 HorizontalPodAutoscaler/);
  assert.equal(helm.evidence[0], 'Secret/default/sh.helm.release.v1.legacy.v1');
  const stored = of('removed-api-in-use').find((x) => /last applied as extensions\/v1beta1 Ingress/.test(x.message));
  assert.ok(stored, show());
  assert.equal(stored.severity, 'blocker');
  assert.ok(stored.evidence.includes('Ingress/default/shop: kubectl.kubernetes.io/last-applied-configuration apiVersion extensions/v1beta1'));
});

test('addon-compatibility: calico-node v3.20.6 is not documented for the target, with its source', () => {
  const r = of('addon-compatibility').find((x) => /calico/.test(x.message));
  assert.equal(r?.severity, 'warning', show());
  assert.match(r!.message, /CNI calico 3\.20 \(DaemonSet\/kube-system\/calico-node\) is not documented for Kubernetes 1\.36/);
  assert.ok(r!.evidence.some((e) => e.startsWith('source: https://docs.tigera.io/calico/')));
});

test('drain-capacity: hog-1 cannot leave worker-1, hog-2 cannot leave worker-2 (worker-3 NotReady, cp-1 tainted)', () => {
  for (const [node, hog] of [['worker-1', 'hog-1'], ['worker-2', 'hog-2']] as const) {
    const r = of('drain-capacity', node)[0];
    assert.equal(r?.severity, 'blocker', show());
    assert.match(r!.message, new RegExp(`^Draining ${node}: 1 of \\d+ evicted pod\\(s\\) would stay Pending — default/${hog}-`));
    assert.ok(r!.evidence.some((e) => new RegExp(`^Pod/default/${hog}-\\S+ on ${node} requests cpu 3, memory 1\\.0Gi$`).test(e)), r!.evidence.join('\n'));
  }
  assert.deepEqual(of('drain-capacity', 'worker-3'), []);
});

test('single-replica: lonely (one replica, no PDB) on worker-1; singleton has a PDB and is left to pdb-blocks-drain', () => {
  const lonely = of('single-replica').find((x) => /Deployment\/default\/lonely /.test(x.message));
  assert.equal(lonely?.severity, 'warning', show());
  assert.equal(lonely!.node, 'worker-1');
  assert.ok(!of('single-replica').some((x) => /Deployment\/default\/singleton /.test(x.message)));
});

test('webhook-drain-resilience: sandbox-quota is served by one pod on worker-2', () => {
  const r = of('webhook-drain-resilience');
  assert.equal(r.length, 1, show());
  assert.equal(r[0]!.severity, 'warning');
  assert.equal(r[0]!.node, 'worker-2');
  assert.match(r[0]!.message, /ValidatingWebhookConfiguration sandbox-quota \(webhook quota\.sandbox\.kubeadm-upgrade\.io, failurePolicy Fail\) is served by one pod on worker-2/);
});

test('evicted-pods, admin-conf, support-window', () => {
  const evicted = of('evicted-pods')[0]!;
  assert.equal(evicted.severity, 'info', show());
  assert.ok(evicted.evidence.some((e) => /^Pod\/default\/evicted-once on worker-1: Evicted/.test(e)), evicted.evidence.join('\n'));
  const admin = of('admin-conf', 'cp-1')[0]!;
  assert.equal(admin.severity, 'ok', show());
  assert.ok(admin.evidence.includes('$ test -f /etc/kubernetes/admin.conf'));
  const window = of('support-window')[0]!;
  assert.equal(window.severity, 'info');
  assert.match(window.message, /^Target 1\.36 is supported until 2027-06-28; the running 1\.35 until 2027-02-28$/);
});

test('admin-conf: without /etc/kubernetes/admin.conf on cp-1 (the node that runs apply) it is a blocker', { timeout: 300_000 }, async () => {
  const moved = sb.ssh('cp-1', 'sudo mv /etc/kubernetes/admin.conf /etc/kubernetes/admin.conf.away');
  assert.equal(moved.code, 0, moved.stderr);
  const access = sandboxAccess(sb);
  try {
    const r = await runReadiness(access.deps, parseVersion(TARGET)!, { only: ['admin-conf'] });
    assert.equal(r.checks[0]!.severity, 'blocker', JSON.stringify(r.checks));
    assert.equal(r.checks[0]!.message, 'cp-1 will run `kubeadm upgrade apply` but has no /etc/kubernetes/admin.conf');
  } finally {
    access.dispose();
    const back = sb.ssh('cp-1', 'sudo mv /etc/kubernetes/admin.conf.away /etc/kubernetes/admin.conf');
    assert.equal(back.code, 0, back.stderr);
  }
});

test('CLI preflight --json: the kubeadm-upgrade/v1 contract, exit 1 with blockers, 2 on bad input', { timeout: 300_000 }, async () => {
  const r = await cli('preflight', '--to', TARGET, '--kubeconfig', sb.kubeconfig, '--ssh-config', sb.sshConfig!, '--json');
  assert.equal(r.code, 1, r.err);
  const doc = JSON.parse(r.out) as { apiVersion: string; kind: string; target: string; checks: Record<string, unknown>[] };
  assert.equal(doc.apiVersion, 'kubeadm-upgrade/v1');
  assertValidJsonOutput(r.out, 'Readiness'); // schemas/v1
  assert.equal(doc.kind, 'Readiness');
  assert.equal(doc.target, TARGET);
  for (const c of doc.checks) assert.deepEqual(Object.keys(c).sort(), ['evidence', 'fix', 'id', 'message', 'node', 'severity']);
  assert.ok(doc.checks.some((c) => c.id === 'pdb-blocks-drain' && c.severity === 'blocker'));
  for (const id of ['removed-api-in-use', 'drain-capacity', 'single-replica', 'webhook-drain-resilience', 'addon-compatibility', 'evicted-pods', 'support-window', 'admin-conf']) {
    assert.ok(doc.checks.some((c) => c.id === id), `${id} in the JSON`);
  }
  assert.equal((await cli('preflight', '--to', 'banana', '--kubeconfig', sb.kubeconfig)).code, 2);
  assert.equal((await cli('preflight', '--kubeconfig', sb.kubeconfig)).code, 2);
});

test('a check whose permission is missing says so (a ServiceAccount that may not list PDBs)', { timeout: 300_000 }, async () => {
  sb.kubectl('create', 'serviceaccount', 'limited', '-n', 'default');
  sb.kubectl('create', 'clusterrole', 'limited-readiness', '--verb=get,list', '--resource=nodes,pods,configmaps,daemonsets,services,endpointslices,validatingwebhookconfigurations,mutatingwebhookconfigurations');
  sb.kubectl('create', 'clusterrolebinding', 'limited-readiness', '--clusterrole=limited-readiness', '--serviceaccount=default:limited');
  const token = sb.kubectl('create', 'token', 'limited', '-n', 'default').trim();
  const kc = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'readiness-kc-')), 'kubeconfig');
  fs.copyFileSync(sb.kubeconfig, kc);
  const k = (...args: string[]) => spawnSync(binaries().kubectl, ['--kubeconfig', kc, ...args], { encoding: 'utf8' });
  k('config', 'set-credentials', 'limited', `--token=${token}`);
  k('config', 'set-context', '--current', '--user=limited');
  const access = sandboxAccess(sb, kc);
  try {
    const limited = await runReadiness(access.deps, parseVersion(TARGET)!, { only: ['pdb-blocks-drain', 'deprecated-api-in-use', 'nodes-ready'] });
    const pdb = limited.checks.find((r) => r.id === 'pdb-blocks-drain')!;
    assert.notEqual(pdb.severity, 'ok');
    assert.match(pdb.message, /Could not run: permission missing: the kubeconfig user may not list poddisruptionbudgets\.policy/);
    const metrics = limited.checks.find((r) => r.id === 'deprecated-api-in-use')!;
    assert.match(metrics.message, /Could not run: permission missing.*\/metrics/);
    assert.ok(limited.checks.some((r) => r.id === 'nodes-ready' && !r.notRun), 'what it may read still runs');
  } finally {
    access.dispose();
  }
});

test('snapshot-etcd: a real etcd snapshot, verified by etcdutl on the local copy, sha256 matching, mode 0600', { timeout: 300_000 }, async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'etcd-snap-'));
  const r = await cli('snapshot-etcd', '--node', 'cp-1', '--out', out, '--kubeconfig', sb.kubeconfig, '--ssh-config', sb.sshConfig!, '--json');
  assert.equal(r.code, 0, r.err);
  assertValidJsonOutput(r.out, 'EtcdSnapshot');
  const record = JSON.parse(r.out) as { localPath: string; sha256: string; remotePath: string; status: { revision: number; totalKey: number } };
  assert.equal(path.dirname(record.localPath), out);
  assert.equal(fs.statSync(record.localPath).mode & 0o777, 0o600);
  assert.equal(createHash('sha256').update(fs.readFileSync(record.localPath)).digest('hex'), record.sha256);
  const status = spawnSync(binaries().etcdutl, ['snapshot', 'status', record.localPath, '-w', 'json'], { encoding: 'utf8' });
  assert.equal(status.status, 0, status.stderr);
  const st = JSON.parse(status.stdout) as { revision: number; totalKey: number };
  assert.equal(st.revision, record.status.revision);
  assert.ok(st.totalKey > 10, `keys ${st.totalKey}`);
  assert.ok(fs.existsSync(`${record.localPath}.json`));
  const onNode = sb.ssh('cp-1', `sha256sum ${record.remotePath}`);
  assert.equal(onNode.stdout.split(/\s+/)[0], record.sha256, onNode.stderr);
  // Workers have no etcd: the command refuses them as bad input.
  assert.equal((await cli('snapshot-etcd', '--node', 'worker-1', '--out', out, '--kubeconfig', sb.kubeconfig, '--ssh-config', sb.sshConfig!)).code, 2);
});
