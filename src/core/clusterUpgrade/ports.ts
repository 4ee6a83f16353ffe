import type { KubeVersion } from '../version';

/**
 * What the cluster upgrade calls out to besides the per-node engine. The readiness report and the etcd snapshot are
 * built elsewhere (src/core/readiness, src/core/etcd); these two small interfaces are all the orchestrator needs from
 * them, so either side can change without the other.
 */

export interface ReadinessBlocker {
  /** Stable check id: what `--override CHECK_ID` names. */
  readonly id: string;
  readonly message: string;
}

export interface ReadinessResult {
  readonly blockers: readonly ReadinessBlocker[];
  /** Shown, never blocking (e.g. "readiness not available in this build", the CNI reminder). */
  readonly notes: readonly string[];
}

export interface ReadinessGate {
  run(target: KubeVersion): Promise<ReadinessResult>;
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
