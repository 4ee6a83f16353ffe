/**
 * The fields a drain reads from pods and PodDisruptionBudgets, typed structurally so objects from
 * @kubernetes/client-node and from `kubectl get -o json` both fit without importing either.
 */

export interface DrainOwnerRef {
  kind?: string;
  name?: string;
  controller?: boolean;
}

export interface DrainPod {
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: DrainOwnerRef[];
    /** RFC 3339 text (kubectl -o json) or a Date (client-node). */
    deletionTimestamp?: string | Date | null;
  };
  spec?: {
    nodeName?: string;
    volumes?: { name?: string; emptyDir?: unknown }[];
    terminationGracePeriodSeconds?: number;
  };
  status?: {
    phase?: string;
    conditions?: { type?: string; status?: string }[];
  };
}

export interface LabelSelectorRequirement {
  key?: string;
  operator?: string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export interface DrainPdb {
  metadata?: { name?: string; namespace?: string; generation?: number };
  spec?: {
    /** An integer or a percentage such as "50%". */
    minAvailable?: number | string;
    maxUnavailable?: number | string;
    /** policy/v1: an empty selector matches every pod of the namespace; a missing one matches none. */
    selector?: LabelSelector | null;
    unhealthyPodEvictionPolicy?: string;
  };
  status?: {
    disruptionsAllowed?: number;
    currentHealthy?: number;
    desiredHealthy?: number;
    expectedPods?: number;
    observedGeneration?: number;
  };
}

/** kubectl drain's options, with this extension's defaults (see `DEFAULT_DRAIN_OPTIONS`). */
export interface DrainOptions {
  /** Delete pods that no controller owns, and orphaned DaemonSet pods. kubectl: --force. */
  force: boolean;
  /** Skip DaemonSet pods with a warning (true here; kubectl's default is false). kubectl: --ignore-daemonsets. */
  ignoreDaemonSets: boolean;
  /** Evict pods using emptyDir volumes. kubectl: --delete-emptydir-data. */
  deleteEmptyDirData: boolean;
  /** Seconds each pod gets to terminate; negative: the pod's own terminationGracePeriodSeconds. kubectl: --grace-period. */
  gracePeriodSeconds: number;
  /** Whole drain, in milliseconds; 0: no limit. kubectl: --timeout. */
  timeoutMs: number;
  /** Pods deleted more than this many seconds ago are skipped (not waited for); 0: never. kubectl: --skip-wait-for-delete-timeout. */
  skipWaitForDeleteTimeoutSeconds: number;
  /** DELETE the pods instead of evicting them: bypasses PodDisruptionBudgets. kubectl: --disable-eviction. */
  disableEviction: boolean;
  /** Eviction requests in flight at once, so a big node cannot flood the apiserver (pods waited for hold none); 0: all at once (kubectl). */
  evictionConcurrency: number;
}

export const DEFAULT_DRAIN_OPTIONS: DrainOptions = {
  force: false,
  ignoreDaemonSets: true,
  deleteEmptyDirData: false,
  gracePeriodSeconds: -1,
  timeoutMs: 0,
  skipWaitForDeleteTimeoutSeconds: 0,
  disableEviction: false,
  evictionConcurrency: 50,
};

/** What the UI hears while a node drains. `message` is kubectl's own line for the step, where kubectl prints one. */
export type DrainEventType =
  | 'cordoned'
  /** Filter warnings (kubectl's `Warning:` line) and, before evicting, each pod a PodDisruptionBudget will hold back. */
  | 'warning'
  | 'evicting'
  | 'evicted'
  | 'retrying'
  | 'deleted'
  | 'waiting'
  /** A pod deleted long ago that --skip-wait-for-delete-timeout says not to wait for. */
  | 'skipped'
  | 'done'
  | 'failed';

export interface DrainEvent {
  type: DrainEventType;
  /** `namespace/name`, for pod events. */
  pod?: string;
  /** kubectl's own line for the step where kubectl prints one; otherwise a short sentence. */
  message: string;
  /** Where kubectl prints the line: stdout, stderr, or nowhere (`none`: extra detail this extension adds). */
  stream: 'out' | 'err' | 'none';
}

export const podKey = (pod: DrainPod): string => `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
