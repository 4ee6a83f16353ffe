import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterEvent } from '../../../src/core/clusterUpgrade/events';
import { runCluster } from '../../../src/core/clusterUpgrade/orchestrator';
import { eventPrinter } from '../../../src/cli/clusterSession';
import { assertValidJsonOutput } from '../../schemas';
import type { ClusterPorts, ReadinessOnResume, ReadinessResult } from '../../../src/core/clusterUpgrade/ports';
import { readinessGateFrom } from '../../../src/core/clusterUpgrade/readinessPorts';
import { RunControl } from '../../../src/core/clusterUpgrade/runControl';
import { clusterOrder } from '../../../src/core/upgrade/clusterOrder';
import { buildClusterPlan, newClusterRun } from '../../../src/core/clusterUpgrade/plan';
import type { ClusterRunState } from '../../../src/core/clusterUpgrade/state';
import type { DrainApi } from '../../../src/core/drain';
import type { DrainPod } from '../../../src/core/drain/types';
import type { NodeExecutor } from '../../../src/core/exec/executor';
import type { AuditEntry } from '../../../src/core/audit/entry';
import { DEFAULT_OPTIONS } from '../../../src/core/upgrade/phases';
import type { UpgradeRunState } from '../../../src/core/upgrade/state';
import { parseVersion } from '../../../src/core/version';
import { cluster, cp, worker } from '../helpers/snapshot';

const T = parseVersion('v1.36.3')!;
const printEvent = eventPrinter(true, (line) => void assertValidJsonOutput(line, 'UpgradeClusterEvent'), () => undefined);

/** A scripted cluster: every node answers like an apt node whose repo already offers the target. */
function fakeCluster(opts: { cps: string[]; workers: string[]; failInstallOn?: string; webOn?: string[]; etcdDown?: Set<string> }) {
  // etcdctl's answers (-w json) for a stacked etcd with one member per control plane; members in etcdDown refuse.
  const url = (n: string) => `https://10.0.0.${opts.cps.indexOf(n) + 1}:2379`;
  const etcdctl = (command: string) => {
    const down = opts.etcdDown ?? new Set<string>();
    if (command.includes('member') && command.includes('list')) return { exitCode: 0, stdout: JSON.stringify({ members: opts.cps.map((n, i) => ({ ID: i + 1, name: n, clientURLs: [url(n)] })) }), stderr: '' };
    if (command.includes('health')) return { exitCode: down.size ? 1 : 0, stdout: JSON.stringify(opts.cps.map((n) => (down.has(n) ? { endpoint: url(n), health: false, error: 'context deadline exceeded' } : { endpoint: url(n), health: true }))), stderr: '' };
    return { exitCode: down.size ? 1 : 0, stdout: JSON.stringify(opts.cps.filter((n) => !down.has(n)).map((n) => ({ Endpoint: url(n), Status: { header: { cluster_id: 7 }, version: '3.6.8', dbSize: 1, leader: 1 } }))), stderr: '' };
  };
  const kubelet = new Map<string, string>([...opts.cps, ...opts.workers].map((n) => [n, '1.35.4']));
  const apiserver = new Map<string, string>(opts.cps.map((n) => [n, '1.35.4']));
  const cordoned = new Set<string>();
  let clusterVersion = '1.35.4';
  let failOn = opts.failInstallOn;
  const running = new Set<string>();
  let maxCpsAtOnce = 0;
  let maxWorkersAtOnce = 0;
  const events: ClusterEvent[] = [];
  const nodeRuns = new Map<string, UpgradeRunState>();
  const saved: ClusterRunState[] = [];

  const executor = (node: string): NodeExecutor => ({
    description: `fake ${node}`,
    async run(command) {
      running.add(node);
      maxCpsAtOnce = Math.max(maxCpsAtOnce, [...running].filter((n) => opts.cps.includes(n)).length);
      maxWorkersAtOnce = Math.max(maxWorkersAtOnce, [...running].filter((n) => opts.workers.includes(n)).length);
      await new Promise((r) => setImmediate(r));
      running.delete(node);
      if (command.includes('etcdctl')) return etcdctl(command);
      if (command.includes('command -v apt-get')) return { exitCode: 0, stdout: 'apt\n', stderr: '' };
      if (command.includes('pkgs.k8s.io')) return { exitCode: 0, stdout: '/etc/apt/sources.list.d/kubernetes.list:1:deb https://pkgs.k8s.io/core:/stable:/v1.36/deb/ /\n', stderr: '' };
      if (command.includes('apt-cache madison')) return { exitCode: 0, stdout: ' kubeadm | 1.36.3-1.1 | https://pkgs.k8s.io/core:/stable:/v1.36/deb  Packages\n', stderr: '' };
      if (command.startsWith('kubeadm version')) return { exitCode: 0, stdout: 'v1.36.3\n', stderr: '' };
      if (failOn === node && command.includes('install') && command.includes('kubelet')) return { exitCode: 100, stdout: '', stderr: 'E: broken\n' };
      if (command.startsWith('kubeadm upgrade apply')) {
        clusterVersion = '1.36.3';
        apiserver.set(node, '1.36.3');
      }
      if (command.startsWith('kubeadm upgrade node') && apiserver.has(node)) apiserver.set(node, '1.36.3');
      if (command.includes('restart kubelet')) kubelet.set(node, '1.36.3');
      return { exitCode: 0, stdout: 'ok\n', stderr: '' };
    },
    dispose() {},
  });

  const snapshot = () => {
    const v = (n: string) => apiserver.get(n)!;
    return cluster(
      [
        ...opts.cps.map((n) => cp(n, { apiserver: v(n), controllerManager: v(n), scheduler: v(n), etcd: '3.6.8', kubelet: kubelet.get(n)!, cordoned: cordoned.has(n) })),
        ...opts.workers.map((n) => worker(n, { kubelet: kubelet.get(n)!, cordoned: cordoned.has(n) })),
      ],
      clusterVersion,
      clusterVersion,
    );
  };
  const pod = (n: string): DrainPod => ({ metadata: { name: `web-${n}`, namespace: 'default', labels: { app: 'web' } }, status: { phase: 'Running' } }) as DrainPod;
  const drainApi = {
    listPdbs: async () => [{ metadata: { name: 'web', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'web' } } }, status: { disruptionsAllowed: 1 } }],
    listPods: async (n: string) => ((opts.webOn ?? []).includes(n) ? [pod(n)] : []),
  } as unknown as DrainApi;

  const ports: ClusterPorts = {
    snapshot: async () => snapshot(),
    executorFor: async (n) => executor(n),
    cluster: {
      drain: async (n) => void cordoned.add(n),
      uncordon: async (n) => void cordoned.delete(n),
      nodeStatus: async (n) => ({ ready: true, kubeletVersion: `v${kubelet.get(n)}`, unschedulable: cordoned.has(n) }),
    },
    drainApi,
    probe: {
      staticPods: async (n) => ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd'].map((c) => ({ component: c, image: `registry.k8s.io/${c}:${c === 'etcd' ? '3.6.8-0' : `v${apiserver.get(n)}`}`, ready: true })),
      readyz: async () => ({ status: 200, body: '[+]etcd ok\nreadyz check passed' }),
    },
    addons: async () => ({ kubeProxy: { image: `registry.k8s.io/kube-proxy:v${clusterVersion}`, desired: 1, updated: 1, available: 1 }, coredns: undefined }),
    snapshotter: { snapshot: async (node) => ({ node, path: '/var/lib/etcd-snapshots/x.db', sha256: 'ab'.repeat(32) }) },
    confirmApply: async () => true,
    saveCluster: async (s) => void saved.push(JSON.parse(JSON.stringify(s)) as ClusterRunState),
    saveNode: async (s) => void nodeRuns.set(s.id, JSON.parse(JSON.stringify(s)) as UpgradeRunState),
    loadNode: async (id) => nodeRuns.get(id),
    audit: () => {},
    // Each event as `upgrade-cluster --json` prints it, validated against its JSON Schema (schemas/v1).
    event: (e) => void (events.push(e), printEvent(e)),
    sleep: async () => {},
  };
  const newRun = (maxUnavailable: string, readiness: ReadinessResult = { blockers: [], notes: [] }) => {
    const s = snapshot();
    const plan = buildClusterPlan({ cluster: 'c', snapshot: s, target: T, order: clusterOrder(s, T), contexts: {}, budgets: [], maxUnavailable, readiness, overrides: [], options: { ...DEFAULT_OPTIONS, readyTimeoutSeconds: 5 } });
    return newClusterRun(plan, { id: 'run-1', options: { ...DEFAULT_OPTIONS, readyTimeoutSeconds: 5 }, skipSnapshot: false, overrides: [], now: new Date() });
  };
  return { ports, events, newRun, cordoned, kubelet, stats: () => ({ maxCpsAtOnce, maxWorkersAtOnce }), clearFault: () => (failOn = undefined) };
}

test('the whole cluster: snapshot, control planes one at a time behind the gate, workers in parallel batches, verified', async () => {
  const f = fakeCluster({ cps: ['cp-1', 'cp-2', 'cp-3'], workers: ['w-1', 'w-2', 'w-3', 'w-4'] });
  const result = await runCluster(f.newRun('2'), f.ports);
  assert.equal(result.status, 'done', result.error);
  assert.equal(result.verification?.passed, true);
  assert.equal(result.etcdSnapshot?.path, '/var/lib/etcd-snapshots/x.db');
  assert.equal(f.stats().maxCpsAtOnce, 1);
  assert.equal(f.stats().maxWorkersAtOnce, 2);
  const batches = f.events.filter((e) => e.event === 'batch').map((e) => (e as { nodes: readonly string[] }).nodes);
  assert.deepEqual(batches, [['w-1', 'w-2'], ['w-3', 'w-4']]);
  const gates = f.events.filter((e) => e.event === 'gate').map((e) => (e as { node: string }).node);
  assert.deepEqual(gates, ['cp-1', 'cp-2', 'cp-3']);
  assert.ok(f.events.findIndex((e) => e.event === 'node-start' && e.node === 'cp-2') > f.events.findIndex((e) => e.event === 'gate' && e.node === 'cp-1'));
});

test('live budgets keep two nodes with pods of the same 1-disruption PDB out of one batch', async () => {
  const f = fakeCluster({ cps: ['cp-1'], workers: ['w-1', 'w-2', 'w-3'], webOn: ['w-1', 'w-2'] });
  const result = await runCluster(f.newRun('2'), f.ports);
  assert.equal(result.status, 'done', result.error);
  const batches = f.events.filter((e) => e.event === 'batch').map((e) => (e as { nodes: readonly string[] }).nodes);
  assert.deepEqual(batches, [['w-1', 'w-3'], ['w-2']]);
});

test('a worker failing stops the run: it stays cordoned, nothing else starts; resume finishes from its failed step', async () => {
  const f = fakeCluster({ cps: ['cp-1'], workers: ['w-1', 'w-2', 'w-3'], failInstallOn: 'w-1' });
  const failed = await runCluster(f.newRun('1'), f.ports);
  assert.equal(failed.status, 'failed');
  assert.match(failed.error!, /w-1 failed: .*Install kubelet/);
  assert.ok(f.cordoned.has('w-1'), 'w-1 left cordoned');
  assert.equal(f.kubelet.get('w-2'), '1.35.4', 'w-2 untouched');
  assert.deepEqual(failed.nodes.map((n) => n.status), ['done', 'failed', 'queued', 'queued']);
  assert.ok(failed.recovery!.some((r) => /Resume/.test(r)));
  f.clearFault();
  const before = f.events.length;
  const resumed = await runCluster(failed, f.ports);
  assert.equal(resumed.status, 'done', resumed.error);
  // The resumed w-1 starts at its failed step, not from the top.
  const firstStep = f.events.slice(before).find((e) => e.event === 'step' && e.node === 'w-1') as { title: string } | undefined;
  assert.match(firstStep!.title, /Install kubelet/);
  assert.equal(f.cordoned.size, 0);
});

test('cancel stops before the next node; pause waits with nothing running, continue goes on', async () => {
  const f = fakeCluster({ cps: ['cp-1'], workers: ['w-1', 'w-2'] });
  const control = new RunControl();
  f.ports.event = (e) => {
    if (e.event === 'node-done' && e.node === 'cp-1') control.cancel();
  };
  const r = await runCluster(f.newRun('1'), f.ports, control);
  assert.equal(r.status, 'cancelled');
  assert.deepEqual(r.nodes.map((n) => n.status), ['done', 'queued', 'queued']);

  const g = fakeCluster({ cps: ['cp-1'], workers: ['w-1', 'w-2'] });
  const c2 = new RunControl();
  let pausedSeen = false;
  g.ports.event = (e) => {
    if (e.event === 'node-done' && e.node === 'cp-1') c2.pause();
    if (e.event === 'message' && /Paused/.test(e.text)) {
      pausedSeen = true;
      setImmediate(() => c2.continue());
    }
  };
  const r2 = await runCluster(g.newRun('1'), g.ports, c2);
  assert.equal(pausedSeen, true);
  assert.equal(r2.status, 'done', r2.error);
});

test('a snapshot failure stops the run before any node changes', async () => {
  const f = fakeCluster({ cps: ['cp-1'], workers: ['w-1'] });
  f.ports = { ...f.ports, snapshotter: { snapshot: async () => Promise.reject(new Error('etcdctl: no space left')) } };
  const r = await runCluster(f.newRun('1'), f.ports);
  assert.equal(r.status, 'failed');
  assert.match(r.error!, /etcd snapshot failed: etcdctl: no space left/);
  assert.deepEqual(r.nodes.map((n) => n.status), ['queued', 'queued']);
});

test('a control plane whose health gate fails stops the run; resume checks the gate again without re-running the node', async () => {
  const f = fakeCluster({ cps: ['cp-1', 'cp-2'], workers: ['w-1'] });
  let healthy = false;
  const probe = f.ports.probe;
  f.ports = { ...f.ports, gateTimeoutSeconds: 0, probe: { ...probe, readyz: async () => (healthy ? probe.readyz() : { status: 500, body: '[-]etcd failed: reason withheld' }) } };
  const failed = await runCluster(f.newRun('1'), f.ports);
  assert.equal(failed.status, 'failed');
  assert.match(failed.error!, /health gate after cp-1 did not pass: \/readyz answered 500/);
  assert.deepEqual(failed.nodes.map((n) => `${n.name}:${n.status}`), ['cp-1:done', 'cp-2:queued', 'w-1:queued']);
  healthy = true;
  const mark = f.events.length;
  const resumed = await runCluster(failed, f.ports);
  assert.equal(resumed.status, 'done', resumed.error);
  assert.equal(f.events.slice(mark).some((e) => e.event === 'node-start' && e.node === 'cp-1'), false, 'cp-1 was not run again');
});

test("a member of the stacked etcd stopped on the next control plane: the gate stops the run before it, naming the member; resume finishes once it is back", async () => {
  const etcdDown = new Set<string>();
  const f = fakeCluster({ cps: ['cp-1', 'cp-2', 'cp-3'], workers: ['w-1'], etcdDown });
  // cp-3's member stops after cp-2's upgrade, before cp-3's turn (cp-2's own pods and /readyz stay healthy).
  f.ports = { ...f.ports, gateTimeoutSeconds: 0, event: (e) => { f.events.push(e); if (e.event === 'node-done' && e.node === 'cp-2') etcdDown.add('cp-3'); } };
  const failed = await runCluster(f.newRun('1'), f.ports);
  assert.equal(failed.status, 'failed');
  assert.match(failed.error!, /health gate after cp-2 did not pass: etcd member cp-3 \(https:\/\/10\.0\.0\.3:2379\) unhealthy: context deadline exceeded/);
  assert.deepEqual(failed.nodes.map((n) => `${n.name}:${n.status}`), ['cp-1:done', 'cp-2:done', 'cp-3:queued', 'w-1:queued']);
  assert.equal(f.events.some((e) => e.event === 'node-start' && e.node === 'cp-3'), false, 'cp-3 never started');
  etcdDown.clear();
  const resumed = await runCluster(failed, f.ports);
  assert.equal(resumed.status, 'done', resumed.error);
  assert.equal(resumed.verification?.passed, true);
});

test('a node deleted since the run stopped is reported, and skipped only after a yes', async () => {
  const f = fakeCluster({ cps: ['cp-1'], workers: ['w-1', 'w-2'] });
  const snapshot = f.ports.snapshot;
  const withoutW2 = async () => {
    const s = await snapshot();
    return { ...s, nodes: s.nodes.filter((n) => n.name !== 'w-2') };
  };
  const asked: string[] = [];
  f.ports = { ...f.ports, snapshot: withoutW2, confirmSkipDeleted: async (n) => (asked.push(n), false) };
  const refused = await runCluster(f.newRun('1'), f.ports);
  assert.equal(refused.status, 'failed');
  assert.match(refused.error!, /w-2 failed: w-2 is no longer in the cluster \(deleted\?\); nothing was run for it/);
  assert.deepEqual(asked, ['w-2']);
  assert.deepEqual(refused.nodes.map((n) => `${n.name}:${n.status}`), ['cp-1:done', 'w-1:done', 'w-2:failed']);
  f.ports = { ...f.ports, confirmSkipDeleted: async () => true };
  const resumed = await runCluster(refused, f.ports);
  assert.deepEqual(resumed.nodes.map((n) => `${n.name}:${n.status}`), ['cp-1:done', 'w-1:done', 'w-2:skipped']);
  assert.match(resumed.nodes[2]!.skipReason!, /no longer in the cluster \(deleted\?\): skipped, as confirmed/);
});

test('the cluster reached changes mid-run (another cluster behind the same context): stopped before the next step, naming both', async () => {
  const f = fakeCluster({ cps: ['cp-1'], workers: ['w-1'] });
  const A = { server: 'https://127.0.0.1:6443', caFingerprint: 'aa', namespaceUid: 'uid-a' };
  const B = { server: 'https://127.0.0.1:6443', caFingerprint: 'bb', namespaceUid: 'uid-b' };
  let reached = A;
  f.ports = { ...f.ports, clusterIdentity: async () => reached };
  f.ports.event = (e) => {
    if (e.event === 'step' && e.node === 'cp-1' && e.index === 3) reached = B;
  };
  const run = f.newRun('1');
  run.identity = A;
  const r = await runCluster(run, f.ports);
  assert.equal(r.status, 'failed');
  assert.match(r.error!, /cp-1 failed: Stopped before the next step: The cluster run run-1 belongs to the cluster .*uid-a.*reaches .*uid-b/);
  const cp1 = r.nodes.find((n) => n.name === 'cp-1')!;
  assert.equal(cp1.step?.index, 3, 'no step after the change started');
});

test('resume against a cluster changed since the run stopped re-runs readiness; unchanged, it does not', async () => {
  const f = fakeCluster({ cps: ['cp-1'], workers: ['w-1', 'w-2'], failInstallOn: 'w-1' });
  let readinessRuns = 0;
  let blockers = [{ id: 'nodes-ready', message: 'w-2 is NotReady' }];
  f.ports = { ...f.ports, readiness: { run: async () => (readinessRuns++, { blockers, notes: [] }) } };
  const failed = await runCluster(f.newRun('1'), f.ports);
  assert.equal(failed.status, 'failed');
  assert.ok(failed.stoppedShape?.some((l) => l.startsWith('w-1: worker, kubelet v1.35.4, Ready, cordoned')), JSON.stringify(failed.stoppedShape));
  f.clearFault();
  // Someone upgraded w-2's kubelet by hand while the run was stopped.
  f.kubelet.set('w-2', '1.36.3');
  const blocked = await runCluster(failed, f.ports);
  assert.equal(readinessRuns, 1);
  assert.equal(blocked.status, 'failed');
  assert.match(blocked.error!, /The cluster changed since the run stopped \(w-2: worker, kubelet v1\.35\.4, Ready, schedulable → worker, kubelet v1\.36\.3, Ready, schedulable\), and the readiness checks now block: blocked by readiness check nodes-ready \(override with --override nodes-ready\): w-2 is NotReady/);
  assert.equal(blocked.nodes.find((n) => n.name === 'w-1')!.status, 'failed', 'nothing continued');
  // Blocked again on the next resume (the remembered shape is kept), until readiness lets it go.
  assert.equal((await runCluster(blocked, f.ports)).status, 'failed');
  assert.equal(readinessRuns, 2);
  blockers = [];
  const resumed = await runCluster(blocked, f.ports);
  assert.equal(resumed.status, 'done', resumed.error);
  assert.equal(readinessRuns, 3);

  // Stopped and resumed with nothing changed by anyone else: no readiness run.
  const g = fakeCluster({ cps: ['cp-1'], workers: ['w-1'], failInstallOn: 'w-1' });
  let gRuns = 0;
  g.ports = { ...g.ports, readiness: { run: async () => (gRuns++, { blockers: [{ id: 'x', message: 'y' }], notes: [] }) } };
  const gFailed = await runCluster(g.newRun('1'), g.ports);
  g.clearFault();
  assert.equal((await runCluster(gFailed, g.ports)).status, 'done');
  assert.equal(gRuns, 0);
});

test('resume of a killed run (no record of how it stopped) re-runs readiness even when nothing looks changed; a blocker stops it unless overridden (scoped too)', async () => {
  const f = fakeCluster({ cps: ['cp-1'], workers: ['w-1', 'w-2'] });
  // Killed: w-1's `kubeadm upgrade node` never returns, and what the run saved last is all that is left of it.
  let last: ClusterRunState | undefined;
  const hang = f.ports.executorFor;
  const killedPorts: ClusterPorts = {
    ...f.ports,
    saveCluster: async (st) => void (last = JSON.parse(JSON.stringify(st)) as ClusterRunState),
    executorFor: async (n) => {
      const e = await hang(n);
      return n === 'w-1' ? { ...e, run: (c, o) => (c.startsWith('kubeadm upgrade node') ? new Promise(() => {}) : e.run(c, o)) } : e;
    },
  };
  void runCluster(f.newRun('1'), killedPorts);
  for (let i = 0; i < 500 && !(last?.nodes.find((n) => n.name === 'w-1')?.step?.title ?? '').match(/kubeadm/i); i++) await new Promise((r) => setImmediate(r));
  const killed = last!;
  assert.equal(killed.status, 'running', 'the killed run is left as it was');
  assert.equal(killed.stoppedShape, undefined, 'it never recorded how it stopped');

  const audit: AuditEntry[] = [];
  const events: string[] = [];
  let readinessRuns = 0;
  let asked: ReadinessOnResume | undefined;
  const ports: ClusterPorts = {
    ...f.ports,
    audit: (e) => audit.push(e),
    event: (e) => (e.event === 'message' ? events.push(e.text) : undefined),
    readiness: { run: async (_t, resume) => (readinessRuns++, (asked = resume), { blockers: [{ id: 'nodes-ready', node: 'w-2', message: 'w-2: w-2 is NotReady' }], notes: [] }) },
  };
  const blocked = await runCluster(killed, ports);
  assert.equal(readinessRuns, 1, 'readiness ran again before anything continued');
  // What the run knows: its batch size, the nodes left to drain, and w-1 cordoned by the run itself (capacity again soon).
  assert.deepEqual(asked, { maxUnavailable: killed.maxUnavailable, drainNodes: ['w-1', 'w-2'], cordonedByRun: ['w-1'] });
  assert.equal(blocked.status, 'failed');
  assert.match(blocked.error!, /^The run was interrupted without stopping \(its process was killed or its window closed\): nobody drove it since, and the cluster may have changed, and the readiness checks now block: blocked by readiness check nodes-ready \(override with --override nodes-ready, or for w-2 only --override nodes-ready:w-2\): w-2: w-2 is NotReady/);
  assert.ok(events.some((t) => /interrupted without stopping.*: the readiness checks run again\.$/.test(t)), events.join('\n'));
  const line = audit.find((e) => e.phase === 'readiness-on-resume');
  assert.match(line?.command ?? '', /interrupted without stopping.*; blockers: nodes-ready:w-2$/);
  assert.equal(line?.exitCode, 1);
  assert.equal(blocked.nodes.find((n) => n.name === 'w-2')!.status, 'queued', 'nothing continued');
  assert.equal(blocked.stoppedShape, undefined, 'still nothing to compare with: the next resume checks again');

  // Overridden for that node only (as `resume --override nodes-ready:w-2` records it): the resume goes on and finishes.
  const overridden = { ...blocked, overrides: ['nodes-ready:w-2'] };
  const done = await runCluster(overridden, ports);
  assert.equal(readinessRuns, 2);
  assert.equal(done.status, 'done', done.error);
  assert.match(audit.filter((e) => e.phase === 'readiness-on-resume').at(-1)!.command, /; blockers: none$/);

  // An override for another node does not cover it.
  const other = await runCluster({ ...blocked, status: 'running', overrides: ['nodes-ready:w-1'] }, ports);
  assert.equal(other.status, 'failed');
});

const CALICO = 'CNI calico v3.25 (DaemonSet/kube-system/calico-node) is not documented for Kubernetes 1.36: calico v3.25 supports 1.25–1.28 Upgrade calico to a release documented for 1.36.';

test('a CNI the table does not document for the target: the run pauses after the first control plane (CLI: stopped as paused), once; resume goes on', async () => {
  const f = fakeCluster({ cps: ['cp-1', 'cp-2'], workers: ['w-1'] });
  const audit: AuditEntry[] = [];
  const ports: ClusterPorts = { ...f.ports, audit: (e) => audit.push(e) };
  const paused = await runCluster(f.newRun('1', { blockers: [], notes: [], addonUpgrades: [CALICO] }), ports);
  assert.equal(paused.status, 'paused');
  assert.match(paused.error!, /^Paused after the first control plane, where the kubeadm docs upgrade the CNI \(kubeadm does not\): CNI calico v3\.25/);
  assert.deepEqual(paused.nodes.map((n) => `${n.name} ${n.status}`), ['cp-1 done', 'cp-2 queued', 'w-1 queued'], 'cp-1 done and gated; nothing else started');
  assert.match(paused.recovery!.join(' '), /Upgrade the CNI as its own docs say.*Then resume/);
  assert.deepEqual(audit.filter((e) => e.phase === 'addon-pause').map((e) => e.command), ['stopped here for the CNI upgrade']);
  const done = await runCluster(paused, ports);
  assert.equal(done.status, 'done', done.error);
  assert.equal(audit.filter((e) => e.phase === 'addon-pause').length, 1, 'resuming means it is done: not asked again');
});

test('the extension asks at the CNI pause: Continue goes on at once; with one control plane the pause comes before the workers; no table warning, no pause', async () => {
  const f = fakeCluster({ cps: ['cp-1'], workers: ['w-1', 'w-2'] });
  const asked: { text: string; started: string[] }[] = [];
  const ports: ClusterPorts = {
    ...f.ports,
    continueAfterAddons: async (text) => (asked.push({ text, started: f.events.filter((e) => e.event === 'node-start').map((e) => (e as { node: string }).node) }), true),
  };
  const run = await runCluster(f.newRun('1', { blockers: [], notes: [], addonUpgrades: [CALICO] }), ports);
  assert.equal(run.status, 'done', run.error);
  assert.equal(asked.length, 1);
  assert.deepEqual(asked[0]!.started, ['cp-1'], 'asked after the control plane, before any worker');
  const g = fakeCluster({ cps: ['cp-1'], workers: ['w-1'] });
  let calls = 0;
  const plain = await runCluster(g.newRun('1'), { ...g.ports, continueAfterAddons: async () => (calls++, true) });
  assert.equal(plain.status, 'done');
  assert.equal(calls, 0);
});

test('readinessGateFrom: addon-compatibility warnings are the add-on upgrades the run pauses for; infos are not', async () => {
  const check = (severity: string, message: string, fix?: string) => ({ id: 'addon-compatibility', severity, node: null, message, evidence: [], ...(fix ? { fix } : {}) });
  const gate = readinessGateFrom(async () => ({ checks: [check('warning', 'CNI calico v3.25 … is not documented for Kubernetes 1.36', 'Upgrade calico.'), check('info', 'CSI driver x: not checked')] }) as never);
  const r = await gate.run(T);
  assert.deepEqual(r.addonUpgrades, ['CNI calico v3.25 … is not documented for Kubernetes 1.36 Upgrade calico.']);
  assert.deepEqual(r.blockers, []);
});
