// Backups kubeadm leaves under /etc/kubernetes/tmp, as read from one control-plane node. Plain JSON values.

export type BackupKind =
  /** kubeadm-backup-etcd-<ts>: a copy of /var/lib/etcd (holds etcd/member) kubeadm takes before its etcd step, even when etcd's version does not change. */
  | 'etcd'
  /** kubeadm-backup-manifests-<ts>: the static Pod manifests kubeadm replaced (only those that changed). */
  | 'manifests'
  /** kubeadm-upgraded-manifests<random>: kubeadm's working copy of the new manifests. */
  | 'upgraded-manifests'
  /** kubeadm-kubelet-config<random>: the kubelet config.yaml kubeadm saved before rewriting it. */
  | 'kubelet-config'
  /** kubeadm-kubelet-env<random> (kubeadm ≥1.35, postupgrade.go): the kubelet's kubeadm-flags.env saved before rewriting it. */
  | 'kubelet-env'
  /** An etcd snapshot (`etcdctl snapshot save`) the extension took before an upgrade. */
  | 'etcd-snapshot'
  | 'other';

export interface BackupTime {
  /** `2025-03-25` */
  readonly date: string;
  /** `17:13:19`, node local time (kubeadm names folders with the node's clock and zone). */
  readonly time: string;
  /** `2025-03-25T17:13:19` (no zone: node local time). */
  readonly iso: string;
}

export interface BackupFile {
  /** Path relative to the backup folder, e.g. `kube-apiserver.yaml`, `etcd/member/snap/db`. */
  readonly path: string;
  readonly sizeKb: number;
  readonly directory: boolean;
}

export interface Backup {
  readonly name: string;
  /** Absolute path on the node. */
  readonly path: string;
  readonly kind: BackupKind;
  /** Parsed from the folder name; null for names without a timestamp (working copies). */
  readonly time: BackupTime | null;
  /** Modification time (seconds since the epoch) when the listing had it. */
  readonly mtime: number | null;
  readonly sizeKb: number;
  readonly files: readonly BackupFile[];
  /** etcd backups: whether `etcd/member` is inside. */
  readonly etcdMember: boolean;
  /** No file inside at all (an external-etcd etcd backup is empty). */
  readonly empty: boolean;
  /** manifests backups: the components whose manifest kubeadm replaced (`kube-apiserver`, `etcd`, ...). */
  readonly replacedComponents: readonly string[];
}

export interface NodeBackups {
  /** False when the node has no /etc/kubernetes/tmp at all (kubeadm never upgraded it). */
  readonly tmpExists: boolean;
  readonly backups: readonly Backup[];
  /** Lines of the listing that were not understood (kept, never thrown away silently). */
  readonly unparsed: readonly string[];
}
