import { blockerLine, isOverridden } from '../readiness/overrides';
import { clusterShape, shapeChanges } from './changedCluster';
import type { ClusterPorts } from './ports';
import type { ClusterRunState } from './state';

/** What the check needs of the run it resumes. */
export interface ResumedRun {
  readonly state: ClusterRunState;
  readonly ports: Pick<ClusterPorts, 'readiness' | 'snapshot' | 'event'>;
  readonly save: () => Promise<void>;
  readonly audit: (phase: string, command: string, failure?: string) => void;
  readonly stop: (status: 'failed', error: string, recovery: string[]) => Promise<ClusterRunState>;
}

/**
 * Re-runs readiness when the cluster differs from how the run left it, or when the run never recorded how it left
 * it (killed: SIGKILL, a closed window, a lost machine); the stop when a blocker not overridden is found.
 */
export async function readinessOnResume(run: ResumedRun): Promise<ClusterRunState | undefined> {
  const { state, ports } = run;
  // A new run's readiness ran in its plan.
  if (!ports.readiness || state.status === 'planned') return undefined;
  let why: string;
  if (state.stoppedShape) {
    const changes = shapeChanges(state.stoppedShape, clusterShape(await ports.snapshot()));
    if (changes.length === 0) return undefined;
    why = `The cluster changed since the run stopped (${changes.join('; ')})`;
  } else {
    why = 'The run was interrupted without stopping (its process was killed or its window closed): nobody drove it since, and the cluster may have changed';
  }
  ports.event({ event: 'message', text: `${why}: the readiness checks run again.` });
  const result = await ports.readiness.run(state.target, {
    maxUnavailable: state.maxUnavailable,
    drainNodes: state.nodes.filter((n) => n.status !== 'done' && n.status !== 'skipped').map((n) => n.name),
    // Interrupted mid-node (after its drain): the run uncordons it before the next drain.
    cordonedByRun: state.nodes.filter((n) => n.status === 'running' || n.status === 'failed' || n.status === 'cancelled').map((n) => n.name),
  });
  const blockers = result.blockers.filter((b) => !isOverridden(b, state.overrides));
  run.audit('readiness-on-resume', `${why}; blockers: ${blockers.map((b) => (b.node ? `${b.id}:${b.node}` : b.id)).join(', ') || 'none'}`, blockers.length > 0 ? blockers.map((b) => b.message).join('; ') : undefined);
  if (blockers.length === 0) return undefined;
  const before = state.stoppedShape;
  const stopped = await run.stop('failed', `${why}, and the readiness checks now block: ${blockers.map(blockerLine).join(' ')}`, [
    'Fix the blockers (or override them by id when resuming: --override ID or --override ID:NODE in the CLI), then resume.',
  ]);
  // Compared with how the run left the cluster again next time, until readiness lets it go on.
  state.stoppedShape = before;
  await run.save();
  return stopped;
}
