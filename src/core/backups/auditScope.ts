import { shownUnder, type ClusterIdentity } from '../identity/clusterIdentity';

/** An audit line as the Backups view reads it: the context it was written under and the run it belongs to. */
export interface ScopedAuditEntry {
  readonly node: string;
  readonly cluster?: string;
  readonly run?: string;
}

/** A run (a node's or a whole cluster's) with the cluster it was made for. */
export interface RunIdentity {
  readonly id: string;
  readonly identity?: ClusterIdentity;
}

/**
 * The audit lines the Backups view may link to a node of `context`: that node's lines under that context, minus the
 * lines of runs made for another cluster than the one the context reaches now (`reachedKey`, `ClusterState.key`).
 * Audit lines carry the context name only, and every kubeadm admin.conf names its context alike: without this, a
 * backup of this cluster's cp-1 was said to be made by the other cluster's cp-1 upgrade.
 */
export function auditEntriesOfCluster<E extends ScopedAuditEntry>(entries: readonly E[], context: string, node: string, runs: readonly RunIdentity[], reachedKey: string | undefined): E[] {
  const foreign = new Set(runs.filter((r) => r.identity && !shownUnder(r.identity, reachedKey)).map((r) => r.id));
  return entries.filter((e) => e.node === node && (e.cluster === undefined || e.cluster === context) && !(e.run !== undefined && foreign.has(e.run)));
}
