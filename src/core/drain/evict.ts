import { ApiFailure } from './ports';
import type { DrainPod } from './types';

/**
 * What an eviction's failure means, as kubectl's evictPods decides it:
 * - `gone`: 404, the pod is already gone (done);
 * - `retry-budget`: 429, a PodDisruptionBudget refuses it for now (retry after 5 s until the timeout);
 * - `being-deleted`: 403 NamespaceTerminating for a pod already being deleted (stop evicting, wait for it to go);
 * - `retry-namespace-terminating`: 403 NamespaceTerminating otherwise (retry after 5 s);
 * - `fail`: anything else (the drain fails with that message).
 */
export type EvictionVerdict = 'gone' | 'retry-budget' | 'being-deleted' | 'retry-namespace-terminating' | 'fail';

export function classifyEvictionError(e: unknown, pod: DrainPod): EvictionVerdict {
  const f = e instanceof ApiFailure ? e : undefined;
  if (f?.status === 404) return 'gone';
  if (f?.status === 429) return 'retry-budget';
  if (f?.status === 403 && f.causes.includes('NamespaceTerminating')) return beingDeleted(pod) ? 'being-deleted' : 'retry-namespace-terminating';
  return 'fail';
}

const beingDeleted = (pod: DrainPod) => pod.metadata?.deletionTimestamp !== undefined && pod.metadata?.deletionTimestamp !== null;
