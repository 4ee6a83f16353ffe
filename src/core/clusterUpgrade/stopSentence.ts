import { describeEndpointKey, endpointKey, shownUnder } from '../identity/clusterIdentity';
import type { ClusterNodeState, ClusterRunState } from './state';

/**
 * Why a cluster run stopped, said once: the node's own error is in its row (and in What Happened), so the run's line
 * names the node and the step and points there instead of repeating it (`worker-1 failed: <the same error>` read twice).
 */
export function stopSentence(run: ClusterRunState): string | undefined {
  if (!run.error) return undefined;
  const failed = failedNode(run);
  if (failed && run.error === `${failed.name} failed: ${failed.error ?? ''}`) {
    const where = failed.step ? ` at step ${failed.step.index} of ${failed.step.total} (${failed.step.title})` : '';
    return `Stopped: ${failed.name} failed${where}. What it said is in its row; What Happened explains it.`;
  }
  return run.error;
}

/** The node whose failure stopped the run (the first failed one), with the node run to explain and resume. */
export function failedNode(run: ClusterRunState): ClusterNodeState | undefined {
  return run.nodes.find((n) => n.status === 'failed');
}

/**
 * When the run's context reaches another cluster now (another admin.conf behind `kubernetes-admin@kubernetes`): the
 * sentence that marks the view stale; undefined while it reaches the run's own cluster (or either is unknown).
 */
export function otherClusterNote(run: ClusterRunState, reachedKey: string | undefined): string | undefined {
  if (!run.identity || shownUnder(run.identity, reachedKey)) return undefined;
  return (
    `This run was made for the cluster at ${describeEndpointKey(endpointKey(run.identity.server, run.identity.caFingerprint))}. ` +
    `The context ${run.cluster} now reaches ${describeEndpointKey(reachedKey!)}: another cluster under the same context name. ` +
    `It cannot be resumed from here; point the context back at its cluster to resume it.`
  );
}
