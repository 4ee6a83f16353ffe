import { randomBytes } from 'node:crypto';
import type { RunStore } from '../adapters/storage/runStore';
import { formatReport } from '../core/clusterUpgrade/verify';
import { explainFailedRun, renderText } from '../core/explain';
import { resolveMaxUnavailable, parseMaxUnavailable } from '../core/drain/maxUnavailable';
import { runCluster } from '../core/clusterUpgrade/orchestrator';
import { clusterRunId, formatPlan, newClusterRun } from '../core/clusterUpgrade/plan';
import { prepareClusterPlan } from '../core/clusterUpgrade/prepare';
import type { ClusterRunState } from '../core/clusterUpgrade/state';
import { blockerLine, formatOverride, OverrideError, parseOverride } from '../core/readiness/overrides';
import { parse, UsageError } from './args';
import { EVENT_KIND, versioned } from './jsonOutput';
import { CliSession, eventPrinter, SESSION_FLAGS, type SessionDeps } from './clusterSession';
import { strictTarget } from './strictTarget';
import { UPGRADE_OPTION_FLAGS, upgradeOptionsFrom } from './upgradeOptionFlags';
import { UPGRADE_CLUSTER_USAGE } from './usage';


/**
 * `kubeadm-upgrade upgrade-cluster`: the whole cluster in kubeadm's order, workers in PDB-safe batches, verified at
 * the end. Without --yes it prints the plan and stops before the first change (exit 1). Exit 0 only when the run
 * finished and the verification passed.
 */
export async function upgradeClusterCommand(argv: string[], out: (s: string) => void, err: (s: string) => void, deps: SessionDeps = {}): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...SESSION_FLAGS,
    ...UPGRADE_OPTION_FLAGS,
    to: { type: 'string' },
    'max-unavailable': { type: 'string', default: '1' },
    'skip-snapshot': { type: 'boolean', default: false },
    override: { type: 'string', multiple: true, default: [] },
    yes: { type: 'boolean', default: false },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected ${positionals[0]}\nusage: ${UPGRADE_CLUSTER_USAGE}`);
  const target = strictTarget(values.to);
  if (!parseMaxUnavailable(values['max-unavailable'])) throw new UsageError(`--max-unavailable ${values['max-unavailable']}: a whole number ≥ 1 or a percentage like 25%`);
  const options = upgradeOptionsFrom(values);
  const overrides = overridesFrom(values.override);
  const json = values.json;
  const emit = eventPrinter(json, out, err);
  const session = new CliSession(values, err, deps.prompts);
  const now = new Date();
  const runId = clusterRunId(now, `${process.pid}-${randomBytes(3).toString('hex')}`);
  // Taken before anything is read from the nodes, so a second run is refused at once, naming the holder.
  const held = values.yes ? await session.acquire(runId) : undefined;
  if (values.yes && !held) return 1;
  try {
    const ports = session.ports(emit, held, runId);
    const plan = await prepareClusterPlan(ports, { cluster: session.ctx.name, target, maxUnavailable: values['max-unavailable'], options, overrides, readiness: session.readiness(values['max-unavailable'], options), now });
    const strangers = overrides.map(parseOverride).filter((o) => o.node && !plan.order.some((n) => n.name === o.node));
    if (strangers.length > 0) throw new UsageError(`--override ${formatOverride(strangers[0]!)}: ${strangers[0]!.node} is not a node of ${plan.cluster} (nodes: ${plan.order.map((n) => n.name).join(', ')})`);
    const text = formatPlan(plan);
    if (json) out(JSON.stringify(versioned(EVENT_KIND, { event: 'plan', cluster: plan.cluster, from: plan.from, target: values.to, order: plan.order, batches: plan.batches, downtime: plan.downtime, refused: plan.refused, blocking: plan.blocking, notes: plan.readiness.notes })));
    else out(text);
    for (const id of overrides) session.audit.append({ time: now.toISOString(), run: runId, cluster: session.ctx.name, node: '-', phase: 'readiness-override', command: `--override ${id}`, where: 'cli', exitCode: 0, durationMs: 0 });
    const problems = [...plan.refused.map((r) => `refused: ${r}`), ...plan.blocking.map(blockerLine)];
    if (!values['skip-snapshot'] && ports.snapshotter.unavailable) problems.push(`refused: ${ports.snapshotter.unavailable}`);
    if (plan.path) problems.push(`refused: ${plan.path}`);
    if (problems.length > 0) {
      for (const p of problems) err(p);
      return 1;
    }
    if (!held) {
      const holder = await session.lock.peek().catch(() => undefined);
      if (holder?.holderIdentity) err(`note: the cluster lock is held right now by ${holder.holderIdentity}.`);
      err('Stopped before the first change: re-run with --yes to upgrade the cluster.');
      return 1;
    }
    // The run records the cluster it is for: resume and every node step check they reach this one.
    const state = newClusterRun(plan, { id: runId, options, skipSnapshot: values['skip-snapshot'], overrides, now, identity: await session.identity() });
    err(`Run ${runId}: state in ${session.stateDir}; workers at most ${resolveMaxUnavailable(state.maxUnavailable, state.nodes.filter((n) => n.stage === 'worker').length)} at a time.`);
    const result = await runCluster(state, ports);
    return report(result, json, out, err, session.stateDir, session.nodeRuns);
  } finally {
    await held?.release().catch((e: unknown) => err(`warning: could not release the cluster lock: ${(e as Error).message}`));
    session.dispose();
  }
}

/** `--override ID[:NODE]`, each validated: an unknown check id or a bad node name is bad input (exit 2), naming the known ids. */
export function overridesFrom(given: readonly string[]): string[] {
  try {
    return given.map((o) => o.trim()).filter(Boolean).map((o) => formatOverride(parseOverride(o)));
  } catch (e) {
    if (e instanceof OverrideError) throw new UsageError(e.message);
    throw e;
  }
}

/** The end of a run (upgrade-cluster and resume): the verification report, or what failed and how to recover. */
export async function report(result: ClusterRunState, json: boolean, out: (s: string) => void, err: (s: string) => void, stateDir: string, nodeRuns?: RunStore): Promise<number> {
  if (result.verification && !json) out(formatReport(result.verification));
  if (json && result.verification) out(JSON.stringify(versioned(EVENT_KIND, { event: 'report', ...result.verification })));
  if (result.status !== 'done') {
    err(`kubeadm-upgrade: the cluster run ${result.id} ${result.status}: ${result.error ?? ''}`);
    // What happened: the failed node's step explained from its own output (as `kubeadm-upgrade explain` would).
    const failed = result.nodes.find((n) => n.status === 'failed');
    const nodeRun = failed?.runId && nodeRuns ? (await nodeRuns.list()).find((r) => r.id === failed.runId) : undefined;
    const what = nodeRun ? explainFailedRun(nodeRun) : null;
    if (what) err(`What happened on ${nodeRun!.context.node}:\n${renderText(what.result)}`);
    for (const [i, r] of (result.recovery ?? []).entries()) err(`  ${i + 1}. ${r}`);
    err(`State in ${stateDir}; continue with: kubeadm-upgrade resume`);
    return 1;
  }
  return 0;
}
