import type { DrainApi } from '../drain';
import type { NodeExecutor } from '../exec/executor';
import type { ClusterSnapshot } from '../snapshot/model';
import type { Phase, UpgradeContext } from '../upgrade/phases';
import type { ClusterOps } from '../upgrade/ports';
import type { AuditEntry } from '../audit/entry';
import type { UpgradeRunState } from '../upgrade/state';
import type { KubeVersion } from '../version';
import type { ClusterEvent } from './events';
import type { ClusterRunState } from './state';
import type { ClusterIdentity } from '../identity/clusterIdentity';

/**
 * What the cluster upgrade calls out to besides the per-node engine: `ClusterPorts` at the end gathers them for
 * `runCluster`, and the CLI and the extension each provide one. The readiness report and the etcd snapshot are built
 * elsewhere (src/core/readiness, src/core/etcd); the small interfaces here are all the orchestrator needs from them, so
 * either side can change without the other.
 */

export interface ReadinessBlocker {
  /** Stable check id: what `--override CHECK_ID` names. */
  readonly id: string;
  /** The node it is about (what `--override CHECK_ID:NODE` names); null or absent: several nodes or the cluster. */
  readonly node?: string | null;
  readonly message: string;
}

export interface ReadinessResult {
  readonly blockers: readonly ReadinessBlocker[];
  /** Shown, never blocking (e.g. "readiness not available in this build", the CNI reminder). */
  readonly notes: readonly string[];
  /**
   * Add-ons (the CNI) that the compatibility table says need an upgrade for the target (addon-compatibility's
   * warnings): the run pauses after the first control plane, where the kubeadm docs upgrade the CNI.
   */
  readonly addonUpgrades?: readonly string[];
}

export interface ReadinessGate {
  run(target: KubeVersion, resume?: ReadinessOnResume): Promise<ReadinessResult>;
}

/**
 * What a resume knows that a fresh report does not: the run's worker batch size, the nodes it has still to drain, and
 * the nodes it cordoned itself (it uncordons them before the next drain, so they count as schedulable capacity, not
 * as "cordoned").
 */
export interface ReadinessOnResume {
  readonly maxUnavailable?: string;
  readonly drainNodes?: readonly string[];
  readonly cordonedByRun?: readonly string[];
}

export interface EtcdSnapshot {
  readonly node: string;
  readonly path: string;
  readonly sha256: string;
  /** External etcd: kubeadm does not manage it and no snapshot was taken; this says so (path and sha256 are empty). */
  readonly external?: string;
}

export interface EtcdSnapshotter {
  /** Set when this build cannot take snapshots: the run then refuses to start unless the snapshot is skipped. */
  readonly unavailable?: string;
  /** Takes a snapshot on this control-plane node; throws with the reason when it cannot. */
  snapshot(node: string): Promise<EtcdSnapshot>;
}

/** A control plane's health after its upgrade: what the gate before the next control plane looks at. */
export interface ControlPlaneProbe {
  /** The node's static pods (mirror pods) as the API shows them. */
  staticPods(node: string): Promise<readonly StaticPodStatus[]>;
  /** The body of `GET /readyz?verbose` and its HTTP status; status 0 when the apiserver did not answer. */
  readyz(): Promise<{ status: number; body: string }>;
}

export interface StaticPodStatus {
  /** `kube-apiserver`, `kube-controller-manager`, `kube-scheduler`, `etcd`. */
  readonly component: string;
  readonly image: string;
  readonly ready: boolean;
}

/** The addons kubeadm manages, as their workloads report their rollout. */
export interface AddonRollout {
  readonly image: string;
  readonly desired: number;
  readonly updated: number;
  readonly available: number;
}

/** Everything the cluster run calls out to; the CLI and the extension each provide one. */
export interface ClusterPorts {
  snapshot(): Promise<ClusterSnapshot>;
  /** Each node gets its own connection, so a batch's nodes really run in parallel; the caller owns (and disposes) them. */
  executorFor(node: string): Promise<NodeExecutor>;
  readonly cluster: ClusterOps;
  /** Pods per node and the budgets, to form each worker batch from the live state. */
  readonly drainApi: DrainApi;
  readonly probe: ControlPlaneProbe;
  addons(): Promise<{ kubeProxy: AddonRollout | undefined; coredns: AddonRollout | undefined }>;
  readonly snapshotter: EtcdSnapshotter;
  /** The `kubeadm upgrade apply` confirmation (the one per-step question a cluster run keeps). */
  confirmApply(phase: Phase, ctx: UpgradeContext): Promise<boolean>;
  saveCluster(state: ClusterRunState): Promise<void>;
  saveNode(state: UpgradeRunState): Promise<void>;
  loadNode(id: string): Promise<UpgradeRunState | undefined>;
  audit(entry: AuditEntry): void;
  event(e: ClusterEvent): void;
  /** Tells the cluster lock which node(s) the run is on. */
  lockNode?(nodes: string): Promise<void>;
  /** Set when the cluster lock was lost: the run stops at its next safe point. */
  lockLost?(): string | undefined;
  /** The lock's check at a safe point (HeldLock.check: renews once when renewals were failing); preferred to lockLost. */
  lockCheck?(): Promise<string | undefined>;
  /**
   * The identity of the cluster reached right now (the namespace UID read again): before every node step the run
   * checks it is still the run's cluster (`ClusterRunState.identity`).
   */
  clusterIdentity?(): Promise<ClusterIdentity>;
  /** The readiness report again, for a resume against a cluster someone changed since the run stopped. */
  readonly readiness?: ReadinessGate;
  /**
   * The run paused after the first control plane for the CNI upgrade (nothing running): true when the admin says it
   * is done and the run goes on. Without this port (the CLI) the run stops there as paused, and `resume` goes on.
   */
  continueAfterAddons?(text: string): Promise<boolean>;
  /** A node of the run is no longer in the cluster: skip it? Without this port, or without a yes, the run stops there. */
  confirmSkipDeleted?(node: string): Promise<boolean>;
  sleep?(ms: number): Promise<void>;
  now?(): Date;
  /** Seconds the health gate waits for a control plane to settle (default: the run's readyTimeoutSeconds, else 300). */
  readonly gateTimeoutSeconds?: number;
}
