import type { DrainPod } from '../drain/types';
import type { ClusterSnapshot } from '../snapshot/model';
import type { NodeExecutor } from '../exec/executor';
import { checkUpgrade } from '../upgrade/guards';
import { phasesFor } from '../upgrade/phases';
import type { ProgressEvent, UpgradeHooks } from '../upgrade/ports';
import { buildContext, gatherNodeFacts } from '../upgrade/prepare';
import { runUpgrade } from '../upgrade/runner';
import { newRunState, type UpgradeRunState } from '../upgrade/state';
import { stopReasonFor } from '../upgrade/stopReason';
import { pauseForAddons } from './addonPause';
import { clusterShape } from './changedCluster';
import { waitForControlPlaneGate } from './controlPlaneGate';
import { readinessOnResume } from './readinessOnResume';
import { formatVersion } from '../version';
import { budgetsFrom, describeImpact, nextBatch, type PdbBudget } from './batches';
import { resolveMaxUnavailable } from './maxUnavailable';
import type { ClusterPorts } from './ports';
import { recoveryFor } from './recovery';
import { RunControl } from './runControl';
import type { ClusterNodeState, ClusterRunState } from './state';
import { verifyCluster, type VerificationReport } from './verify';

/**
 * Runs (or resumes) a whole-cluster upgrade on the per-node engine: etcd snapshot, the first control plane, the other
 * control planes strictly one at a time each followed by the health gate, then the workers in PDB-safe batches of
 * `maxUnavailable` running in parallel; verification at the end. Stops at the first failure: the failed node stays as
 * the engine left it (cordoned once drained), nothing else starts, and the state says how to recover.
 */
export async function runCluster(state: ClusterRunState, ports: ClusterPorts, control: RunControl = new RunControl()): Promise<ClusterRunState> {
  const now = () => (ports.now ? ports.now() : new Date());
  const sleep = ports.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const save = async () => {
    state.updatedAt = now().toISOString();
    await ports.saveCluster(state);
  };
  const auditCluster = (phase: string, command: string, failure?: string) =>
    ports.audit({ time: now().toISOString(), run: state.id, cluster: state.cluster, node: '-', phase, command, where: 'cluster', exitCode: failure ? 1 : 0, durationMs: 0, ...(failure ? { failure } : {}) });

  /** Why the run must stop before its next step: the lock lost, or the cluster reached is not the run's. */
  const stopReason = stopReasonFor({
    lockCheck: ports.lockCheck ?? (ports.lockLost ? async () => ports.lockLost?.() : undefined),
    recorded: () => state.identity,
    ...(ports.clusterIdentity ? { reach: () => ports.clusterIdentity!() } : {}),
    what: `The cluster run ${state.id}`,
    context: state.cluster,
  });

  // A resume against a cluster someone changed since the run stopped, or of a run that was killed (nobody drove it
  // since, so nobody knows what changed): readiness again, before anything continues.
  const changed = await readinessOnResume({ state, ports, save, audit: auditCluster, stop });
  if (changed) return changed;

  state.status = 'running';
  state.error = undefined;
  state.recovery = undefined;
  state.stoppedShape = undefined;
  await save();
  auditCluster('cluster-run', `upgrade-cluster ${formatVersion(state.target)} maxUnavailable=${state.maxUnavailable}${state.skipSnapshot ? ' --skip-snapshot' : ''}${state.overrides.map((o) => ` --override ${o}`).join('')}`);

  // 1. etcd snapshot before the first change (once: a resumed run keeps the one it took).
  const firstCp = state.nodes.find((n) => n.stage !== 'worker');
  if (!state.etcdSnapshot && firstCp && firstCp.status === 'queued') {
    if (state.skipSnapshot) {
      auditCluster('etcd-snapshot', 'skipped (--skip-snapshot)');
      ports.event({ event: 'snapshot', node: firstCp.name, skipped: true });
    } else {
      try {
        state.etcdSnapshot = await ports.snapshotter.snapshot(firstCp.name);
        auditCluster('etcd-snapshot', state.etcdSnapshot.external ? `none: ${state.etcdSnapshot.external}` : `${state.etcdSnapshot.node}:${state.etcdSnapshot.path} sha256=${state.etcdSnapshot.sha256}`);
        ports.event(state.etcdSnapshot.external
          ? { event: 'snapshot', node: firstCp.name, external: state.etcdSnapshot.external }
          : { event: 'snapshot', node: firstCp.name, path: state.etcdSnapshot.path, sha256: state.etcdSnapshot.sha256 });
      } catch (e) {
        auditCluster('etcd-snapshot', 'snapshot', (e as Error).message);
        return stop('failed', `etcd snapshot failed: ${(e as Error).message}`, ['Fix the snapshot (or take one yourself and pass --skip-snapshot), then resume.']);
      }
    }
    await save();
  }

  // 2. Control planes, strictly one at a time, each followed by the health gate.
  for (const n of state.nodes.filter((x) => x.stage !== 'worker')) {
    if (n.status === 'skipped' || (n.status === 'done' && n.gate === 'passed')) continue;
    const stopped = (n !== firstCp ? await addonPause() : undefined) ?? (await checkpoint());
    if (stopped) return stopped;
    // A node that finished but whose gate failed only has its gate checked again.
    if (n.status !== 'done') {
      const ok = await runOne(n);
      if (!ok) return stopAfterNodeFailure(n);
    }
    const gate = await waitForControlPlaneGate({ state, ports, control, now, sleep, save, audit: auditCluster }, n);
    if (!gate) return stop('failed', `The control-plane health gate after ${n.name} did not pass: ${n.error}`, [
      `Check the static pods on ${n.name} (crictl ps; journalctl -u kubelet) and kube-apiserver's /readyz.`,
      'When the control plane is healthy again, resume: the run re-checks the gate before the next node.',
    ]);
  }

  // 3. Workers in batches formed from the live budgets (after the CNI pause, where a single control plane meets it).
  const pausedForAddons = await addonPause();
  if (pausedForAddons) return pausedForAddons;
  const workers = state.nodes.filter((x) => x.stage === 'worker');
  let batchNo = Math.max(0, ...workers.map((w) => w.batch ?? 0));
  // A resumed run finishes its interrupted batch's nodes first, one batch.
  const unfinished = workers.filter((w) => w.batch !== undefined && (w.status === 'failed' || w.status === 'running' || w.status === 'cancelled'));
  if (unfinished.length > 0) {
    const stopped = await checkpoint();
    if (stopped) return stopped;
    const results = await Promise.all(unfinished.map((w) => runOne(w)));
    const failed = unfinished.find((_, i) => !results[i]);
    if (failed) return stopAfterNodeFailure(failed);
  }
  for (;;) {
    const remaining = workers.filter((w) => w.status === 'queued');
    if (remaining.length === 0) break;
    const stopped = await checkpoint();
    if (stopped) return stopped;
    const max = resolveMaxUnavailable(state.maxUnavailable, workers.length);
    const budgets = await liveBudgets(remaining.map((w) => w.name));
    const batch = nextBatch(remaining.map((w) => w.name), max, budgets)!;
    batchNo++;
    const nodes = remaining.filter((w) => batch.nodes.includes(w.name));
    for (const w of nodes) w.batch = batchNo;
    await save();
    const impact = describeImpact(batch.impact) + (batch.limitedBy ? ` (smaller than ${max}: ${batch.limitedBy})` : '');
    ports.event({ event: 'batch', batch: batchNo, nodes: batch.nodes, impact });
    auditCluster('batch', `batch ${batchNo}: ${batch.nodes.join(', ')} — ${impact}`);
    await ports.lockNode?.(batch.nodes.join(','));
    const results = await Promise.all(nodes.map((w) => runOne(w)));
    const failed = nodes.find((_, i) => !results[i]);
    if (failed) return stopAfterNodeFailure(failed);
  }
  await ports.lockNode?.('');

  // 4. Verification.
  const report = await verify();
  state.verification = report;
  ports.event({ event: 'verify', passed: report.passed, failed: report.checks.filter((c) => c.status === 'fail' || c.status === 'pending').map((c) => `${c.id} ${c.subject}: ${c.message}`) });
  auditCluster('verify', `verification ${report.passed ? 'passed' : 'did not pass'}`);
  return stop(report.passed ? 'done' : 'verify-failed', report.passed ? undefined : 'Every node was upgraded but the verification did not pass: see the report.', report.passed ? undefined : ['Read the failed checks in the report, fix them, then run `kubeadm-upgrade verify --to ' + formatVersion(state.target) + '` again.']);

  /** Runs one node with the per-node engine; true when it ended done (or was skipped, deleted, after a yes). */
  async function runOne(n: ClusterNodeState): Promise<boolean> {
    const snapshot = await ports.snapshot();
    if (!snapshot.nodes.some((x) => x.name === n.name)) return goneNode(n);
    n.status = 'running';
    n.startedAt = now().toISOString();
    n.error = undefined;
    await save();
    ports.event({ event: 'node-start', node: n.name, role: n.role, ...(n.batch ? { batch: n.batch } : {}) });
    if (n.stage !== 'worker') await ports.lockNode?.(n.name);
    try {
      const executor = await ports.executorFor(n.name);
      const run = await nodeRun(n, executor, snapshot);
      if (typeof run === 'string') return fail(n, run);
      n.runId = run.id;
      await save();
      const hooks: UpgradeHooks = {
        executor,
        cluster: ports.cluster,
        // One plan confirmation covers the run; only `kubeadm upgrade apply` asks again.
        confirm: async (kind, phase, ctx) => (kind === 'apply' ? ports.confirmApply(phase, ctx) : true),
        progress: (e: ProgressEvent) => {
          if (e.type === 'phase') {
            n.step = { index: e.index + 1, total: e.total, title: e.phase.title };
            n.detail = undefined;
            ports.event({ event: 'step', node: n.name, index: e.index + 1, total: e.total, step: e.phase.id, title: e.phase.title });
            void save();
          } else if (e.type === 'output') {
            ports.event({ event: 'output', node: n.name, text: e.text });
          } else {
            n.detail = e.text;
            ports.event({ event: 'message', node: n.name, text: e.text });
          }
        },
        save: (s) => ports.saveNode(s),
        audit: (entry) => ports.audit(entry),
        // Before every step: the lock still ours, the cluster reached still the run's.
        stopReason: () => stopReason(),
        ...(ports.sleep ? { sleep: ports.sleep } : {}),
        ...(ports.now ? { now: ports.now } : {}),
      };
      const result = await runUpgrade(run, hooks, control.abort.signal);
      n.endedAt = now().toISOString();
      if (result.status === 'done') {
        n.status = 'done';
        n.detail = undefined;
        await save();
        ports.event({ event: 'node-done', node: n.name });
        return true;
      }
      if (result.status === 'cancelled') {
        n.status = 'cancelled';
        n.error = result.error;
        await save();
        return false;
      }
      return fail(n, result.error ?? result.status);
    } catch (e) {
      return fail(n, (e as Error).message);
    }
  }

  async function fail(n: ClusterNodeState, error: string): Promise<false> {
    n.status = 'failed';
    n.error = error;
    n.endedAt = now().toISOString();
    await save();
    ports.event({ event: 'node-failed', node: n.name, error });
    return false;
  }

  /** A node of the run that the cluster no longer has: reported, and skipped only after a yes. */
  async function goneNode(n: ClusterNodeState): Promise<boolean> {
    const why = `${n.name} is no longer in the cluster (deleted?)`;
    if (await ports.confirmSkipDeleted?.(n.name)) {
      n.status = 'skipped';
      n.skipReason = `${why}: skipped, as confirmed`;
      auditCluster('skip-deleted-node', `${n.name}: ${n.skipReason}`);
      ports.event({ event: 'message', node: n.name, text: n.skipReason });
      await save();
      return true;
    }
    return fail(n, `${why}; nothing was run for it. Skip it (confirm when resuming) or bring it back, then resume.`);
  }


  /** The node's run: a new one, or its stored one resumed after the guards pass again on the cluster as it is now. */
  async function nodeRun(n: ClusterNodeState, executor: NodeExecutor, snapshot: ClusterSnapshot): Promise<UpgradeRunState | string> {
    const stored = n.runId ? await ports.loadNode(n.runId) : undefined;
    if (stored && stored.status !== 'done') {
      const refused = checkUpgrade(snapshot, n.name, state.target).guards.filter((g) => g.severity === 'refuse');
      if (refused.length > 0) return `the guards refuse to resume ${n.name}: ${refused.map((g) => g.reason).join(' ')}`;
      return stored;
    }
    const facts = await gatherNodeFacts(n.name, executor);
    const { context, guards } = buildContext(state.cluster, snapshot, n.name, facts, state.target, state.options, now());
    const refused = guards.filter((g) => g.severity === 'refuse');
    if (refused.length > 0) return `the guards refuse ${n.name}: ${refused.map((g) => g.reason).join(' ')}`;
    const run = newRunState(`${context.stamp}-${n.name}`, context, phasesFor(context), now());
    if (state.identity) run.identity = state.identity;
    await ports.saveNode(run);
    return run;
  }

  async function liveBudgets(nodes: readonly string[]): Promise<PdbBudget[]> {
    const [pdbs, ...pods] = await Promise.all([ports.drainApi.listPdbs(), ...nodes.map((n) => ports.drainApi.listPods(n))]);
    const byNode: Record<string, DrainPod[]> = {};
    nodes.forEach((n, i) => (byNode[n] = pods[i] as DrainPod[]));
    return budgetsFrom(pdbs, byNode);
  }

  async function verify(): Promise<VerificationReport> {
    const [snapshot, addons] = await Promise.all([ports.snapshot(), ports.addons()]);
    const runs = await Promise.all(state.nodes.filter((n) => n.runId).map((n) => ports.loadNode(n.runId!)));
    const leftCordoned = runs.filter((r): r is UpgradeRunState => !!r && r.cordoned).map((r) => r.context.node);
    return verifyCluster({ cluster: state.cluster, snapshot, target: state.target, kubeProxy: addons.kubeProxy, coredns: addons.coredns, leftCordonedByRun: leftCordoned, now: now() });
  }

  function addonPause(): Promise<ClusterRunState | undefined> {
    return pauseForAddons(state, ports, auditCluster, stop);
  }

  /** Between nodes: honour cancel, a lost lock, a cluster that is not the run's, and pause (which waits here with nothing running). */
  async function checkpoint(): Promise<ClusterRunState | undefined> {
    const why = await stopReason();
    if (why) return stop('failed', why.replace(/before the next step/, 'before the next node'), ['Find out who holds the Lease kube-system/kubeadm-upgrade (and which cluster the kubeconfig reaches), then resume.']);
    if (control.paused) {
      state.status = 'paused';
      await save();
      ports.event({ event: 'message', text: 'Paused: no node is running. Continue or cancel.' });
      await control.waitWhilePaused();
      if (!control.cancelled) {
        state.status = 'running';
        await save();
      }
    }
    if (control.cancelled) return stop('cancelled', 'Cancelled between nodes: no node is running.', ['Resume the run to continue where it stopped.']);
    return undefined;
  }

  function stopAfterNodeFailure(n: ClusterNodeState): Promise<ClusterRunState> {
    if (n.status === 'cancelled') return stop('cancelled', `Cancelled while upgrading ${n.name}: ${n.error ?? ''}`, [`Resume to continue ${n.name} from its interrupted step.`]);
    return stop('failed', `${n.name} failed: ${n.error}`, recoveryFor(n));
  }

  async function stop(status: ClusterRunState['status'], error?: string, recovery?: string[]): Promise<ClusterRunState> {
    state.status = status;
    state.error = error;
    state.recovery = recovery;
    // How the run left the cluster: a resume compares it with the cluster then (changedCluster.ts).
    if (status !== 'done') state.stoppedShape = await ports.snapshot().then(clusterShape, () => undefined);
    for (const n of state.nodes) if (n.status === 'running') n.status = status === 'cancelled' ? 'cancelled' : 'failed';
    await save();
    ports.event({ event: 'done', status, ...(error ? { error } : {}) });
    return state;
  }
}
