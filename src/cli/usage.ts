// Every CLI command: its usage line and its module, apart from the commands' code: `kubeadm-upgrade --help` prints them
// all without loading any command module, and src/cli.ts loads a command's module only when that command runs.
// A new command is its module (src/cli/<name>Command.ts) and one usage line and one row of COMMANDS here.

export const UPGRADE_OPTIONS_USAGE =
  '[--no-certificate-renewal] [--no-etcd-upgrade] [--stop-apiserver-first] [--drain-timeout 5m] [--grace-period N] [--force] [--delete-emptydir-data] [--disable-eviction] [--ready-timeout 5m] [--patches DIR] [--no-pre-pull] [--images-archive FILE]';
export const DRAIN_USAGE =
  'kubeadm-upgrade drain NODE [--kubeconfig FILE] [--context NAME] [--timeout 5m] [--grace-period N] [--force] [--delete-emptydir-data] [--disable-eviction] [--skip-wait-for-delete-timeout N] [--ignore-lock]';
export const CORDON_USAGE =
  'kubeadm-upgrade cordon NODE [--kubeconfig FILE] [--context NAME] [--ignore-lock]';
export const UNCORDON_USAGE =
  'kubeadm-upgrade uncordon NODE [--kubeconfig FILE] [--context NAME] [--ignore-lock]';
export const PARSE_PLAN_USAGE =
  'kubeadm-upgrade parse-plan [FILE|-] [--json]';
export const SKEW_USAGE =
  'kubeadm-upgrade skew (--kubeconfig FILE [--context NAME] | --from-file FILE ...) [--target vX.Y.Z] [--kubectl-version vX.Y.Z] [--kubeadm-version NODE=vX.Y.Z ...] [--json]';
export const UPGRADE_NODE_USAGE =
  'kubeadm-upgrade upgrade-node NODE --to vX.Y.Z [--kubeconfig F] [--context C] [--ssh-config F] [--local] [--accept-new-host-keys] [--dry-run] [--yes] [--override CHECK_ID]… [--skip-snapshot] [--take-over-expired-lock] ' + UPGRADE_OPTIONS_USAGE;
export const EXPLAIN_USAGE = 'kubeadm-upgrade explain [FILE|-] [--json] [--node NAME] [--target vX.Y.Z]';
export const PLAN_USAGE = 'kubeadm-upgrade plan [--node CP] [--to vX.Y.Z] [--kubeconfig F] [--context C] [--ssh-config F] [--accept-new-host-keys] [--json]';
export const PREFLIGHT_USAGE =
  'kubeadm-upgrade preflight --to vX.Y.Z [--patches DIR] [--kubeconfig F] [--context C] [--ssh-config F] [--accept-new-host-keys] [--json]';
export const RESUME_USAGE = 'kubeadm-upgrade resume [--kubeconfig F] [--context C] [--ssh-config F] [--accept-new-host-keys] [--take-over-expired-lock] [--skip-deleted-nodes] [--override CHECK_ID[:NODE]]… [--json]';
export const SNAPSHOT_ETCD_USAGE =
  'kubeadm-upgrade snapshot-etcd [--node CP] [--out DIR] [--kubeconfig F] [--context C] [--ssh-config F] [--accept-new-host-keys] [--json]';
export const RESTORE_ETCD_USAGE =
  'kubeadm-upgrade restore-etcd --snapshot FILE [--dry-run] [--yes] [--json] [--control-planes CP,…] [--workers W,…] [--kubeconfig F] [--context C] [--ssh-config F] [--accept-new-host-keys] [--state-dir DIR]';
export const UPGRADE_CLUSTER_USAGE = `kubeadm-upgrade upgrade-cluster --to vX.Y.Z [--max-unavailable N|P%] [--kubeconfig F] [--context C] [--ssh-config F] [--accept-new-host-keys] [--skip-snapshot] [--override CHECK_ID[:NODE]]… [--take-over-expired-lock] [--yes] [--json] ${UPGRADE_OPTIONS_USAGE}`;
export const VERIFY_USAGE = 'kubeadm-upgrade verify --to vX.Y.Z [--kubeconfig F] [--context C] [--json]';
export const DIFF_USAGE = 'kubeadm-upgrade diff --node CP --to vX.Y.Z [--patches DIR] [--kubeconfig F] [--context C] [--ssh-config F] [--accept-new-host-keys] [--json]';

type Command = (argv: string[], out: (s: string) => void, err: (s: string) => void) => Promise<number>;

/** A command whose module (and everything it imports) is loaded only when it runs: `--help` and each command start fast. */
const lazy =
  (load: () => Promise<Command>): Command =>
  async (argv, out, err) =>
    (await load())(argv, out, err);

/** The commands in `--help`'s order. */
export const COMMANDS: readonly { readonly name: string; readonly usage: string; readonly run: Command }[] = [
  { name: 'skew', usage: SKEW_USAGE, run: lazy(async () => (await import('./skewCommand')).skewCommand) },
  { name: 'parse-plan', usage: PARSE_PLAN_USAGE, run: lazy(async () => (await import('./parsePlanCommand')).parsePlanCommand) },
  { name: 'upgrade-node', usage: UPGRADE_NODE_USAGE, run: lazy(async () => (await import('./upgradeNodeCommand')).upgradeNodeCommand) },
  { name: 'upgrade-cluster', usage: UPGRADE_CLUSTER_USAGE, run: lazy(async () => (await import('./upgradeClusterCommand')).upgradeClusterCommand) },
  { name: 'resume', usage: RESUME_USAGE, run: lazy(async () => (await import('./resumeCommand')).resumeCommand) },
  { name: 'verify', usage: VERIFY_USAGE, run: lazy(async () => (await import('./verifyCommand')).verifyCommand) },
  { name: 'plan', usage: PLAN_USAGE, run: lazy(async () => (await import('./planCommand')).planCommand) },
  { name: 'diff', usage: DIFF_USAGE, run: lazy(async () => (await import('./diffCommand')).diffCommand) },
  { name: 'drain', usage: DRAIN_USAGE, run: lazy(async () => (await import('./drainCommands')).drainCommand) },
  { name: 'cordon', usage: CORDON_USAGE, run: lazy(async () => (await import('./drainCommands')).cordonCommand) },
  { name: 'uncordon', usage: UNCORDON_USAGE, run: lazy(async () => (await import('./drainCommands')).uncordonCommand) },
  { name: 'explain', usage: EXPLAIN_USAGE, run: lazy(async () => (await import('./explainCommand')).explainCommand) },
  { name: 'preflight', usage: PREFLIGHT_USAGE, run: lazy(async () => (await import('./preflightCommand')).preflightCommand) },
  { name: 'snapshot-etcd', usage: SNAPSHOT_ETCD_USAGE, run: lazy(async () => (await import('./snapshotEtcdCommand')).snapshotEtcdCommand) },
  { name: 'restore-etcd', usage: RESTORE_ETCD_USAGE, run: lazy(async () => (await import('./restoreEtcdCommand')).restoreEtcdCommand) },
  { name: 'completion', usage: 'kubeadm-upgrade completion bash|zsh', run: lazy(async () => (await import('./completion')).completionCommand) },
];
