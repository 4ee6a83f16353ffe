// One identity per cluster, the right host per node, safe points per step: the decisions, on scripted stand-ins.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeExecutor, RunResult } from '../../../src/core/exec/executor';
import { claimRun, describeIdentity, endpointKey, identityKey, stepIdentityProblem, type ClusterIdentity } from '../../../src/core/identity/clusterIdentity';
import { hostMismatch, parseHostSelf } from '../../../src/core/upgrade/nodeHost';
import { DEFAULT_OPTIONS, phasesFor, type UpgradeContext } from '../../../src/core/upgrade/phases';
import type { ClusterOps, UpgradeHooks } from '../../../src/core/upgrade/ports';
import type { AuditEntry } from '../../../src/core/audit/entry';
import { runUpgrade } from '../../../src/core/upgrade/runner';
import { newRunState } from '../../../src/core/upgrade/state';
import { parseVersion } from '../../../src/core/version';

const A: ClusterIdentity = { server: 'https://10.0.0.1:6443', caFingerprint: 'aa'.repeat(32), namespaceUid: '11111111-aaaa' };
const B: ClusterIdentity = { server: 'https://10.0.0.1:6443', caFingerprint: 'bb'.repeat(32), namespaceUid: '22222222-bbbb' };

test('a cluster is its kube-system uid: the same cluster through another address is the same, another one never', () => {
  assert.equal(identityKey(A), 'kube-system-uid:11111111-aaaa');
  assert.equal(identityKey({ ...A, server: 'https://lb.example:6443' }), identityKey(A));
  assert.notEqual(identityKey(B), identityKey(A));
  assert.equal(endpointKey('https://10.0.0.1:6443/', 'aa'), endpointKey('https://10.0.0.1:6443', 'aa'));
  assert.notEqual(endpointKey(A.server, A.caFingerprint), endpointKey(B.server, B.caFingerprint));
  assert.match(describeIdentity(A), /^https:\/\/10\.0\.0\.1:6443 \(CA sha256 aaaaaaaaaaaa…, kube-system uid 11111111-aaaa\)$/);
});

test('claimRun: a run of cluster A is refused on B naming both; a new run takes the cluster reached; an old started run is refused', () => {
  const ctx = { started: true, what: 'The cluster run cluster-1', context: 'kubernetes-admin@kubernetes' };
  assert.deepEqual(claimRun(A, { ...A, server: 'https://lb:6443' }, ctx), { identity: A });
  const refused = claimRun(A, B, ctx);
  assert.ok('refused' in refused);
  assert.match(refused.refused, /The cluster run cluster-1 belongs to the cluster .*11111111-aaaa.*, but the context kubernetes-admin@kubernetes reaches .*22222222-bbbb.*: a different cluster/);
  assert.deepEqual(claimRun(undefined, B, { ...ctx, started: false }), { identity: B });
  const old = claimRun(undefined, B, ctx);
  assert.ok('refused' in old);
  assert.match(old.refused, /saved by an older version without its cluster's identity.*Nothing was changed/);
  assert.equal(stepIdentityProblem(A, undefined, 'x', 'c'), undefined, 'an API that does not answer is no proof of another cluster');
  assert.match(stepIdentityProblem(A, B, 'The run r', 'c')!, /^Stopped before the next step: The run r belongs to/);
});

test('the host reached is the Node: machine ids compared, else the hostname with the node name', () => {
  const self = parseHostSelf('Welcome!\nkubeadm-upgrade-machine-id=5d41402abc4b2a76b9719d911017c592\nkubeadm-upgrade-hostname=cp-3\n')!;
  assert.deepEqual(self, { machineId: '5d41402abc4b2a76b9719d911017c592', hostname: 'cp-3' });
  assert.equal(parseHostSelf('ok\n'), undefined);
  assert.equal(hostMismatch('cp-3', { machineID: '5D41402ABC4B2A76B9719D911017C592', hostname: 'cp-3' }, self, 'ssh x'), undefined);
  const wrong = hostMismatch('cp-2', { machineID: '0123', hostname: 'cp-2' }, self, 'ssh admin@10.0.0.13:22');
  assert.match(wrong!, /^The host reached for cp-2 \(ssh admin@10\.0\.0\.13:22\) is not cp-2: its machine id is 5d41402abc4b2a76b9719d911017c592 \(hostname cp-3\), but the Node cp-2 reports machine id 0123\./);
  assert.match(wrong!, /Check the SSH mapping of cp-2/);
  // No machine id on one side: the hostname decides (short names, any case).
  assert.equal(hostMismatch('cp-3', { machineID: '', hostname: '' }, { machineId: 'x', hostname: 'CP-3.example.org' }, 'w'), undefined);
  assert.match(hostMismatch('cp-2', { machineID: '', hostname: 'cp-2' }, { machineId: '', hostname: 'cp-3' }, 'w')!, /the Node cp-2 reports no machine id, and its hostname "cp-3" is not the node name/);
});

const ctx: UpgradeContext = {
  cluster: 'prod',
  node: 'w-1',
  role: 'worker',
  target: parseVersion('v1.32.3')!,
  packageManager: 'apt',
  packageVersion: '1.32.3-1.1',
  stamp: '20261122T0900Z',
  options: { ...DEFAULT_OPTIONS, readyTimeoutSeconds: 0 },
};

/** A node that answers every step, and an API whose Node says where it is and whether it is cordoned. */
function harness(o: { hostSays?: string; unschedulable?: boolean; stopAfter?: number } = {}) {
  const ran: string[] = [];
  const audit: AuditEntry[] = [];
  const drains: string[] = [];
  let unschedulable = o.unschedulable ?? true;
  const executor: NodeExecutor = {
    description: 'ssh admin@10.0.0.21:22',
    async run(command): Promise<RunResult> {
      ran.push(command);
      if (command.includes('kubeadm-upgrade-machine-id')) return { exitCode: 0, stdout: o.hostSays ?? 'kubeadm-upgrade-machine-id=m-w-1\nkubeadm-upgrade-hostname=w-1\n', stderr: '' };
      if (command.includes('apt-cache madison')) return { exitCode: 0, stdout: ' kubeadm | 1.32.3-1.1 | https://pkgs.k8s.io/core:/stable:/v1.32/deb  Packages\n', stderr: '' };
      if (command.startsWith('kubeadm version')) return { exitCode: 0, stdout: 'v1.32.3\n', stderr: '' };
      return { exitCode: 0, stdout: 'ok\n', stderr: '' };
    },
    dispose() {},
  };
  const cluster: ClusterOps = {
    async drain(node) {
      drains.push(node);
      unschedulable = true;
    },
    async uncordon() {
      unschedulable = false;
    },
    async nodeStatus() {
      return { ready: true, kubeletVersion: 'v1.32.3', unschedulable };
    },
    async nodeHostFacts() {
      return { machineID: 'm-w-1', hostname: 'w-1' };
    },
  };
  let checks = 0;
  const hooks: UpgradeHooks = {
    executor,
    cluster,
    confirm: async () => true,
    progress: () => {},
    save: async () => {},
    audit: (e) => audit.push(e),
    stopReason: async () => (o.stopAfter !== undefined && ++checks > o.stopAfter ? 'The cluster lock was lost (renewals failed)' : undefined),
    sleep: async () => {},
  };
  return { hooks, ran, audit, drains, setUnschedulable: (u: boolean) => (unschedulable = u) };
}

test('a wrong host is refused before the first step, audited, nothing else run on it', async () => {
  const h = harness({ hostSays: 'kubeadm-upgrade-machine-id=m-w-2\nkubeadm-upgrade-hostname=w-2\n' });
  const s = await runUpgrade(newRunState('run-1', ctx, phasesFor(ctx), new Date()), h.hooks);
  assert.equal(s.status, 'failed');
  assert.match(s.error!, /The host reached for w-1 \(ssh admin@10\.0\.0\.21:22\) is not w-1: its machine id is m-w-2 \(hostname w-2\), but the Node w-1 reports machine id m-w-1/);
  assert.equal(h.ran.length, 1, h.ran.join('\n'));
  assert.equal(h.audit[0]?.phase, 'confirm-host');
  assert.match(h.audit[0]?.failure ?? '', /is not w-1/);
  assert.ok(s.phases.every((p) => p.status === 'pending'));
});

test('the right host goes on; a stop reason at a safe point stops before the next step, never inside one', async () => {
  const h = harness({ stopAfter: 2 });
  const s = await runUpgrade(newRunState('run-1', ctx, phasesFor(ctx), new Date()), h.hooks);
  assert.equal(s.status, 'failed');
  assert.match(s.error!, /^The cluster lock was lost \(renewals failed\)/);
  assert.deepEqual(s.phases.map((p) => p.status).slice(0, 3), ['done', 'done', 'pending']);
});

test('resumed after its drain, a node uncordoned by hand is drained again before its next step', async () => {
  const h = harness();
  const run = newRunState('run-1', ctx, phasesFor(ctx), new Date());
  for (const p of run.phases) if (['check-packages', 'install-kubeadm', 'verify-kubeadm', 'kubeadm-upgrade', 'drain'].includes(p.id)) p.status = 'done';
  const failedAt = run.phases.find((p) => p.id === 'install-kubelet')!;
  failedAt.status = 'failed';
  failedAt.exitCode = 100;
  run.status = 'failed';
  run.cordoned = true;
  h.setUnschedulable(false);
  const s = await runUpgrade(run, h.hooks);
  assert.equal(s.status, 'done', s.error);
  assert.deepEqual(h.drains, ['w-1']);
  assert.equal(h.ran.filter((c) => c.startsWith('kubeadm upgrade')).length, 0, 'kubeadm upgrade node is not run again');

  // Still cordoned: no second drain.
  const h2 = harness();
  const again = newRunState('run-2', ctx, phasesFor(ctx), new Date());
  for (const p of again.phases) if (['check-packages', 'install-kubeadm', 'verify-kubeadm', 'kubeadm-upgrade', 'drain'].includes(p.id)) p.status = 'done';
  again.cordoned = true;
  assert.equal((await runUpgrade(again, h2.hooks)).status, 'done');
  assert.deepEqual(h2.drains, []);
});
