import { planSteps, type RestorePlan, type RestoreStep } from './restorePlan';
import type { RestoreOutcome } from './restoreRun';

/** The plan as the CLI prints it (and the confirmation shows it): phases, then each step with its node and command. */
export function renderRestorePlan(plan: RestorePlan): string {
  const lines = [
    `etcd restore of ${plan.cluster} (${topologyText(plan)}) from ${plan.snapshot.localPath ?? plan.snapshot.nodePath}`,
    `  sha256 ${plan.snapshot.sha256}; on each control plane as ${plan.snapshot.nodePath}`,
    ...(plan.initialCluster ? [`  --initial-cluster ${plan.initialCluster}`, `  --initial-cluster-token ${plan.initialClusterToken}`] : []),
    ...plan.notes.map((n) => `  note: ${n}`),
    plan.runnable ? '' : '  These steps are for your own tooling (Copy): this tool does not run them.',
  ];
  let n = 0;
  for (const phase of plan.phases) {
    lines.push(`== ${phase.title}`);
    for (const s of phase.steps) lines.push(`${++n}. [${s.node ?? 'every external etcd member'}] ${s.title}${s.optional ? ' (optional)' : ''}`, `   ${s.why}`, `   $ ${s.command}`);
  }
  return lines.join('\n');
}

function topologyText(plan: RestorePlan): string {
  if (plan.topology === 'external') return 'external etcd';
  if (plan.topology === 'stacked-single') return `stacked etcd, one member on ${plan.controlPlanes[0]}`;
  return `stacked etcd, ${plan.members.length} members on ${plan.controlPlanes.join(', ')}`;
}

/** `--json` (kind RestorePlan): the plan, plus each node's steps in the order they run there. */
export function restorePlanJson(plan: RestorePlan): Record<string, unknown> {
  const byNode: Record<string, string[]> = {};
  for (const s of planSteps(plan)) (byNode[s.node ?? 'external-etcd'] ??= []).push(s.id);
  return { ...plan, phases: plan.phases.map((p) => ({ ...p, steps: p.steps.map(stepJson) })), byNode };
}

function stepJson(s: RestoreStep): Record<string, unknown> {
  return { id: s.id, node: s.node, title: s.title, why: s.why, command: s.command, kind: s.kind, ...(s.optional ? { optional: true } : {}) };
}

export function renderRestoreOutcome(plan: RestorePlan, o: RestoreOutcome): string {
  if (o.ok) {
    return [
      `etcd of ${plan.cluster} restored from ${plan.snapshot.localPath ?? plan.snapshot.nodePath} on ${plan.controlPlanes.join(', ')}.`,
      ...(o.etcd ? [`etcd: one cluster (id ${o.etcd.clusterId}), ${o.etcd.members} member(s) healthy; the API serves.`] : []),
      ...o.warnings.map((w) => `warning: ${w}`),
    ].join('\n');
  }
  return [`etcd restore of ${plan.cluster} stopped at ${o.failed!.step}${o.failed!.node ? ` on ${o.failed!.node}` : ''}: ${o.failed!.message}`, ...o.recovery, ...o.warnings.map((w) => `warning: ${w}`)].join('\n');
}
