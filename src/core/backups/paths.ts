/** Where kubeadm writes its backups and working copies (kubeadmconstants.TempDir). */
export const KUBEADM_TMP = '/etc/kubernetes/tmp';
/** Where the extension saves etcd snapshots before an upgrade (`etcd-snapshot-<YYYY-MM-DD-HH-MM-SS>.db`). */
export const ETCD_SNAPSHOT_DIR = '/var/lib/kubeadm-upgrade/etcd-snapshots';
export const MANIFESTS_DIR = '/etc/kubernetes/manifests';
export const ETCD_DATA_DIR = '/var/lib/etcd';
export const ADMIN_CONF = '/etc/kubernetes/admin.conf';
