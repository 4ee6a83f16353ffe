// etcd snapshots taken by this extension (Kubeadm: Snapshot etcd, and before `kubeadm upgrade apply`), as the backups
// view lists them: the record, whether the local file still has its sha256, and the restore steps for that file.
import { snapshotRestoreSteps } from '../etcd/restore';
import type { SnapshotRecord } from '../etcd/snapshot';
import type { RecoveryStep } from './recovery';

export interface EtcdSnapshotView {
  readonly record: SnapshotRecord;
  /** The local copy's sha256 equals the record's (false: changed or damaged; null: the file is gone). */
  readonly localIntact: boolean | null;
  readonly steps: readonly RecoveryStep[];
}

export function etcdSnapshotViews(records: readonly SnapshotRecord[], context: string | null, localSha: (path: string) => string | null): EtcdSnapshotView[] {
  return records
    .filter((r) => context === null || r.cluster === context)
    .map((record) => {
      const sha = localSha(record.localPath);
      const stamp = record.takenAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
      return { record, localIntact: sha === null ? null : sha === record.sha256, steps: snapshotRestoreSteps(record, stamp) };
    });
}
