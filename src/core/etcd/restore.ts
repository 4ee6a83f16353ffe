import { raw, sh, validatePath } from '../exec/shell';
import type { RecoveryStep } from '../backups/recovery';
import { ETCD_DATA_DIR, MANIFESTS_DIR } from '../backups/paths';
import type { SnapshotRecord } from './snapshot';

/**
 * Restoring a kubeadm stacked-etcd member from one snapshot file, as steps filled in for that file. Each changes the
 * node (danger `restore`) and runs only after its own confirmation. On an HA cluster every member is restored from
 * the same file with its own --name/--initial-cluster (etcd docs "Restoring a cluster"); these steps are the
 * single-member case kubeadm's docs show.
 */
export function snapshotRestoreSteps(record: SnapshotRecord, stamp: string): RecoveryStep[] {
  validatePath(record.remotePath);
  if (!/^[0-9TZ]+$/.test(stamp)) throw new Error(`bad stamp ${stamp}`);
  const restored = `${ETCD_DATA_DIR}-restore-${stamp}`;
  const before = `${ETCD_DATA_DIR}-before-restore-${stamp}`;
  const parked = `/etc/kubernetes/etcd.yaml.restore-${stamp}`;
  return [
    { id: 'etcd-verify', title: 'Verify the snapshot on the node', why: `sha256 must be ${record.sha256}; etcdutl prints hash, revision, keys and size.`, command: sh`sha256sum ${record.remotePath} && etcdutl snapshot status ${record.remotePath} -w table`, danger: 'safe' },
    { id: 'etcd-restore-dir', title: 'Restore the snapshot into a new data dir', why: `etcdutl writes a fresh data dir (${restored}); nothing running is touched yet.`, command: sh`etcdutl snapshot restore ${record.remotePath} --data-dir ${restored}`, danger: 'restore' },
    { id: 'etcd-stop', title: 'Stop etcd and the kubelet', why: 'Moving the etcd manifest out of the manifests folder stops the static pod; stopping the kubelet keeps it from coming back meanwhile.', command: sh`mv ${`${MANIFESTS_DIR}/etcd.yaml`} ${parked} && systemctl stop kubelet`, danger: 'restore' },
    { id: 'etcd-swap-dir', title: 'Move the data dir aside and the restored one in', why: `The current data is kept at ${before}.`, command: sh`mv ${ETCD_DATA_DIR} ${before} && mv ${restored} ${ETCD_DATA_DIR}`, danger: 'restore' },
    { id: 'etcd-start', title: 'Start etcd and the kubelet again', why: 'The manifest goes back, the kubelet starts the etcd static pod on the restored data.', command: sh`mv ${parked} ${`${MANIFESTS_DIR}/etcd.yaml`} && systemctl start kubelet`, danger: 'restore' },
    { id: 'etcd-check', title: 'Check the cluster', why: 'The API answers again once etcd and the apiserver are back.', command: raw('kubectl --kubeconfig /etc/kubernetes/admin.conf get nodes'), danger: 'safe' },
  ];
}
