// The recovery steps of one backup run, grouped by the situation they answer. The kubeadm docs list re-running,
// forcing, restoring the manifests and restoring etcd as alternatives; numbered as one sequence they read as a
// procedure, and an admin who runs 1→10 rolls a healthy node back. Each situation is a short procedure of its own.
import type { RecoveryStep } from './recovery';

export type SituationId = 'apply-not-rolled-back' | 'control-plane-broken' | 'etcd-broken' | 'kubelet-broken';

export interface RecoverySituation {
  readonly id: SituationId;
  /** "kubeadm upgrade failed and did not roll back". */
  readonly title: string;
  /** How to recognise it, so the admin can tell whether it is theirs. Backticks are code. */
  readonly signs: string;
  /** The procedure: ids of the run's steps, in order. */
  readonly steps: readonly string[];
  /** Alternatives to one of the steps (never numbered into the sequence). */
  readonly instead: readonly { readonly step: string; readonly insteadOf: string; readonly when: string }[];
  /** Text pointing to another procedure (e.g. the etcd snapshot restore below), or null. */
  readonly pointer: string | null;
}

/** The section of the backups view whose snapshot restore procedure the etcd situation points to. */
export const ETCD_SNAPSHOTS_ANCHOR = 'etcd-snapshots';

export function recoverySituations(steps: readonly RecoveryStep[]): RecoverySituation[] {
  const has = (id: string) => steps.some((s) => s.id === id);
  const only = (...ids: string[]) => ids.filter(has);
  const out: RecoverySituation[] = [];
  out.push({
    id: 'apply-not-rolled-back',
    title: 'kubeadm upgrade failed and did not roll back',
    signs:
      'The run stopped during `kubeadm upgrade apply` or `kubeadm upgrade node` without kubeadm\'s own "rolled back" message: for example the node ' +
      'shut down or the connection dropped mid-way. (When kubeadm prints that it rolled back, the node is at its old version and nothing here is needed: fix the cause and run the upgrade again.)',
    steps: only('rerun', 'verify-pods', 'verify-nodes'),
    instead: [],
    pointer: null,
  });
  const manifests = has('restore-manifests');
  out.push({
    id: 'control-plane-broken',
    title: 'The control plane is broken after the upgrade',
    signs:
      '`kubeadm upgrade` ended, but on this node the kube-apiserver, kube-controller-manager or kube-scheduler does not stay Running (crash loop), ' +
      'or the API does not answer. Look first; then put the manifests kubeadm replaced back, and the kubelet restarts those components at their old version.',
    steps: manifests ? only('verify-pods', 'restore-manifests', 'verify-pods', 'verify-nodes') : only('verify-pods', 'force', 'verify-pods', 'verify-nodes'),
    instead: manifests && has('force') ? [{ step: 'force', insteadOf: 'restore-manifests', when: 'To keep the version the cluster runs now rather than go back' }] : [],
    pointer: null,
  });
  const external = has('etcd-external');
  const member = only('etcd-stop-kubelet', 'etcd-stop-etcd', 'etcd-move-aside', 'etcd-restore', 'etcd-start-kubelet');
  out.push({
    id: 'etcd-broken',
    title: 'etcd is broken',
    signs:
      'The etcd Pod on this node does not stay Running, or its data is lost or damaged (`etcdctl endpoint health` fails for this member), and kubeadm\'s automatic etcd rollback did not work.',
    steps: external ? ['etcd-external'] : member.length ? [...member, ...only('verify-pods', 'verify-nodes')] : [],
    instead: [],
    pointer: external
      ? null
      : 'To restore the whole cluster state (every member, with the member names and peer URLs of your topology), use an etcd snapshot: see ' +
        '"etcd snapshots (local copies)" below, which gives the restore procedure for each snapshot.' +
        (member.length ? ' The steps here put back only this member\'s data from the copy kubeadm made before upgrading etcd.' : ' This run has no etcd member backup to put back.'),
  });
  // kubeadm ≥ 1.35 keeps the kubelet's previous flags file: its own situation, only when that backup exists.
  if (has('restore-kubelet-env')) {
    out.push({
      id: 'kubelet-broken',
      title: 'The kubelet does not start after the upgrade',
      signs: '`systemctl status kubelet` shows it failing since the upgrade, and `journalctl -u kubelet` names a flag from `/var/lib/kubelet/kubeadm-flags.env`.',
      steps: only('restore-kubelet-env', 'verify-nodes'),
      instead: [],
      pointer: null,
    });
  }
  return out;
}
