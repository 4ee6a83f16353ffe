// What the drain needs from the outside: the API (implemented in src/adapters/k8s/drain with client-node), a clock,
// and how a drain run is driven. Kept apart so every step of the drain stays pure and testable with a fake API.
import type { DaemonSetLookup } from './filters';
import type { PendingPod } from './pinned';
import type { DrainEvent, DrainPod, DrainPdb } from './types';

/** A failed API call, as the adapter reports it: HTTP status, the Status reason/message and its cause types. */
export class ApiFailure extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly reason?: string,
    /** `details.causes[].type` of the Status, e.g. `NamespaceTerminating`. */
    readonly causes: readonly string[] = [],
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

/** What a drain needs from the API server. Methods throw `ApiFailure` (or anything else, for transport errors). */
export interface DrainApi {
  getNodeUnschedulable(node: string): Promise<boolean>;
  /** PATCH spec.unschedulable (strategic merge patch, as kubectl). */
  setUnschedulable(node: string, unschedulable: boolean): Promise<void>;
  /** Pods in all namespaces with fieldSelector spec.nodeName=NODE. */
  listPods(node: string): Promise<DrainPod[]>;
  getDaemonSet(namespace: string, name: string): Promise<DaemonSetLookup>;
  /** policy/v1 PodDisruptionBudgets in all namespaces. */
  listPdbs(): Promise<DrainPdb[]>;
  /** POST pods/eviction (policy/v1); `gracePeriodSeconds` undefined: the pod's own. */
  evict(namespace: string, name: string, gracePeriodSeconds: number | undefined): Promise<void>;
  deletePod(namespace: string, name: string, gracePeriodSeconds: number | undefined): Promise<void>;
  /** undefined when the pod is NotFound. */
  getPod(namespace: string, name: string): Promise<DrainPod | undefined>;
  /** Pending pods of a namespace (fieldSelector status.phase=Pending): a replacement pinned to the cordoned node. */
  listPendingPods?(namespace: string): Promise<PendingPod[]>;
}

export interface Clock {
  now(): number;
  /** Resolves after `ms`, or at once when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted || ms <= 0) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
    }),
};

/** How a drain runs (events, cancel, clock, retry and poll intervals), apart from what it does (DrainOptions). */
export interface DrainControl {
  onEvent?: (e: DrainEvent) => void;
  signal?: AbortSignal;
  clock?: Clock;
  /** kubectl's EvictErrorRetryDelay: 5 s. */
  retryDelayMs?: number;
  /** How often the node's pods are listed while waiting for evicted pods to go (kubectl: each pod every second). */
  pollIntervalMs?: number;
  /** Eviction requests in flight at once, overriding `DrainOptions.evictionConcurrency`; 0 (kubectl): all pods at once. */
  concurrency?: number;
}
