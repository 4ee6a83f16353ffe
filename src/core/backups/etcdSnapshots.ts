// etcd snapshots taken by this extension (Kubeadm: Snapshot etcd, and before `kubeadm upgrade apply`), as the backups
// view lists them: the record, whether the local file still has its sha256, and what restoring from it does. The
// restore itself is one procedure over every control plane (src/core/etcd/restorePlan.ts), built when it is asked
// for: it needs each control plane's etcd manifest, read then.
import { RESTORE_OUTLINE, type RestoreOutlineStep } from '../etcd/restorePlan';
import type { SnapshotRecord } from '../etcd/snapshot';

export interface EtcdSnapshotView {
  readonly record: SnapshotRecord;
  /** The local copy's sha256 equals the record's (false: changed or damaged; null: the file is gone). */
  readonly localIntact: boolean | null;
  /** What "Restore the cluster from this snapshot…" does, phase by phase. */
  readonly restore: readonly RestoreOutlineStep[];
}

/**
 * The snapshots of one context (all with `context` null) — and, given the key of the cluster it reaches now
 * (`clusterKey`), never one recorded as taken of another cluster under the same context name.
 */
export function etcdSnapshotViews(records: readonly SnapshotRecord[], context: string | null, localSha: (path: string) => string | null, clusterKey?: string): EtcdSnapshotView[] {
  return records
    .filter((r) => context === null || r.cluster === context)
    .filter((r) => clusterKey === undefined || r.clusterKey === undefined || r.clusterKey === clusterKey)
    .map((record) => {
      const sha = localSha(record.localPath);
      return { record, localIntact: sha === null ? null : sha === record.sha256, restore: RESTORE_OUTLINE };
    });
}
