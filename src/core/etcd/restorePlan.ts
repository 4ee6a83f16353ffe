import { ETCD_SNAPSHOT_DIR } from '../nodePaths';
import { quote, raw, validateNodeName, type ShellCommand } from '../exec/shell';
import { initialClusterOf, type EtcdMember } from './manifest';
import {
  apiServesCommand,
  BUMP_REVISION,
  etcdHealthyCommand,
  prepareEtcdutlCommand,
  restartComponentsCommand,
  RESTART_KUBELET,
  restoreMemberCommand,
  snapshotPresentCommand,
  startCommand,
  stopCommand,
  verifySnapshotCommand,
} from './restoreCommands';

/**
 * Restoring a kubeadm cluster's etcd from one snapshot, by topology, as one ordered procedure over every control
 * plane (etcd's op-guide "Disaster recovery: restoring a cluster"; Kubernetes "Operating etcd clusters: restoring an
 * etcd cluster"). Never a single-member restore on a cluster with several members: that makes a new one-member
 * cluster beside the live ones (split brain behind the load balancer).
 *
 *   prepare         nothing stopped yet: the snapshot on every control plane (sha256), etcdutl taken from the etcd image, the snapshot verified
 *   stop-apiservers every kube-apiserver stopped (manifest parked) and seen gone in `crictl ps`
 *   stop-etcd       every etcd stopped the same way
 *   restore         every member restored from the same file with its own --name/--initial-advertise-peer-urls/--data-dir,
 *                   the whole --initial-cluster, one new --initial-cluster-token, --bump-revision/--mark-compacted
 *   start-etcd      every etcd back; then one cluster id, every member healthy
 *   start-apiservers every kube-apiserver back
 *   restart         controller-manager, scheduler and kubelet on every control plane, then the kubelet of every worker
 *   check           the API answers (`kubectl get nodes`)
 *
 * External etcd: the same order for the apiservers, and the etcd part as commands for the admin's own tooling (Copy
 * only: this tool does not reach external etcd members).
 */

/** The procedure in words, phase by phase, for views that show it before it is built for a cluster. */
export interface RestoreOutlineStep {
  readonly phase: string;
  readonly title: string;
  readonly detail: string;
}

export const RESTORE_OUTLINE: readonly RestoreOutlineStep[] = [
  { phase: 'prepare', title: 'Prepare every control plane', detail: 'The snapshot on each control plane (copied there where missing, sha256 checked), etcdutl taken out of the etcd image, the snapshot verified. Nothing is stopped yet.' },
  { phase: 'stop-apiservers', title: 'Stop every kube-apiserver', detail: 'Manifests parked; waits until crictl shows no kube-apiserver on any control plane.' },
  { phase: 'stop-etcd', title: 'Stop every etcd member', detail: 'The same for etcd: all members stop before any is restored.' },
  { phase: 'restore', title: 'Restore every member from the same snapshot', detail: 'Each with its own --name, peer URL and data dir from its manifest, the whole --initial-cluster, one new token, --bump-revision --mark-compacted; the old data dir is kept.' },
  { phase: 'start-etcd', title: 'Start etcd everywhere', detail: 'Then one cluster id and every member healthy.' },
  { phase: 'start-apiservers', title: 'Start every kube-apiserver', detail: 'Once etcd is healthy.' },
  { phase: 'restart', title: 'Restart controller-manager, scheduler and kubelets', detail: 'So none keeps state read before the restore.' },
  { phase: 'check', title: 'Check', detail: 'kubectl get nodes through the restored control plane.' },
];

export type RestoreTopology = 'stacked-single' | 'stacked-ha' | 'external';

export type RestoreStepKind =
  /** Run the command as root on the node through its executor. */
  | 'run'
  /** Run the command (exit 3 = missing): when missing, copy the local snapshot to the node first, then check again. */
  | 'stage-snapshot'
  /** Run the command; its output (`endpoint status -w json`) must show one cluster id and every member. */
  | 'check-etcd'
  /** Shown for the admin to run with their own tooling (external etcd); never run by this tool. */
  | 'copy-only';

export interface RestoreStep {
  /** Unique in the plan; also the detached step's name on the node. */
  readonly id: string;
  readonly phase: string;
  /** The node it runs on; null for copy-only steps about external etcd members. */
  readonly node: string | null;
  readonly title: string;
  readonly why: string;
  readonly command: ShellCommand;
  readonly kind: RestoreStepKind;
  /** A failure is reported but does not stop the procedure (a worker's kubelet restart). */
  readonly optional?: boolean;
}

export interface RestorePhase {
  readonly id: string;
  readonly title: string;
  readonly steps: readonly RestoreStep[];
}

export interface RestorePlan {
  readonly apiVersion: 'kubeadm-upgrade/v1';
  readonly kind: 'RestorePlan';
  readonly cluster: string;
  readonly topology: RestoreTopology;
  readonly snapshot: { readonly localPath: string | null; readonly nodePath: string; readonly sha256: string };
  readonly stamp: string;
  readonly controlPlanes: readonly string[];
  readonly members: readonly EtcdMember[];
  readonly initialCluster: string;
  readonly initialClusterToken: string;
  /** False for external etcd: the plan is to read and copy, not to run. */
  readonly runnable: boolean;
  readonly notes: readonly string[];
  readonly phases: readonly RestorePhase[];
}

export interface RestoreInput {
  readonly cluster: string;
  /** The snapshot: its sha256 (the record's, i.e. the node's at the time it was taken) and file name. */
  readonly snapshot: { readonly fileName: string; readonly sha256: string; readonly localPath: string | null };
  /** Control-plane node names, in the order to run (the first one runs the cluster-wide checks). */
  readonly controlPlanes: readonly string[];
  /** Each control plane's etcd member, from its manifest (empty for external etcd). */
  readonly members: readonly EtcdMember[];
  readonly workers: readonly string[];
  readonly external: boolean;
  /** External etcd: ClusterConfiguration etcd.external.endpoints, for the copy-only steps. */
  readonly externalEndpoints?: readonly string[];
  /** UTC time stamp `YYYYMMDDTHHMMSSZ`: names the parked manifests, the kept data dirs and the cluster token. */
  readonly stamp: string;
}

export class RestorePlanError extends Error {}

export function buildRestorePlan(input: RestoreInput): RestorePlan {
  if (!/^\d{8}T\d{6}Z$/.test(input.stamp)) throw new RestorePlanError(`bad stamp ${input.stamp}`);
  if (!/^[A-Za-z0-9._-]+$/.test(input.snapshot.fileName)) throw new RestorePlanError(`bad snapshot file name ${input.snapshot.fileName}`);
  if (!/^[0-9a-f]{64}$/.test(input.snapshot.sha256)) throw new RestorePlanError(`bad sha256 ${input.snapshot.sha256}`);
  if (input.controlPlanes.length === 0) throw new RestorePlanError(`${input.cluster} has no control-plane node`);
  [...input.controlPlanes, ...input.workers].forEach(validateNodeName);
  const nodePath = `${ETCD_SNAPSHOT_DIR}/${input.snapshot.fileName}`;
  const token = `kubeadm-upgrade-restore-${input.stamp.toLowerCase()}`;
  const base = { apiVersion: 'kubeadm-upgrade/v1', kind: 'RestorePlan', cluster: input.cluster, snapshot: { localPath: input.snapshot.localPath, nodePath, sha256: input.snapshot.sha256 }, stamp: input.stamp, controlPlanes: input.controlPlanes } as const;
  if (input.external) return externalPlan(input, base, token);

  const missing = input.controlPlanes.filter((n) => !input.members.some((m) => m.node === n));
  if (missing.length) throw new RestorePlanError(`no etcd member read from ${missing.join(', ')}: every control plane's etcd must be restored together (read /etc/kubernetes/manifests/etcd.yaml there)`);
  const members = input.controlPlanes.map((n) => input.members.find((m) => m.node === n)!);
  const initialCluster = initialClusterOf(members);
  const topology: RestoreTopology = members.length === 1 ? 'stacked-single' : 'stacked-ha';
  const cps = input.controlPlanes;
  const first = cps[0]!;
  const stamp = input.stamp;
  const each = (phase: string, make: (node: string, m: EtcdMember) => Omit<RestoreStep, 'id' | 'phase' | 'node'>): RestoreStep[] =>
    members.map((m) => ({ id: `${phase}-${m.node}`, phase, node: m.node, ...make(m.node, m) }));

  const phases: RestorePhase[] = [
    {
      id: 'prepare',
      title: 'Prepare every control plane (nothing is stopped yet)',
      steps: [
        ...each('stage', () => ({
          title: 'Snapshot on the node',
          why: `Every member is restored from the same file, ${nodePath} (sha256 ${input.snapshot.sha256}).` + (input.snapshot.localPath ? ` Copied from ${input.snapshot.localPath} where it is missing.` : ''),
          command: snapshotPresentCommand(nodePath, input.snapshot.sha256),
          kind: 'stage-snapshot',
        })),
        ...each('etcdutl', (_n, m) => ({
          title: 'Take etcdutl out of the etcd image',
          why: 'etcd will be stopped during the restore, and a kubeadm host has no etcdutl of its own: the host\'s if any, else the running etcd container\'s binary, else the image mounted with ctr.',
          command: prepareEtcdutlCommand(m, stamp),
          kind: 'run',
        })),
        ...each('verify', () => ({
          title: 'Verify the snapshot',
          why: 'sha256 and etcdutl snapshot status (hash, revision, keys) before anything stops.',
          command: verifySnapshotCommand(nodePath, input.snapshot.sha256, stamp),
          kind: 'run',
        })),
      ],
    },
    {
      id: 'stop-apiservers',
      title: 'Stop every kube-apiserver',
      steps: each('stop-apiserver', () => ({
        title: 'Stop kube-apiserver',
        why: 'No apiserver may write to etcd or serve its cache while etcd goes back in time. The manifest is parked (the kubelet stops the static pod) and crictl must show no kube-apiserver running.',
        command: stopCommand(['kube-apiserver'], stamp),
        kind: 'run',
      })),
    },
    {
      id: 'stop-etcd',
      title: 'Stop every etcd member',
      steps: each('stop-etcd', () => ({
        title: 'Stop etcd',
        why: 'Every member stops before any is restored, so no old member can talk to a restored one. crictl must show no etcd running.',
        command: stopCommand(['etcd'], stamp),
        kind: 'run',
      })),
    },
    {
      id: 'restore',
      title: 'Restore every member from the same snapshot',
      steps: each('restore', (_n, m) => ({
        title: `Restore member ${m.name}`,
        why: `--name ${m.name}, --initial-advertise-peer-urls ${m.peerUrls} and --data-dir ${m.dataDir} from this node's etcd manifest; --initial-cluster ${initialCluster} (every member); one new --initial-cluster-token for all; --bump-revision ${BUMP_REVISION} --mark-compacted so watchers relist instead of seeing revisions go back. The current member data is kept as ${m.dataDir}/.before-restore-${stamp}/member.`,
        command: restoreMemberCommand(m, nodePath, initialCluster, token, stamp),
        kind: 'run',
      })),
    },
    {
      id: 'start-etcd',
      title: 'Start etcd everywhere, then check it',
      steps: [
        ...each('start-etcd', () => ({ title: 'Start etcd', why: 'The etcd manifest goes back; the kubelet starts the member on the restored data.', command: startCommand(['etcd'], stamp), kind: 'run' as const })),
        {
          id: 'check-etcd',
          phase: 'start-etcd',
          node: first,
          title: 'One cluster, every member healthy',
          why: `etcdctl endpoint health --cluster until every member answers, then endpoint status: one cluster id and ${members.length} member(s).`,
          command: etcdHealthyCommand(),
          kind: 'check-etcd',
        },
      ],
    },
    {
      id: 'start-apiservers',
      title: 'Start every kube-apiserver',
      steps: each('start-apiserver', () => ({ title: 'Start kube-apiserver', why: 'The manifest goes back once etcd is healthy.', command: startCommand(['kube-apiserver'], stamp), kind: 'run' })),
    },
    {
      id: 'restart',
      title: 'Restart the controller-manager, the scheduler and the kubelets',
      steps: [
        ...each('restart', () => ({
          title: 'Restart kube-controller-manager, kube-scheduler and the kubelet',
          why: 'So none of them keeps state read before the restore ("Operating etcd clusters").',
          command: restartComponentsCommand(),
          kind: 'run',
        })),
        ...input.workers.map((w) => ({ id: `restart-kubelet-${w}`, phase: 'restart', node: w, title: 'Restart the kubelet', why: 'Workers\' kubelets too; a worker that cannot be reached is reported and does not stop the procedure.', command: RESTART_KUBELET, kind: 'run' as const, optional: true })),
      ],
    },
    {
      id: 'check',
      title: 'Check the cluster',
      steps: [{ id: 'check-api', phase: 'check', node: first, title: 'The API serves', why: 'kubectl get nodes through the restored control plane.', command: apiServesCommand(), kind: 'run' }],
    },
  ];
  const notes = [
    topology === 'stacked-ha'
      ? `${members.length} stacked etcd members (${members.map((m) => m.name).join(', ')}): all are stopped and restored from the same snapshot, never one alone.`
      : 'One stacked etcd member.',
    `The previous data of each member stays in <data-dir>/.before-restore-${stamp}/member; the parked manifests and etcdutl in /var/lib/kubeadm-upgrade/restore/${stamp}.`,
    'Everything written to the cluster after the snapshot was taken is lost.',
  ];
  return { ...base, topology, members, initialCluster, initialClusterToken: token, runnable: true, notes, phases };
}

function externalPlan(input: RestoreInput, base: Pick<RestorePlan, 'apiVersion' | 'kind' | 'cluster' | 'snapshot' | 'stamp' | 'controlPlanes'>, token: string): RestorePlan {
  const cps = input.controlPlanes;
  const endpoints = input.externalEndpoints ?? [];
  const copy = (id: string, phase: string, node: string | null, title: string, why: string, command: ShellCommand): RestoreStep => ({ id, phase, node, title, why, command, kind: 'copy-only' });
  const restoreTemplate = raw(
    `etcdutl snapshot restore <snapshot file> --name <this member's --name> --initial-cluster <name1=https://ip1:2380,...every member> ` +
      `--initial-cluster-token ${quote(token)} --initial-advertise-peer-urls <this member's peer URL> --data-dir <a new data dir> --bump-revision ${BUMP_REVISION} --mark-compacted`,
  );
  const phases: RestorePhase[] = [
    { id: 'stop-apiservers', title: 'Stop every kube-apiserver', steps: cps.map((n) => copy(`stop-apiserver-${n}`, 'stop-apiservers', n, 'Stop kube-apiserver', 'Run as root on this control plane: parks the manifest and waits until crictl shows no kube-apiserver.', stopCommand(['kube-apiserver'], input.stamp))) },
    {
      id: 'restore',
      title: 'Restore the external etcd cluster with your tooling',
      steps: [
        copy('stop-etcd-external', 'restore', null, 'Stop every etcd member', `Stop etcd on every member of the external cluster (${endpoints.join(', ') || 'ClusterConfiguration etcd.external.endpoints'}) the way it is run there (systemd unit, static pod, …). All of them before any is restored.`, raw('systemctl stop etcd   # on every external etcd member, or however etcd is run there')),
        copy('restore-external', 'restore', null, 'Restore every member from the same snapshot', 'On every member, with that member\'s own values filled in where the <…> are: its --name, its peer URL, all members in --initial-cluster, the same token for all, a new data dir; then point etcd at that data dir.', restoreTemplate),
        copy('start-etcd-external', 'restore', null, 'Start every etcd member, then check', 'One cluster id and every member healthy before the apiservers start.', raw('systemctl start etcd   # on every member; then: etcdctl endpoint status --cluster -w table && etcdctl endpoint health --cluster')),
      ],
    },
    { id: 'start-apiservers', title: 'Start every kube-apiserver', steps: cps.map((n) => copy(`start-apiserver-${n}`, 'start-apiservers', n, 'Start kube-apiserver', 'Run as root on this control plane once etcd is healthy.', startCommand(['kube-apiserver'], input.stamp))) },
    { id: 'restart', title: 'Restart the controller-manager, the scheduler and the kubelets', steps: [...cps.map((n) => copy(`restart-${n}`, 'restart', n, 'Restart kube-controller-manager, kube-scheduler and the kubelet', 'Run as root on this control plane.', restartComponentsCommand())), ...input.workers.map((w) => copy(`restart-kubelet-${w}`, 'restart', w, 'Restart the kubelet', 'Run as root on this worker.', RESTART_KUBELET))] },
    { id: 'check', title: 'Check the cluster', steps: [copy('check-api', 'check', cps[0]!, 'The API serves', 'Run as root on a control plane.', apiServesCommand())] },
  ];
  return {
    ...base,
    topology: 'external',
    members: [],
    initialCluster: '',
    initialClusterToken: token,
    runnable: false,
    notes: ['External etcd (ClusterConfiguration etcd.external): kubeadm does not manage it and this tool does not reach its members. These steps are for your own tooling: Copy, fill in the <…>, run.'],
    phases,
  };
}

/** Every step in order. */
export function planSteps(plan: RestorePlan): RestoreStep[] {
  return plan.phases.flatMap((p) => p.steps);
}
