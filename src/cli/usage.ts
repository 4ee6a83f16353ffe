// The usage line of each CLI command, apart from the commands' code: `kubeadm-upgrade --help` prints them all
// without loading any command module (src/cli.ts loads a command's module only when that command runs).

export const DRAIN_USAGE =
  'kubeadm-upgrade drain NODE [--kubeconfig FILE] [--context NAME] [--timeout 5m] [--grace-period N] [--force] [--delete-emptydir-data] [--disable-eviction] [--skip-wait-for-delete-timeout N]';
export const CORDON_USAGE =
  'kubeadm-upgrade cordon NODE [--kubeconfig FILE] [--context NAME]';
export const UNCORDON_USAGE =
  'kubeadm-upgrade uncordon NODE [--kubeconfig FILE] [--context NAME]';
export const PARSE_PLAN_USAGE =
  'kubeadm-upgrade parse-plan [FILE|-] [--json]';
export const SKEW_USAGE =
  'kubeadm-upgrade skew (--kubeconfig FILE [--context NAME] | --from-file FILE ...) [--target vX.Y.Z] [--kubectl-version vX.Y.Z] [--kubeadm-version NODE=vX.Y.Z ...] [--json]';
export const UPGRADE_NODE_USAGE =
  'kubeadm-upgrade upgrade-node NODE --to vX.Y.Z [--kubeconfig F] [--context C] [--ssh-config F] [--local] [--accept-new-host-keys] [--dry-run] [--yes]';
