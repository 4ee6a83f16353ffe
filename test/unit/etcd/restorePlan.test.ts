// The etcd restore procedure by topology: read from kubeadm's etcd manifests, built for one member, for three
// stacked members (every member in it, never one alone) and for external etcd (copy only); run node by node through
// each node's executor (a fake node here: what each step's command does is proven on the real control plane in
// test/realcp/restore.test.ts).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { initialClusterOf, parseEtcdManifest, type EtcdMember } from '../../../src/core/etcd/manifest';
import { externalEndpoints, readEtcdMembers } from '../../../src/core/etcd/restoreInputs';
import { buildRestorePlan, planSteps, RestorePlanError, type RestoreInput } from '../../../src/core/etcd/restorePlan';
import { checkRestoredEtcd, runRestorePlan, RestoreRefused } from '../../../src/core/etcd/restoreRun';
import { renderRestorePlan, restorePlanJson } from '../../../src/core/etcd/restoreText';
import { assertValidOutput } from '../../schemas';
import type { NodeExecutor, RunOptions, RunResult } from '../../../src/core/exec/executor';
import type { AuditEntry } from '../../../src/core/audit/entry';

const JOINED = fs.readFileSync(path.join(__dirname, 'fixtures', 'etcd-manifest-joined-member.yaml'), 'utf8');
const SHA = 'a'.repeat(64);
const STAMP = '20261207T140000Z';

/** kubeadm's manifest of member `n` of an HA cluster: the fixture with that member's name and address. */
function manifestOf(name: string, ip: string, joinedWith: string): string {
  return JOINED.replace(/k8sm-controlplane02=https:\/\/192\.168\.1\.231:2380,k8sm-controlplane01=https:\/\/192\.168\.1\.230:2380/, joinedWith).replace(/k8sm-controlplane02/g, name).replace(/192\.168\.1\.231/g, ip);
}
const HA: EtcdMember[] = [
  parseEtcdManifest('cp-1', manifestOf('cp-1', '10.0.0.11', 'cp-1=https://10.0.0.11:2380')),
  parseEtcdManifest('cp-2', manifestOf('cp-2', '10.0.0.12', 'cp-1=https://10.0.0.11:2380,cp-2=https://10.0.0.12:2380')),
  parseEtcdManifest('cp-3', manifestOf('cp-3', '10.0.0.13', 'cp-1=https://10.0.0.11:2380,cp-2=https://10.0.0.12:2380,cp-3=https://10.0.0.13:2380')),
];
const input = (over: Partial<RestoreInput> = {}): RestoreInput => ({
  cluster: 'prod',
  snapshot: { fileName: 'etcd-snapshot-cp-1-20261207T130000Z.db', sha256: SHA, localPath: '/home/admin/snaps/etcd-snapshot-cp-1-20261207T130000Z.db' },
  controlPlanes: ['cp-1', 'cp-2', 'cp-3'],
  members: HA,
  workers: ['worker-1'],
  external: false,
  stamp: STAMP,
  ...over,
});

describe('etcd manifest', () => {
  it('reads a kubeadm member: name, peer URL, data dir, image; its --initial-cluster is only who existed when it joined', () => {
    const m = parseEtcdManifest('k8sm-controlplane02', JOINED);
    assert.deepEqual(
      { name: m.name, peer: m.peerUrls, dataDir: m.dataDir, token: m.initialClusterToken },
      { name: 'k8sm-controlplane02', peer: 'https://192.168.1.231:2380', dataDir: '/var/lib/etcd', token: null },
    );
    assert.equal(m.initialCluster.split(',').length, 2);
    assert.throws(() => parseEtcdManifest('x', JOINED.replace(/.*--name=.*\n/, '')), /no --name/);
    assert.throws(() => parseEtcdManifest('x', JOINED.replace('--data-dir=/var/lib/etcd', '--data-dir=../etc')), /absolute path/);
  });

  it('the restored cluster\'s --initial-cluster has every member, whatever each manifest says', () => {
    assert.equal(HA[0]!.initialCluster, 'cp-1=https://10.0.0.11:2380');
    assert.equal(initialClusterOf(HA), 'cp-1=https://10.0.0.11:2380,cp-2=https://10.0.0.12:2380,cp-3=https://10.0.0.13:2380');
  });

  it('external endpoints from ClusterConfiguration', () => {
    assert.deepEqual(externalEndpoints('etcd:\n  external:\n    caFile: /x\n    endpoints:\n    - https://10.0.0.5:2379\n    - https://10.0.0.6:2379\n    keyFile: /k\n'), ['https://10.0.0.5:2379', 'https://10.0.0.6:2379']);
    assert.deepEqual(externalEndpoints('etcd:\n  local:\n    dataDir: /var/lib/etcd\n'), []);
  });
});

describe('restore plan: three stacked members', () => {
  const plan = buildRestorePlan(input());
  const steps = planSteps(plan);

  it('is one procedure over every control plane, phase by phase: nothing restored before every etcd and apiserver is stopped', () => {
    assert.equal(plan.topology, 'stacked-ha');
    assert.deepEqual(plan.phases.map((p) => p.id), ['prepare', 'stop-apiservers', 'stop-etcd', 'restore', 'start-etcd', 'start-apiservers', 'restart', 'check']);
    const order = steps.map((s) => s.id);
    const last = (prefix: string) => Math.max(...order.map((id, i) => (id.startsWith(prefix) ? i : -1)));
    const first = (prefix: string) => order.findIndex((id) => id.startsWith(prefix));
    assert.ok(last('stop-apiserver-') < first('stop-etcd-'));
    assert.ok(last('stop-etcd-') < first('restore-'));
    assert.ok(last('restore-') < first('start-etcd-'));
    assert.ok(order.indexOf('check-etcd') < first('start-apiserver-'));
    for (const phase of ['stage', 'etcdutl', 'verify', 'stop-apiserver', 'stop-etcd', 'restore', 'start-etcd', 'start-apiserver', 'restart']) {
      assert.deepEqual(steps.filter((s) => s.id.startsWith(`${phase}-cp`)).map((s) => s.node), ['cp-1', 'cp-2', 'cp-3'], phase);
    }
    assert.deepEqual(steps.filter((s) => s.optional).map((s) => s.id), ['restart-kubelet-worker-1']);
  });

  it('restores each member from the same file with its own name/peer URL/data dir, every member in --initial-cluster, one token, the revision bump', () => {
    const restores = steps.filter((s) => s.phase === 'restore');
    assert.equal(restores.length, 3);
    for (const [i, s] of restores.entries()) {
      const m = HA[i]!;
      assert.match(s.command, new RegExp(`snapshot restore /var/lib/kubeadm-upgrade/etcd-snapshots/etcd-snapshot-cp-1-20261207T130000Z\\.db --name ${m.name} `));
      assert.ok(s.command.includes(`--initial-cluster cp-1=https://10.0.0.11:2380,cp-2=https://10.0.0.12:2380,cp-3=https://10.0.0.13:2380 `), s.command);
      assert.ok(s.command.includes(`--initial-cluster-token kubeadm-upgrade-restore-20261207t140000z `));
      assert.ok(s.command.includes(`--initial-advertise-peer-urls ${m.peerUrls} --data-dir /var/lib/etcd/.restore-${STAMP} --bump-revision 1000000000 --mark-compacted`));
      assert.ok(s.command.includes(`mv /var/lib/etcd/member /var/lib/etcd/.before-restore-${STAMP}/member; fi; mv /var/lib/etcd/.restore-${STAMP}/member /var/lib/etcd/member`), s.command);
      assert.match(s.command, /etcd is still running on this node: not restoring/);
    }
  });

  it('stops by parking manifests and waiting (bounded) until crictl shows none; starts the same way', () => {
    const stop = steps.find((s) => s.id === 'stop-etcd-cp-2')!.command;
    assert.ok(stop.includes(`mv /etc/kubernetes/manifests/etcd.yaml /var/lib/kubeadm-upgrade/restore/${STAMP}/manifests/etcd.yaml`));
    assert.match(stop, /crictl ps -q --state running --name '\^\(etcd\)\$'\) \|\| \{ echo 'crictl ps failed/);
    assert.match(stop, /if \[ \$i -ge 60 \]; then echo 'etcd still running/);
    const start = steps.find((s) => s.id === 'start-apiserver-cp-3')!.command;
    assert.ok(start.includes(`mv /var/lib/kubeadm-upgrade/restore/${STAMP}/manifests/kube-apiserver.yaml /etc/kubernetes/manifests/kube-apiserver.yaml`));
    assert.match(start, /if \[ \$i -ge 90 \]; then echo 'kube-apiserver not running after 180 s'/);
  });

  it('dry-run text and JSON name every member and every node\'s steps', () => {
    const text = renderRestorePlan(plan);
    assert.match(text, /stacked etcd, 3 members on cp-1, cp-2, cp-3/);
    for (const n of ['cp-1', 'cp-2', 'cp-3']) assert.ok(text.includes(`[${n}] Restore member ${n}`), n);
    const json = JSON.parse(JSON.stringify(restorePlanJson(plan))) as { kind: string; byNode: Record<string, string[]>; members: { name: string }[] };
    assert.equal(json.kind, 'RestorePlan');
    assertValidOutput(json, 'RestorePlan');
    assert.deepEqual(json.members.map((m) => m.name), ['cp-1', 'cp-2', 'cp-3']);
    assert.deepEqual(json.byNode['cp-2'], ['stage-cp-2', 'etcdutl-cp-2', 'verify-cp-2', 'stop-apiserver-cp-2', 'stop-etcd-cp-2', 'restore-cp-2', 'start-etcd-cp-2', 'start-apiserver-cp-2', 'restart-cp-2']);
    assert.deepEqual(json.byNode['cp-1']!.filter((id) => id.startsWith('check')), ['check-etcd', 'check-api']);
  });

  it('refuses a plan that would leave a control plane out (never a single-member restore of a multi-member cluster)', () => {
    assert.throws(() => buildRestorePlan(input({ members: HA.slice(0, 2) })), (e: Error) => e instanceof RestorePlanError && /cp-3/.test(e.message));
  });
});

describe('restore plan: one stacked member, and external etcd', () => {
  it('one member: the same procedure, --initial-cluster of itself', () => {
    const plan = buildRestorePlan(input({ controlPlanes: ['cp-1'], members: [HA[0]!], workers: [] }));
    assert.equal(plan.topology, 'stacked-single');
    assert.equal(plan.initialCluster, 'cp-1=https://10.0.0.11:2380');
    assert.equal(planSteps(plan).filter((s) => s.phase === 'restore').length, 1);
  });

  it('external etcd: copy-only steps, the restore with <…> to fill, nothing runnable', async () => {
    const plan = buildRestorePlan(input({ external: true, members: [], externalEndpoints: ['https://10.0.0.5:2379'] }));
    assert.equal(plan.topology, 'external');
    assert.equal(plan.runnable, false);
    assert.ok(planSteps(plan).every((s) => s.kind === 'copy-only'));
    const restore = planSteps(plan).find((s) => s.id === 'restore-external')!;
    assert.match(restore.command, /--name <this member's --name>/);
    assert.match(planSteps(plan).find((s) => s.id === 'stop-etcd-external')!.why, /10\.0\.0\.5:2379/);
    await assert.rejects(runRestorePlan(plan, fakeDeps(new Map()).deps), RestoreRefused);
  });
});

/** A node that answers each step by its id (the detached step name) or command; records the order. */
function fakeNode(name: string, log: string[], answer: (cmd: string, step: string | undefined) => RunResult | undefined = () => undefined): NodeExecutor {
  return {
    description: `fake ${name}`,
    dispose() {},
    async run(command: string, o?: RunOptions): Promise<RunResult> {
      const step = o?.detached?.step;
      log.push(`${name} ${step ?? command.slice(0, 30)}`);
      assert.equal(o?.sudo, true, 'every restore command runs as root');
      const a = answer(command, step);
      if (a) return a;
      if (step === 'check-etcd') return { exitCode: 0, stdout: STATUS, stderr: '' };
      return { exitCode: 0, stdout: '', stderr: '' };
    },
  };
}
// etcdctl endpoint status --cluster -w json of three members of one cluster (ids past 2^53, as etcd prints them).
const STATUS = JSON.stringify([11, 12, 13].map((i) => ({ Endpoint: `https://10.0.0.${i}:2379`, Status: { header: { cluster_id: 0, member_id: i, revision: 1000000200 }, leader: 11, version: '3.6.6' } })))
  .replace(/"cluster_id":0/g, '"cluster_id":14841639068965178418');

function fakeDeps(executors: Map<string, NodeExecutor>) {
  const audit: AuditEntry[] = [];
  const messages: string[] = [];
  const uploads: string[] = [];
  return {
    audit,
    messages,
    uploads,
    deps: {
      executorFor: async (n: string) => executors.get(n)!,
      upload: async (node: string, _ex: NodeExecutor, local: string, remote: string, onBytes: (d: number, t: number) => void) => {
        uploads.push(`${node} ${local} -> ${remote}`);
        onBytes(50, 100);
        onBytes(100, 100);
      },
      audit: (e: AuditEntry) => audit.push(e),
      progress: (e: { type: string; text?: string }) => (e.type === 'message' ? messages.push(e.text!) : undefined),
      now: () => new Date('2026-12-07T14:00:00Z'),
    },
  };
}

describe('running the restore', () => {
  it('runs every step node by node through that node\'s executor, each audited at its start and end; copies the snapshot where it is missing', async () => {
    const log: string[] = [];
    let staged = false;
    const ex = new Map(['cp-1', 'cp-2', 'cp-3', 'worker-1'].map((n) => [n, fakeNode(n, log, (cmd) => {
      if (n === 'cp-3' && cmd.includes('not on this node') && !staged) {
        staged = true;
        return { exitCode: 3, stdout: 'not on this node (or a different file)', stderr: '' };
      }
      return undefined;
    })]));
    const f = fakeDeps(ex);
    const plan = buildRestorePlan(input());
    const out = await runRestorePlan(plan, f.deps);
    assert.equal(out.ok, true, JSON.stringify(out));
    assert.deepEqual(out.etcd, { clusterId: '14841639068965178418', members: 3 });
    assert.deepEqual(f.uploads, ['cp-3 /home/admin/snaps/etcd-snapshot-cp-1-20261207T130000Z.db -> /var/lib/kubeadm-upgrade/etcd-snapshots/etcd-snapshot-cp-1-20261207T130000Z.db']);
    assert.ok(f.messages.includes('cp-3: 100 of 100 bytes'), f.messages.join('\n'));
    // The detached steps ran in the plan's order, each on its own node.
    const detached = log.filter((l) => /^\S+ (etcdutl|verify|stop|restore|start|check|restart)/.test(l));
    assert.deepEqual(detached, planSteps(plan).filter((s) => s.kind !== 'stage-snapshot').map((s) => `${s.node} ${s.id}`));
    // Audit: a start line and an end line per command (the stage check runs twice on cp-3: before and after the copy).
    const commands = planSteps(plan).length + 1;
    assert.equal(f.audit.length, commands * 2);
    assert.ok(f.audit.every((a) => a.run === `restore-${STAMP}` && a.cluster === 'prod'));
    assert.equal(f.audit.filter((a) => a.failure === 'started').length, commands);
  });

  it('stops at the first failing step and says where things were left; an optional worker step only warns', async () => {
    const log: string[] = [];
    const ex = new Map(['cp-1', 'cp-2', 'cp-3', 'worker-1'].map((n) => [n, fakeNode(n, log, (_c, step) => (step === 'stop-etcd-cp-2' ? { exitCode: 1, stdout: '', stderr: 'etcd still running after 120 s' } : undefined))]));
    const out = await runRestorePlan(buildRestorePlan(input()), fakeDeps(ex).deps);
    assert.equal(out.ok, false);
    assert.deepEqual(out.failed, { step: 'stop-etcd-cp-2', node: 'cp-2', message: 'exit code 1: etcd still running after 120 s' });
    assert.ok(!log.some((l) => / restore-cp/.test(l)), 'nothing restored');
    assert.match(out.recovery.join('\n'), /parked in \/var\/lib\/kubeadm-upgrade\/restore\/20261207T140000Z\/manifests/);

    const log2: string[] = [];
    const ex2 = new Map(['cp-1', 'cp-2', 'cp-3', 'worker-1'].map((n) => [n, fakeNode(n, log2, (_c, step) => (step === 'restart-kubelet-worker-1' ? { exitCode: null, stdout: '', stderr: '', failure: 'connection refused' } : undefined))]));
    const out2 = await runRestorePlan(buildRestorePlan(input()), fakeDeps(ex2).deps);
    assert.equal(out2.ok, true);
    assert.deepEqual(out2.warnings, ['worker-1: Restart the kubelet: connection refused']);
  });

  it('the etcd check wants one cluster id and every member', () => {
    assert.deepEqual(checkRestoredEtcd(STATUS, 3), { clusterId: '14841639068965178418', members: 3 });
    assert.match(String(checkRestoredEtcd(STATUS, 4)), /3 member\(s\) answer, 4 were restored/);
    const split = STATUS.replace('14841639068965178418', '14841639068965178419');
    assert.match(String(checkRestoredEtcd(split, 3)), /2 cluster ids/);
  });

  it('reads each control plane\'s manifest through its own executor, naming every node it could not read', async () => {
    const ex = (n: string, text: string | null): NodeExecutor => ({ description: n, dispose() {}, run: async () => (text === null ? { exitCode: 1, stdout: '', stderr: 'No such file' } : { exitCode: 0, stdout: text, stderr: '' }) });
    const members = await readEtcdMembers(['cp-1', 'cp-2'], async (n) => ex(n, manifestOf(n, n === 'cp-1' ? '10.0.0.11' : '10.0.0.12', 'x=https://1.1.1.1:2380')));
    assert.deepEqual(members.map((m) => `${m.node} ${m.name} ${m.peerUrls}`), ['cp-1 cp-1 https://10.0.0.11:2380', 'cp-2 cp-2 https://10.0.0.12:2380']);
    await assert.rejects(readEtcdMembers(['cp-1', 'cp-2'], async (n) => ex(n, null)), /cp-1: no etcd manifest.*cp-2: no etcd manifest/);
  });
});
