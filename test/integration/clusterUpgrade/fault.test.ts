// A worker fails mid-run (sandbox fault on its kubelet restart, after its drain): the cluster run stops, that
// worker stays cordoned, the other worker is untouched; after the fault is cleared `resume` finishes and `verify`
// passes. Also the cluster lock's own rules against the real apiserver: the CLI refuses while the extension's side
// holds it, an expired lock is taken over only when confirmed, two runs racing never both win, and a user without
// RBAC on Leases gets a clear message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { loadContexts, type ContextEntry } from '../../../src/adapters/k8s/kubeconfig';
import { LeaseLock, localHolder } from '../../../src/adapters/k8s/leaseLock';
import { resumeCommand } from '../../../src/cli/resumeCommand';
import { upgradeClusterCommand } from '../../../src/cli/upgradeClusterCommand';
import { LockForbiddenError, LockHeldError } from '../../../src/core/lock/lease';
import { useSandbox } from '../sandbox';
import { cli, sandboxPrompts, TARGET, withCapture } from './helpers';
import { assertValidJsonOutput } from '../../schemas';

let ctx: ContextEntry;
let stateDir: string;
const sb = useSandbox('apt', {
  setUp: () => {
    ctx = loadContexts([sb.kubeconfig]).contexts[0]!;
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cluster-fault-'));
  },
  tearDown: () => {
    if (stateDir) fs.rmSync(stateDir, { recursive: true, force: true });
  },
});

const conn = () => ['--kubeconfig', sb.kubeconfig, '--ssh-config', sb.sshConfig!, '--state-dir', stateDir];
const node = (name: string) => JSON.parse(sb.kubectl('get', 'node', name, '-o', 'json')) as { spec: { unschedulable?: boolean }; status: { nodeInfo: { kubeletVersion: string } } };
const LEASE = '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kubeadm-upgrade';

test('plan runs `kubeadm upgrade plan` on the first control plane and prints it parsed', { timeout: 300_000 }, async () => {
  const r = await cli('plan', '--to', TARGET, '--json', ...conn());
  assert.equal(r.code, 0, r.err);
  const plan = JSON.parse(r.out) as { node: string; format: string; availableUpgrades: { targetVersion: string }[]; unparsed: string[] };
  assert.equal(plan.node, 'cp-1');
  assertValidJsonOutput(r.out, 'UpgradePlan'); // schemas/v1
  assert.ok(plan.availableUpgrades.some((u) => u.targetVersion === TARGET), r.out.slice(0, 2000));
  const bad = await cli('plan', '--node', 'worker-1', ...conn());
  assert.equal(bad.code, 2);
  assert.match(bad.err, /worker-1 is not a control-plane node/);
});

test('the CLI refuses while the extension\'s side holds the lock, naming it; released, the lock is gone', { timeout: 300_000 }, async () => {
  const held = await new LeaseLock(ctx.config).acquire(localHolder('vscode', 'ext-run-1', 'cp-1'), async () => false);
  try {
    const node = await cli('upgrade-node', 'cp-1', '--to', TARGET, '--yes', ...conn());
    assert.equal(node.code, 1);
    assert.match(node.err, /refused: Another upgrade is running on this cluster: .*\(vscode, run ext-run-1, process \d+-[0-9a-f]{8}, upgrading cp-1\) since \d{4}-\d\d-\d\dT/);
    const cluster = await cli('upgrade-cluster', '--to', TARGET, '--skip-snapshot', '--yes', ...conn());
    assert.equal(cluster.code, 1);
    assert.match(cluster.err, /held by .*\(vscode, run ext-run-1/);
    assert.equal(node.err.includes('Stopped before'), false);
  } finally {
    await held.release();
  }
  assert.equal((await sb.api('GET', LEASE)).status, 404);
});

test('two runs racing for the lock: exactly one wins; an expired lock is taken over only when confirmed', { timeout: 120_000 }, async () => {
  const a = new LeaseLock(ctx.config);
  const b = new LeaseLock(ctx.config);
  const results = await Promise.allSettled([a.acquire(localHolder('cli', 'race-a'), async () => false), b.acquire(localHolder('vscode', 'race-b'), async () => false)]);
  const won = results.filter((r) => r.status === 'fulfilled');
  assert.equal(won.length, 1, JSON.stringify(results.map((r) => r.status)));
  assert.ok(results.some((r) => r.status === 'rejected' && r.reason instanceof LockHeldError), results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'won')).join(' | '));
  await (won[0] as PromiseFulfilledResult<{ release(): Promise<void> }>).value.release();

  // A lock whose holder stopped renewing long ago. Taken over only after this process has watched it unchanged for its
  // whole duration (the observer's clock): 5 s here, so the test does not wait 90 s.
  const old = new Date(Date.now() - 600_000).toISOString().replace(/Z$/, '000Z'); // MicroTime
  const created = await sb.api('POST', '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases', {
    metadata: { name: 'kubeadm-upgrade', namespace: 'kube-system', annotations: { 'kubeadm-upgrade.io/user': 'carol', 'kubeadm-upgrade.io/host': 'dead-box', 'kubeadm-upgrade.io/tool': 'cli', 'kubeadm-upgrade.io/runId': 'crashed', 'kubeadm-upgrade.io/node': 'worker-2' } },
    spec: { holderIdentity: 'carol@dead-box/cli/crashed', leaseDurationSeconds: 5, acquireTime: old, renewTime: old },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  let asked = '';
  await assert.rejects(a.acquire(localHolder('cli', 'next'), async (m) => ((asked = m), false)), (e: unknown) => e instanceof LockHeldError && e.expired);
  assert.match(asked, /carol@dead-box \(cli, run crashed, upgrading worker-2\).*has expired/);
  const refused = await cli('upgrade-cluster', '--to', TARGET, '--skip-snapshot', '--yes', ...conn());
  assert.match(refused.err, /has expired.*--take-over-expired-lock/);
  const taken = await a.acquire(localHolder('cli', 'next'), async () => true);
  const lease = (await sb.api('GET', LEASE)).body;
  assert.equal(lease.spec.holderIdentity.endsWith('/cli/next'), true);
  assert.equal(lease.spec.leaseTransitions, 1);
  await taken.release();
});

test('a user without RBAC on Leases is told which permissions are missing', { timeout: 120_000 }, async () => {
  await sb.api('POST', '/api/v1/namespaces/default/serviceaccounts', { metadata: { name: 'no-leases' } });
  const tok = await sb.api('POST', '/api/v1/namespaces/default/serviceaccounts/no-leases/token', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 600 } });
  // The sandbox's apiserver issues tokens and enforces RBAC: if either stops, the test fails instead of proving nothing.
  assert.equal(tok.status, 201, `the sandbox apiserver issued no service-account token (${tok.status})`);
  const sar = await sb.api('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SubjectAccessReview',
    spec: { user: 'system:serviceaccount:default:no-leases', resourceAttributes: { group: 'coordination.k8s.io', resource: 'leases', namespace: 'kube-system', verb: 'get' } },
  });
  assert.equal(sar.body?.status?.allowed, false, `the sandbox apiserver does not enforce RBAC (SubjectAccessReview: ${JSON.stringify(sar.body?.status)})`);
  const admin = ctx.config.getCurrentCluster()!;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [admin],
    users: [{ name: 'no-leases', token: tok.body.status.token }],
    contexts: [{ name: 'no-leases', cluster: admin.name, user: 'no-leases' }],
    currentContext: 'no-leases',
  });
  await assert.rejects(new LeaseLock(kc).acquire(localHolder('cli', 'x'), async () => false), (e: unknown) => e instanceof LockForbiddenError && /RBAC does not allow this user to read Leases \(coordination\.k8s\.io\) in kube-system.*get, create, update and delete/.test(e.message));
});

test('a worker fails mid-run: the run stops, it stays cordoned, the other worker is untouched; resume finishes; verify passes', { timeout: 1_800_000 }, async () => {
  sb.setFault('worker-1', 'kubelet_restart', 'fail');
  const first = await withCapture((out, err) => upgradeClusterCommand(['--to', TARGET, '--skip-snapshot', '--yes', ...conn()], out, err, { prompts: sandboxPrompts }));
  assert.equal(first.code, 1, first.err);
  assert.match(first.err, /the cluster run cluster-\S+ failed: worker-1 failed: Step \d+\/\d+ "Restart kubelet" failed/);
  assert.match(first.err, /Resume .*continues from the failed step/);
  assert.equal(node('worker-1').spec.unschedulable, true, 'worker-1 stays cordoned');
  assert.notEqual(node('worker-2').spec.unschedulable, true, 'worker-2 untouched');
  assert.notEqual(node('worker-2').status.nodeInfo.kubeletVersion, TARGET, 'worker-2 not upgraded');
  assert.equal((await sb.api('GET', LEASE)).status, 404, 'the lock is released after a failure');
  assert.equal((await cli('verify', '--to', TARGET, '--kubeconfig', sb.kubeconfig, '--state-dir', stateDir)).code, 1);

  sb.setFault('worker-1', 'kubelet_restart', '');
  const resumed = await withCapture((out, err) => resumeCommand([...conn()], out, err, { prompts: sandboxPrompts }));
  assert.equal(resumed.code, 0, `${resumed.err}\n${resumed.out}`);
  // worker-1 continued at its failed step: its drain was not repeated.
  assert.match(resumed.err, /worker-1 \d+\/\d+ Restart kubelet/);
  assert.doesNotMatch(resumed.err, /worker-1 \d+\/\d+ Drain worker-1/);
  for (const n of ['cp-1', 'worker-1', 'worker-2']) {
    assert.equal(node(n).status.nodeInfo.kubeletVersion, TARGET, n);
    assert.notEqual(node(n).spec.unschedulable, true, n);
  }
  const v = await cli('verify', '--to', TARGET, '--kubeconfig', sb.kubeconfig, '--state-dir', stateDir);
  assert.equal(v.code, 0, v.out);
});
