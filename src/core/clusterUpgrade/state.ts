import { isClusterIdentity, type ClusterIdentity } from '../identity/clusterIdentity';
import type { NodeRole, UpgradeOptions } from '../upgrade/phases';
import type { KubeVersion } from '../version';
import type { Batch } from './batches';
import type { Stage } from '../upgrade/clusterOrder';
import type { EtcdSnapshot } from './ports';
import type { VerificationReport } from './verify';
import { clusterRunProblem } from './runShape';

export type ClusterNodeStatus = 'queued' | 'running' | 'done' | 'failed' | 'skipped' | 'cancelled';

export interface ClusterNodeState {
  readonly name: string;
  readonly role: NodeRole;
  readonly stage: Stage;
  status: ClusterNodeStatus;
  /** The node's own run (src/core/upgrade state), once started: resume continues it from its failed step. */
  runId?: string;
  /** 1-based batch number for workers, once their batch started. */
  batch?: number;
  step?: { index: number; total: number; title: string };
  startedAt?: string;
  endedAt?: string;
  /** Drain progress or the gate's last word: the live line of the progress view. */
  detail?: string;
  /** Control planes: whether the health gate after this node passed (a resume re-checks it when it did not). */
  gate?: 'passed' | 'failed';
  error?: string;
  skipReason?: string;
}

export type ClusterRunStatus = 'planned' | 'running' | 'paused' | 'failed' | 'cancelled' | 'verify-failed' | 'done';

/** The whole-cluster run, saved after every change so a failure or a window reload can resume it. */
export interface ClusterRunState {
  readonly kind: 'cluster-run';
  readonly id: string;
  /** The kubeconfig context it was started from: a label only (every kubeadm admin.conf names its context alike). */
  readonly cluster: string;
  /**
   * The cluster it upgrades (src/core/identity): runs are looked up, resumed and each node step checked by it.
   * Absent in runs saved by older versions, which are then not resumed (see claimRun).
   */
  identity?: ClusterIdentity;
  readonly target: KubeVersion;
  readonly options: UpgradeOptions;
  /** As given: `2` or `25%`. */
  readonly maxUnavailable: string;
  readonly skipSnapshot: boolean;
  /** Readiness blockers the user overrode, by check id (audited). */
  readonly overrides: readonly string[];
  /** Notes from the readiness gate (e.g. that it is not available), repeated in the report. */
  readonly readinessNotes: readonly string[];
  readonly nodes: ClusterNodeState[];
  /** The worker batches as planned; the run re-forms each batch from the live budgets when it starts it. */
  readonly plannedBatches: readonly Batch[];
  status: ClusterRunStatus;
  etcdSnapshot?: EtcdSnapshot;
  verification?: VerificationReport;
  error?: string;
  /** What to do after a failure, in order. */
  recovery?: string[];
  /** The add-on upgrade the run pauses for after the first control plane (readiness's addon-compatibility), once. */
  addonPause?: { readonly reason: string; passed: boolean };
  /** The cluster as the run left it when it stopped (changedCluster.ts): a resume re-runs readiness when it differs. */
  stoppedShape?: string[];
  readonly createdAt: string;
  updatedAt: string;
}

export function isClusterRun(x: unknown): x is ClusterRunState {
  const r = x as Partial<ClusterRunState> | null;
  return clusterRunProblem(x) === undefined && !!r && (r.identity === undefined || isClusterIdentity(r.identity));
}

/** A run that can be resumed: it stopped short (failed, cancelled, paused, or was running when its window closed). */
export function isUnfinished(r: ClusterRunState): boolean {
  return r.status === 'failed' || r.status === 'cancelled' || r.status === 'paused' || r.status === 'running';
}

/** "3/6 nodes done" for the notification and the view's title. */
export function overallLabel(r: ClusterRunState): string {
  const done = r.nodes.filter((n) => n.status === 'done' || n.status === 'skipped').length;
  const failed = r.nodes.find((n) => n.status === 'failed');
  return `${done}/${r.nodes.length} nodes done${failed ? `, ${failed.name} failed` : ''} (${r.status})`;
}
