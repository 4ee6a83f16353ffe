// The "Recovering from a failure state" section of the kubeadm upgrade docs, as commands filled in for one node and
// one backup. Every value goes through `sh`, so a folder or version cannot break out of its argument.
import { raw, sh, type ShellCommand } from '../exec/shell';
import { formatVersion, parseVersion } from '../version';
import { ADMIN_CONF, ETCD_DATA_DIR, KUBELET_ENV_FILE, MANIFESTS_DIR } from '../nodePaths';
import type { Backup } from './types';

export type StepDanger = 'safe' | 'restore';

export interface RecoveryStep {
  readonly id: string;
  readonly title: string;
  /** Why and when, in the docs' words where they have them. */
  readonly why: string;
  /** Null when the step cannot be filled in (e.g. the current version is unknown); `why` says what is missing. */
  readonly command: ShellCommand | null;
  /** restore: changes the node's files or stops services; never run without an explicit confirmation. */
  readonly danger: StepDanger;
}

export interface RecoveryInput {
  readonly node: string;
  /** The kubeadm-backup-manifests folder to restore from, if any. */
  readonly manifests: Backup | null;
  /** The kubeadm-backup-etcd folder of the same run, if any. */
  readonly etcd: Backup | null;
  /** The version the cluster runs now (for `kubeadm upgrade apply --force` "without changing the version"). */
  readonly currentVersion: string | null;
  /** The version the failed upgrade was going to, when known. */
  readonly targetVersion: string | null;
  /** External etcd: kubeadm does not back it up (the etcd backup folder is empty). */
  readonly etcdExternal: boolean;
  /** The kubeadm-kubelet-env folder (kubeadm ≥1.35) holding the kubelet's previous kubeadm-flags.env, if any. */
  readonly kubeletEnv?: Backup | null;
}

/** Ordered steps: least invasive first, restores after, verification last. */
export function recoverySteps(input: RecoveryInput): RecoveryStep[] {
  return [rerun(input), force(input), ...restoreManifests(input), ...restoreEtcd(input), ...restoreKubeletEnv(input), ...verify(input.node)];
}

/** kubeadm ≥1.35 rewrites /var/lib/kubelet/kubeadm-flags.env (the kubelet's flags) and keeps the old one first. */
function restoreKubeletEnv(input: RecoveryInput): RecoveryStep[] {
  const b = input.kubeletEnv;
  if (!b || !b.files.some((f) => f.path === 'kubeadm-flags.env')) return [];
  return [
    {
      id: 'restore-kubelet-env',
      title: `Restore the kubelet's flags file from ${b.name}`,
      why:
        `${b.name} holds the ${KUBELET_ENV_FILE} kubeadm replaced (kubeadm 1.35 and later save it before writing the new one). If the kubelet ` +
        'no longer starts after the upgrade because of a flag in the new file, copy the old one back and restart the kubelet.',
      command: sh`sudo cp -p -- ${`${b.path}/kubeadm-flags.env`} ${KUBELET_ENV_FILE} && sudo systemctl restart kubelet`,
      danger: 'restore',
    },
  ];
}

function rerun(input: RecoveryInput): RecoveryStep {
  const target = version(input.targetVersion);
  return {
    id: 'rerun',
    title: 'Run kubeadm upgrade again',
    why:
      'If kubeadm upgrade failed and did not roll back (for example the node shut down during it), run it again: the command is idempotent and ' +
      'eventually makes the actual state the desired state. On the first control-plane node re-run `kubeadm upgrade apply`' +
      (target ? ` ${target}` : ' with the same version') +
      '; on the other control-plane nodes `kubeadm upgrade node`.',
    command: target ? sh`sudo kubeadm upgrade apply --yes ${target}` : raw('sudo kubeadm upgrade node'),
    // It rewrites manifests, certificates and ConfigMaps: a change to the node, never offered as the primary action.
    danger: 'restore',
  };
}

function force(input: RecoveryInput): RecoveryStep {
  const current = version(input.currentVersion);
  return {
    id: 'force',
    title: current ? `Force the control plane back into shape at ${current}` : 'Force the control plane back into shape at its current version',
    why:
      'To recover from a bad state you can also run `kubeadm upgrade apply --force` without changing the version the cluster runs: kubeadm rewrites ' +
      'the static Pod manifests of this node for that version.' +
      (current ? '' : ' The current version is unknown here: fill it in from `kubectl version` or the kubeadm-config ConfigMap.'),
    command: current ? sh`sudo kubeadm upgrade apply --force ${current}` : null,
    danger: 'restore',
  };
}

function restoreManifests(input: RecoveryInput): RecoveryStep[] {
  const b = input.manifests;
  if (!b) return [];
  const files = b.files.filter((f) => !f.directory && f.path.endsWith('.yaml') && !f.path.includes('/')).map((f) => `${b.path}/${f.path}`);
  const which = b.replacedComponents.length ? b.replacedComponents.join(', ') : 'none';
  return [
    {
      id: 'restore-manifests',
      title: `Restore the static Pod manifests from ${b.name}`,
      why:
        `${b.name} holds the manifests kubeadm replaced (${which}). If the upgrade failed and the automatic rollback did not work, copy them back to ` +
        `${MANIFESTS_DIR}; the kubelet restarts those components within seconds. kubeadm writes no backup for a component whose manifest did not change.`,
      command: files.length ? sh`sudo cp -p -- ${files} ${MANIFESTS_DIR}/` : null,
      danger: 'restore',
    },
  ];
}

function restoreEtcd(input: RecoveryInput): RecoveryStep[] {
  const b = input.etcd;
  if (input.etcdExternal) {
    return [
      {
        id: 'etcd-external',
        title: 'etcd is external: nothing to restore here',
        why: 'With external etcd kubeadm does not upgrade or back up etcd (its backup folder is empty). Restore etcd with your etcd cluster\'s own backups.',
        command: null,
        danger: 'safe',
      },
    ];
  }
  if (!b || !b.etcdMember) return [];
  const member = `${ETCD_DATA_DIR}/member`;
  return [
    {
      id: 'etcd-stop-kubelet',
      title: 'Stop the kubelet',
      why: 'So it does not restart etcd while its data is replaced.',
      command: raw('sudo systemctl stop kubelet'),
      danger: 'restore',
    },
    {
      id: 'etcd-stop-etcd',
      title: 'Stop the etcd container',
      why: 'The etcd static Pod keeps running after the kubelet stops; stop its container through the CRI.',
      command: sh`sudo crictl ps -q --name ${'^etcd$'} | xargs -r sudo crictl stop`,
      danger: 'restore',
    },
    {
      id: 'etcd-move-aside',
      title: `Move the current etcd data aside`,
      why: `Keeps today's ${member} (renamed with the time) in case it is needed after all.`,
      command: sh`sudo mv ${member} ${member}.before-restore-$(date +%Y-%m-%d-%H-%M-%S)`,
      danger: 'restore',
    },
    {
      id: 'etcd-restore',
      title: `Restore the etcd member data from ${b.name}`,
      why:
        `${b.name} contains a backup of the local etcd member data of this control-plane node. If the etcd upgrade failed and the automatic rollback ` +
        `does not work, its contents can be restored in ${ETCD_DATA_DIR}. With several control-plane nodes (stacked etcd), an old copy of one member ` +
        'can diverge from the others: prefer restoring only when this member is broken and the others are healthy, or restore the whole cluster from an etcd snapshot.',
      command: sh`sudo cp -a -- ${b.path + '/etcd/member'} ${ETCD_DATA_DIR}/`,
      danger: 'restore',
    },
    {
      id: 'etcd-start-kubelet',
      title: 'Start the kubelet',
      why: 'The kubelet starts etcd (and the other static Pods) again from the manifests.',
      command: raw('sudo systemctl start kubelet'),
      danger: 'restore',
    },
  ];
}

function verify(node: string): RecoveryStep[] {
  return [
    {
      id: 'verify-nodes',
      title: 'Check the nodes',
      why: 'Every node should be Ready, with the kubelet version you expect.',
      command: sh`sudo kubectl --kubeconfig ${ADMIN_CONF} get nodes -o wide`,
      danger: 'safe',
    },
    {
      id: 'verify-pods',
      title: `Check the control-plane pods on ${node}`,
      why: 'kube-apiserver, kube-controller-manager, kube-scheduler and etcd should be Running, with the image versions you expect.',
      command: sh`sudo kubectl --kubeconfig ${ADMIN_CONF} -n kube-system get pods -l tier=control-plane -o wide --field-selector ${'spec.nodeName=' + node}`,
      danger: 'safe',
    },
  ];
}

function version(v: string | null): string | null {
  const p = parseVersion(v);
  return p ? formatVersion(p) : null;
}
