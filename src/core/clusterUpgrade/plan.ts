import type { ClusterIdentity } from '../identity/clusterIdentity';
import { isOverridden } from '../readiness/overrides';
import { clusterVersion } from '../skew/apiservers';
import type { ClusterSnapshot } from '../snapshot/model';
import { checkUpgrade } from '../upgrade/guards';
import { dryRunScript, type UpgradeContext, type UpgradeOptions } from '../upgrade/phases';
import { addMinors, compareVersions, formatMinor, formatVersion, minorDiff, type KubeVersion } from '../version';
import { batchWorkers, describeImpact, type Batch, type PdbBudget } from './batches';
import { resolveMaxUnavailable } from '../drain/maxUnavailable';
import type { OrderedNode } from '../upgrade/clusterOrder';
import type { ReadinessBlocker, ReadinessResult } from './ports';
import type { ClusterRunState } from './state';

/** Everything shown before anything changes; confirmed once. */
export interface ClusterPlan {
  readonly cluster: string;
  readonly from: string;
  readonly target: KubeVersion;
  readonly order: readonly OrderedNode[];
  readonly maxUnavailable: string;
  readonly batches: readonly Batch[];
  /** Node → its dry-run script, as "Preview Upgrade (Dry Run)" prints it. */
  readonly scripts: Readonly<Record<string, string>>;
  readonly downtime: string;
  readonly readiness: ReadinessResult;
  /** Blockers not overridden: the run refuses to start while any is left. */
  readonly blocking: readonly ReadinessBlocker[];
  /** Reasons the target itself is refused (skipped minor, downgrade, kubelets left out of the window). */
  readonly refused: readonly string[];
  readonly path?: string;
}

export interface PlanInput {
  readonly cluster: string;
  readonly snapshot: ClusterSnapshot;
  readonly target: KubeVersion;
  readonly order: readonly OrderedNode[];
  /** Each node's context (from its own package facts); the role is the order's. */
  readonly contexts: Readonly<Record<string, UpgradeContext>>;
  readonly budgets: readonly PdbBudget[];
  readonly maxUnavailable: string;
  readonly readiness: ReadinessResult;
  readonly overrides: readonly string[];
  readonly options: UpgradeOptions;
}

export function buildClusterPlan(p: PlanInput): ClusterPlan {
  const workers = p.order.filter((n) => n.stage === 'worker' && !n.skip).map((n) => n.name);
  const max = resolveMaxUnavailable(p.maxUnavailable, p.order.filter((n) => n.stage === 'worker').length);
  const scripts: Record<string, string> = {};
  for (const n of p.order) {
    const ctx = p.contexts[n.name];
    if (ctx && !n.skip) scripts[n.name] = dryRunScript({ ...ctx, role: n.role });
  }
  const first = p.order.find((n) => n.stage === 'first-control-plane');
  const refused = first ? checkUpgrade(p.snapshot, first.name, p.target).guards.filter((g) => g.severity === 'refuse').map((g) => g.reason) : [];
  const current = clusterVersion(p.snapshot);
  const path = current ? upgradePath(current, p.target) : undefined;
  return {
    cluster: p.cluster,
    from: current ? formatVersion(current) : 'unknown',
    target: p.target,
    order: p.order,
    maxUnavailable: p.maxUnavailable,
    batches: batchWorkers(workers, max, p.budgets),
    scripts,
    downtime: downtime(p.order.filter((n) => n.stage !== 'worker').length, p.options),
    readiness: p.readiness,
    blocking: p.readiness.blockers.filter((b) => !isOverridden(b, p.overrides)),
    refused,
    ...(path ? { path } : {}),
  };
}

/** "v1.34 → v1.35 → v1.36, one run each" when the target is more than one minor away; undefined otherwise. */
export function upgradePath(current: KubeVersion, target: KubeVersion): string | undefined {
  const steps = minorDiff(target, current);
  if (steps <= 1 || compareVersions(target, current) <= 0) return undefined;
  const minors = Array.from({ length: steps + 1 }, (_, i) => `v${formatMinor(addMinors(current, i))}`);
  return `${minors.join(' → ')}: kubeadm upgrades one minor at a time, so this takes ${steps} runs, one per minor.`;
}

function downtime(controlPlanes: number, o: UpgradeOptions): string {
  if (controlPlanes > 1) return `None expected: ${controlPlanes} control planes are upgraded one at a time, so the others keep serving the API (through your load balancer).`;
  return `About 1–3 minutes without the API on the single control plane: kubeadm restarts etcd and kube-apiserver as static pods${o.stopApiserverFirst ? ', plus 20 s for the graceful apiserver stop' : ''}. Running workloads keep running; nothing can be scheduled or changed meanwhile.`;
}

export function formatPlan(plan: ClusterPlan): string {
  const t = formatVersion(plan.target);
  const lines = [`Upgrade Cluster ${plan.cluster}: ${plan.from} → ${t}`];
  if (plan.path) lines.push(`Path: ${plan.path}`);
  for (const r of plan.refused) lines.push(`REFUSED: ${r}`);
  for (const b of plan.readiness.blockers) lines.push(`${plan.blocking.includes(b) ? 'BLOCKER' : 'overridden'} [${b.id}]: ${b.message}`);
  for (const n of plan.readiness.notes) lines.push(`note: ${n}`);
  lines.push('', 'Order:');
  let i = 1;
  for (const n of plan.order.filter((x) => x.stage !== 'worker')) {
    const what = n.stage === 'first-control-plane' ? 'first control plane: kubeadm upgrade apply' : 'control plane: kubeadm upgrade node';
    lines.push(`  ${i++}. ${n.name} (${what})${n.skip ? ` — skipped, ${n.skip}` : ', then the control-plane health gate'}`);
  }
  const skippedWorkers = plan.order.filter((x) => x.stage === 'worker' && x.skip);
  lines.push(`  ${i}. workers, at most ${plan.maxUnavailable} at a time, each batch's nodes in parallel:`);
  plan.batches.forEach((b, j) => {
    lines.push(`     batch ${j + 1}: ${b.nodes.join(', ')} — PDB impact: ${describeImpact(b.impact)}${b.limitedBy ? ` (${b.limitedBy})` : ''}`);
  });
  for (const s of skippedWorkers) lines.push(`     ${s.name} — skipped, ${s.skip}`);
  lines.push('', `Estimated API downtime: ${plan.downtime}`, '', 'Commands per node (dry run, nothing has run):');
  for (const [node, script] of Object.entries(plan.scripts)) lines.push('', `## ${node}`, script.trimEnd());
  return lines.join('\n') + '\n';
}

export function newClusterRun(
  plan: ClusterPlan,
  o: { id: string; options: UpgradeOptions; skipSnapshot: boolean; overrides: readonly string[]; now: Date; identity?: ClusterIdentity },
): ClusterRunState {
  return {
    ...(o.identity ? { identity: o.identity } : {}),
    kind: 'cluster-run',
    id: o.id,
    cluster: plan.cluster,
    target: plan.target,
    options: o.options,
    maxUnavailable: plan.maxUnavailable,
    skipSnapshot: o.skipSnapshot,
    overrides: o.overrides,
    readinessNotes: plan.readiness.notes,
    ...(plan.readiness.addonUpgrades?.length ? { addonPause: { reason: plan.readiness.addonUpgrades.join(' '), passed: false } } : {}),
    nodes: plan.order.map((n) => ({ name: n.name, role: n.role, stage: n.stage, status: n.skip ? 'skipped' : 'queued', ...(n.skip ? { skipReason: n.skip } : {}) })),
    plannedBatches: plan.batches,
    status: 'planned',
    createdAt: o.now.toISOString(),
    updatedAt: o.now.toISOString(),
  };
}

/**
 * A cluster run's id: its start time, then a part unique to this invocation (the cluster lock treats its own run id
 * as "mine", so two runs started in the same second must not share one).
 */
export function clusterRunId(now: Date, unique: string): string {
  return `cluster-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${unique}`;
}

