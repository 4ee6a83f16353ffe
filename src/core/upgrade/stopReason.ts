import { stepIdentityProblem, type ClusterIdentity } from '../identity/clusterIdentity';

/**
 * The check a run makes at each safe point (before every node step, between nodes): the cluster lock must still be
 * this process's (`lockCheck`: HeldLock.check), and the cluster reached must still be the run's (`reach` reads the
 * identity again). An API that does not answer proves no other cluster, so it does not stop the run by itself: the
 * step finds out whether the cluster is there.
 */
export function stopReasonFor(o: {
  readonly lockCheck?: () => Promise<string | undefined>;
  readonly recorded: () => ClusterIdentity | undefined;
  readonly reach?: () => Promise<ClusterIdentity>;
  /** "The cluster run cluster-…", "The upgrade run … of cp-1". */
  readonly what: string;
  readonly context: string;
}): () => Promise<string | undefined> {
  return async () => {
    const lost = await o.lockCheck?.();
    if (lost) return `The cluster lock was lost (${lost}): stopped before the next step.`;
    if (!o.reach) return undefined;
    const reached = await o.reach().catch(() => undefined);
    return stepIdentityProblem(o.recorded(), reached, o.what, o.context);
  };
}
