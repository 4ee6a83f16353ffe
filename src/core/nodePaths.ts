/** Where kubeadm writes its backups and working copies (kubeadmconstants.TempDir). */
export const KUBEADM_TMP = '/etc/kubernetes/tmp';
/** Where the extension saves etcd snapshots before an upgrade (`etcd-snapshot-<YYYY-MM-DD-HH-MM-SS>.db`). */
export const ETCD_SNAPSHOT_DIR = '/var/lib/kubeadm-upgrade/etcd-snapshots';
export const MANIFESTS_DIR = '/etc/kubernetes/manifests';
export const ETCD_DATA_DIR = '/var/lib/etcd';
export const ADMIN_CONF = '/etc/kubernetes/admin.conf';
/** The kubelet's flags written by kubeadm (`KUBELET_KUBEADM_ARGS`), which kubeadm ≥1.35 backs up before an upgrade rewrites it. */
export const KUBELET_ENV_FILE = '/var/lib/kubelet/kubeadm-flags.env';
