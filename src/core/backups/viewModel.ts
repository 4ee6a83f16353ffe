// Backups of every control-plane node → what the "Backups and Recovery" webview shows. Pure.
import { auditLinks, findLogLines, lastUpgrade, type AuditEntryLike, type LastUpgrade, type LogLink } from './audit';
import { oldBackups, sameRun } from './cleanup';
import { recoverySteps, type RecoveryStep } from './recovery';
import { recordedUpgrade, rerunStep } from './rerun';
import { recoverySituations, type RecoverySituation } from './situations';
import { NOT_ROLLED_BACK, ROLLED_BACK, type RollbackFact } from './rollback';
import type { Backup, BackupTime, NodeBackups } from './types';
import type { EtcdSnapshotView } from './etcdSnapshots';
import { KUBEADM_TMP } from '../nodePaths';

/** One `kubeadm upgrade` run on a node: the manifests and etcd folders it created (same timestamp). */
export interface BackupRun {
  readonly id: string;
  readonly time: BackupTime;
  readonly manifests: Backup | null;
  readonly etcd: Backup | null;
  /** What the etcd part of this run holds, or why it is empty or absent. */
  readonly etcdNote: string;
  readonly logLines: readonly LogLink[];
  /** Every step of this run once (what the view may run); `situations` groups them. */
  readonly steps: readonly RecoveryStep[];
  /** The steps grouped by the situation they answer, each a procedure of its own. */
  readonly situations: readonly RecoverySituation[];
}

export interface NodeBackupsView {
  readonly node: string;
  readonly status: 'ok' | 'error';
  readonly error: string | null;
  /** What the audit log says about this node's last `kubeadm upgrade`, said before any recovery step; null: nothing recorded. */
  readonly lastUpgrade: LastUpgrade | null;
  readonly tmpExists: boolean;
  readonly runs: readonly BackupRun[];
  /** kubeadm-upgraded-manifests* and kubeadm-kubelet-config* folders. */
  readonly workingCopies: readonly Backup[];
  readonly snapshots: readonly Backup[];
  readonly others: readonly Backup[];
  /** Paths a cleanup would propose (all but the newest run). */
  readonly cleanupCandidates: readonly string[];
  readonly unparsed: readonly string[];
}

export interface BackupsViewModel {
  readonly kind: 'backups';
  readonly context: string | null;
  readonly nodes: readonly NodeBackupsView[];
  readonly rolledBack: readonly RollbackFact[];
  readonly notRolledBack: readonly RollbackFact[];
  readonly at: string | null;
  /** etcd snapshots this extension took and copied off the nodes (local folder), with restore steps. */
  readonly etcdSnapshots?: readonly EtcdSnapshotView[];
  /**
   * Set when no control plane has any backup yet (before the first upgrade): the view says once what will appear
   * and when, and offers an etcd snapshot, instead of "No kubeadm-backup-* folder" on every node.
   */
  readonly nothingYet: NothingYet | null;
}

export interface NothingYet {
  /** The control planes that were read and hold nothing. */
  readonly nodes: readonly string[];
  /** Markdown-ish text (backticks for code). */
  readonly text: string;
  /**
   * A snapshot of etcd before the upgrade, on the first of them that runs a local etcd: offered as Kubeadm: Snapshot
   * etcd (verified, copied off, recorded), the one snapshot path.
   */
  readonly snapshot: { readonly node: string } | null;
}

export interface NodeInput {
  readonly node: string;
  /** The parsed listing, or an error message when the node could not be read. */
  readonly listing: NodeBackups | { readonly error: string };
  /** true/false when the snapshot tells (no etcd static Pod on control-plane nodes = external); null when unknown. */
  readonly etcdExternal: boolean | null;
  readonly currentVersion: string | null;
  readonly targetVersion: string | null;
  /** Text of a saved apply log for this node (lines naming the folders), when there is one. */
  readonly auditLog: string | null;
  /** The extension's audit entries (commands run on nodes), to find the upgrade command that made a backup. */
  readonly auditEntries?: readonly AuditEntryLike[] | null;
}

export function backupsViewModel(context: string | null, nodes: readonly NodeInput[], at: string | null = null): BackupsViewModel {
  const views = nodes.map(nodeView);
  return { kind: 'backups', context, nodes: views, rolledBack: ROLLED_BACK, notRolledBack: NOT_ROLLED_BACK, at, nothingYet: nothingYet(nodes, views) };
}

const isEmpty = (n: NodeBackupsView) => n.status === 'ok' && n.runs.length === 0 && n.snapshots.length === 0 && n.workingCopies.length === 0 && n.others.length === 0;

function nothingYet(inputs: readonly NodeInput[], views: readonly NodeBackupsView[]): NothingYet | null {
  if (views.length === 0 || !views.every(isEmpty)) return null;
  const local = inputs.find((i) => i.etcdExternal !== true);
  return {
    nodes: views.map((v) => v.node),
    text:
      `No backup yet on ${views.map((v) => v.node).join(', ')}: nothing has been upgraded. During \`kubeadm upgrade apply\` (first control plane) and \`kubeadm upgrade node\` (the others), ` +
      `kubeadm writes \`kubeadm-backup-manifests-<date>\` (the static Pod manifests it replaces) and, for a local etcd (unless \`--etcd-upgrade=false\`), \`kubeadm-backup-etcd-<date>\` (the etcd data, copied even when etcd's version does not change) under \`${KUBEADM_TMP}\`. ` +
      'They appear here, with the recovery steps filled in, as soon as the first control plane has run its upgrade. kubeadm never removes them.',
    snapshot: local ? { node: local.node } : null,
  };
}

function nodeView(input: NodeInput): NodeBackupsView {
  if ('error' in input.listing) {
    return {
    node: input.node,
      status: 'error',
      error: input.listing.error,
      lastUpgrade: lastUpgrade(input.auditEntries, input.node),
      tmpExists: false,
      runs: [],
      workingCopies: [],
      snapshots: [],
      others: [],
      cleanupCandidates: [],
      unparsed: [],
    };
  }
  const backups = input.listing.backups;
  return {
    node: input.node,
    status: 'ok',
    error: null,
    lastUpgrade: lastUpgrade(input.auditEntries, input.node),
    tmpExists: input.listing.tmpExists,
    // The kubelet env file kubeadm saved last goes with the newest run (its folder has no timestamp, only an mtime).
    runs: groupRuns(backups).map((r, i) => runView(input, r.manifests, r.etcd, r.time, i === 0 ? newestKubeletEnv(backups) : null)),
    workingCopies: backups.filter((b) => b.kind === 'upgraded-manifests' || b.kind === 'kubelet-config' || b.kind === 'kubelet-env'),
    snapshots: backups.filter((b) => b.kind === 'etcd-snapshot'),
    others: backups.filter((b) => b.kind === 'other'),
    cleanupCandidates: oldBackups(backups).map((b) => b.path),
    unparsed: input.listing.unparsed,
  };
}

interface RawRun {
  time: BackupTime;
  manifests: Backup | null;
  etcd: Backup | null;
}

/** Pairs each manifests folder with the etcd folder kubeadm created a moment before or after it; newest run first. */
export function groupRuns(backups: readonly Backup[]): RawRun[] {
  const runs: RawRun[] = [];
  const timed = backups.filter((b) => (b.kind === 'manifests' || b.kind === 'etcd') && b.time).sort((a, b) => b.time!.iso.localeCompare(a.time!.iso));
  for (const b of timed) {
    const run = runs.find((r) => sameRun(r.time.iso, b.time!.iso) && r[b.kind as 'manifests' | 'etcd'] === null);
    if (run) run[b.kind as 'manifests' | 'etcd'] = b;
    else runs.push({ time: b.time!, manifests: b.kind === 'manifests' ? b : null, etcd: b.kind === 'etcd' ? b : null });
  }
  return runs;
}

function newestKubeletEnv(backups: readonly Backup[]): Backup | null {
  return backups.filter((b) => b.kind === 'kubelet-env' && !b.empty).sort((a, b) => (b.mtime ?? 0) - (a.mtime ?? 0))[0] ?? null;
}

function runView(input: NodeInput, manifests: Backup | null, etcd: Backup | null, time: BackupTime, kubeletEnv: Backup | null): BackupRun {
  const log = input.auditLog;
  const logLines = log ? [...(manifests ? findLogLines(log, manifests.name) : []), ...(etcd ? findLogLines(log, etcd.name) : [])] : [];
  logLines.sort((a, b) => a.line - b.line);
  if (logLines.length === 0 && input.auditEntries) logLines.push(...auditLinks(input.auditEntries, input.node, time.iso));
  const steps = recoverySteps({
    node: input.node,
    manifests,
    etcd,
    currentVersion: input.currentVersion,
    targetVersion: input.targetVersion,
    etcdExternal: input.etcdExternal === true || (etcd !== null && etcd.empty),
    kubeletEnv,
  }).map((s) => (s.id === 'rerun' ? rerunStep(input.auditEntries ? recordedUpgrade(input.auditEntries, input.node, time.iso) : null, s) : s));
  return { id: time.iso, time, manifests, etcd, etcdNote: etcdNote(etcd, manifests, input.etcdExternal), logLines, steps, situations: recoverySituations(steps) };
}

export function etcdNote(etcd: Backup | null, manifests: Backup | null, external: boolean | null): string {
  if (etcd && etcd.etcdMember) {
    return `etcd member data (${sizeText(etcd.sizeKb)}) under ${etcd.name}/etcd/member: what was in /var/lib/etcd before etcd was upgraded.`;
  }
  if (etcd && etcd.empty) {
    return (
      `${etcd.name} is empty: that is what kubeadm leaves when etcd is external (it does not back up external etcd).` +
      (external === false ? ' This node runs a local etcd, though: the copy may have failed; do not count on it.' : '')
    );
  }
  if (etcd) return `${etcd.name} has no etcd/member folder: it cannot be used to restore /var/lib/etcd.`;
  if (external) return 'No etcd backup: etcd is external, kubeadm neither upgrades nor backs it up.';
  const etcdManifest = manifests?.replacedComponents.includes('etcd');
  return etcdManifest
    ? 'No etcd data backup for this run, although the etcd manifest was replaced: etcd kept its version, so kubeadm did not copy its data.'
    : 'No etcd backup: etcd was not upgraded in this run (kubeadm copies the etcd data only before upgrading the local etcd).';
}

export function sizeText(kb: number): string {
  if (kb < 1024) return `${kb} KiB`;
  if (kb < 1024 * 1024) return `${(kb / 1024).toFixed(1)} MiB`;
  return `${(kb / 1024 / 1024).toFixed(2)} GiB`;
}
