/**
 * kubectl drain's sequence (cordon, list, filter, evict or delete, wait) over a small API interface, so the whole
 * contract is pure and testable; src/adapters/k8s/drain implements `DrainApi` with @kubernetes/client-node.
 * The steps live beside it: ports.ts (API, clock, run control), cordon.ts, preview.ts (filters + budgets),
 * evict.ts (what an eviction's error means), waitDeletions.ts (waiting by UID), limiter.ts (evictions in flight).
 */
import { validateNodeName } from '../exec/shell';
import { shouldSkipPod, warningLine } from './filters';
import { aggregate, CANCELED, DEADLINE_EXCEEDED, msg } from './messages';
import type { PdbFinding } from './pdb';
import { setCordon, type CordonResult } from './cordon';
import { classifyEvictionError } from './evict';
import { limiter } from './limiter';
import { pinnedReplacementReason } from './pinned';
import { ApiFailure, realClock, type DrainApi, type DrainControl } from './ports';
import { previewDrain, type DrainPreview } from './preview';
import { DeletionWaiter } from './waitDeletions';
import { DEFAULT_DRAIN_OPTIONS, podKey, type DrainEvent, type DrainOptions, type DrainPod } from './types';

export interface DrainResult {
  node: string;
  /** True only when every pod to evict is gone and the node is cordoned. */
  ok: boolean;
  /** The cordon step's kubectl line. */
  cordon?: CordonResult;
  preview?: DrainPreview;
  /** `namespace/name` of pods evicted or deleted and gone. */
  evicted: string[];
  /** Pods still to evict when the drain stopped (kubectl re-lists them after a failure). */
  pending: string[];
  /** The budgets holding back the pending pods, as analysed after the failure. */
  blockedBy: PdbFinding[];
  /** kubectl's error messages: filter errors, or one per pod that failed. */
  errors: string[];
  /** kubectl's summary: `node/X drained` or `error: unable to drain node "X" due to error: ..., continuing command...`. */
  message: string;
}

/**
 * kubectl drain NODE: cordon, filter every pod (all errors before any eviction), evict concurrently through
 * policy/v1, at most `evictionConcurrency` eviction requests in flight (429: retry every 5 s until the timeout;
 * NotFound: done; anything else: fail), wait until each pod's UID is gone from the node (one LIST per interval for
 * all of them; a pod being waited for holds no eviction slot). With
 * `disableEviction` pods are deleted instead. Never throws for cluster-side refusals: they end in `{ ok: false }` with kubectl's messages; a failing cordon or pod list throws.
 */
export async function drainNode(api: DrainApi, node: string, options: Partial<DrainOptions> = {}, run: DrainControl = {}): Promise<DrainResult> {
  validateNodeName(node);
  const opts: DrainOptions = { ...DEFAULT_DRAIN_OPTIONS, ...options };
  const clock = run.clock ?? realClock;
  const emit = (e: DrainEvent) => run.onEvent?.(e);
  const result: DrainResult = { node, ok: false, evicted: [], pending: [], blockedBy: [], errors: [], message: '' };
  const fail = (errors: string[]): DrainResult => {
    result.errors = errors;
    result.message = msg.unableToDrain(node, aggregate(errors));
    emit({ type: 'failed', message: result.message, stream: 'err' });
    return result;
  };

  result.cordon = await setCordon(api, node, true);
  emit({ type: 'cordoned', message: result.cordon.message, stream: 'out' });

  const preview = await previewDrain(api, node, opts, clock.now());
  result.preview = preview;
  if (preview.plan.errors.length > 0) {
    result.pending = preview.plan.toEvict.map(podKey);
    return fail(preview.plan.errors);
  }
  const warnings = warningLine(preview.plan);
  if (warnings) emit({ type: 'warning', message: msg.warning(warnings), stream: 'err' });
  for (const f of preview.pdbFindings) emit({ type: 'warning', pod: f.pod, message: f.reason, stream: 'none' });

  const pods = preview.plan.toEvict;
  const grace = opts.gracePeriodSeconds >= 0 ? opts.gracePeriodSeconds : undefined;
  const deadline = opts.timeoutMs > 0 ? clock.now() + opts.timeoutMs : Infinity;
  const stop = () => run.signal?.aborted === true || clock.now() >= deadline;
  const stopReason = () => (run.signal?.aborted ? CANCELED : DEADLINE_EXCEEDED);
  const nap = (ms: number) => clock.sleep(Math.max(0, Math.min(ms, deadline - clock.now())), run.signal);
  const retryDelay = run.retryDelayMs ?? 5000;
  const poll = run.pollIntervalMs ?? 1000;
  // Bounds the requests of the eviction loop (POST eviction, the GET after a refusal), not the retry naps nor the
  // waits for deletion: holding a slot until the pod is gone would evict a big node in rounds, one interval each.
  const request = limiter(run.concurrency ?? opts.evictionConcurrency);

  // One LIST of the node's pods per interval serves every pod being waited for (kubectl: a GET per pod per second).
  const deletions = new DeletionWaiter({
    list: () => api.listPods(node),
    sleep: () => nap(poll),
    stopped: () => (stop() ? stopReason() : undefined),
    skip: (current) => shouldSkipPod(current, opts.skipWaitForDeleteTimeoutSeconds, clock.now()),
  });

  /** kubectl's waitForDelete for one pod: gone (its UID no longer on the node), or deleted long enough ago to skip. */
  const waitGone = async (pod: DrainPod, verb: 'evicted' | 'deleted'): Promise<string | undefined> => {
    const ns = pod.metadata?.namespace ?? '';
    const name = pod.metadata?.name ?? '';
    emit({ type: 'waiting', pod: podKey(pod), message: `waiting for pod ${ns}/${name} to terminate`, stream: 'none' });
    const outcome = await deletions.wait(pod);
    if (outcome.kind === 'error') return outcome.message;
    if (outcome.kind === 'skipped') {
      emit({ type: 'skipped', pod: podKey(pod), message: msg.skipWait(name, opts.skipWaitForDeleteTimeoutSeconds), stream: 'out' });
      return undefined;
    }
    emit({ type: verb, pod: podKey(pod), message: verb === 'evicted' ? msg.evicted(name) : msg.deleted(name), stream: 'out' });
    result.evicted.push(podKey(pod));
    return undefined;
  };

  /** Why a 429 for `pod` can never clear (pinned.ts); undefined when that cannot be told (then kubectl's retry). */
  const pinnedReplacement = async (pod: DrainPod): Promise<string | undefined> => {
    if (!api.listPendingPods) return undefined;
    try {
      const [pending, pdbs] = await Promise.all([request(() => api.listPendingPods!(pod.metadata?.namespace ?? '')), request(() => api.listPdbs())]);
      return pinnedReplacementReason(pod, pending, pdbs, node);
    } catch {
      return undefined;
    }
  };

  /** kubectl's per-pod eviction goroutine: returns its error message, or undefined when the pod is gone. */
  const evictOne = async (pod: DrainPod): Promise<string | undefined> => {
    let active = pod;
    for (;;) {
      const ns = active.metadata?.namespace ?? '';
      const name = active.metadata?.name ?? '';
      emit({ type: 'evicting', pod: podKey(active), message: msg.evicting(ns, name), stream: 'out' });
      if (run.signal?.aborted) return msg.evictFailed(ns, name, CANCELED);
      if (clock.now() >= deadline) return msg.globalTimeout(ns, name, opts.timeoutMs);
      try {
        await request(() => api.evict(ns, name, grace));
        break;
      } catch (e) {
        const text = (e as Error).message;
        const verdict = classifyEvictionError(e, active);
        if (verdict === 'gone') {
          emit({ type: 'evicted', pod: podKey(active), message: `pod ${ns}/${name} was already gone`, stream: 'none' });
          result.evicted.push(podKey(active));
          return undefined;
        } else if (verdict === 'retry-budget') {
          // A budget waiting for a replacement that can only run on this (cordoned) node never lets go: say so, stop.
          const pinned = await pinnedReplacement(active);
          if (pinned) return msg.evictFailed(ns, name, pinned);
          emit({ type: 'retrying', pod: podKey(active), message: msg.retry(ns, name, retryDelay, text), stream: 'err' });
          await nap(retryDelay);
        } else if (verdict === 'being-deleted') {
          break;
        } else if (verdict === 'retry-namespace-terminating') {
          emit({ type: 'retrying', pod: podKey(active), message: msg.retryTerminatingNamespace(ns, name, retryDelay, text), stream: 'err' });
          await nap(retryDelay);
        } else {
          return msg.evictFailed(ns, name, text);
        }
      }
      try {
        active = (await request(() => api.getPod(ns, name))) ?? active;
      } catch {
        // as kubectl: ignore, and let the next eviction sort it out with the pod we have
      }
    }
    const err = await waitGone(active, 'evicted');
    return err === undefined ? undefined : msg.waitFailed(pod.metadata?.namespace ?? '', pod.metadata?.name ?? '', err);
  };

  let errors: string[];
  if (!opts.disableEviction) {
    errors = (await Promise.all(pods.map(evictOne))).filter((e): e is string => e !== undefined);
  } else {
    errors = await deleteAll(pods);
  }

  /** kubectl's deletePods: DELETE each (stop at the first real error), then wait for all of them together. */
  async function deleteAll(list: DrainPod[]): Promise<string[]> {
    for (const pod of list) {
      const ns = pod.metadata?.namespace ?? '';
      const name = pod.metadata?.name ?? '';
      try {
        await api.deletePod(ns, name, grace);
      } catch (e) {
        if (!(e instanceof ApiFailure && e.status === 404)) return [(e as Error).message];
      }
    }
    const waits = await Promise.all(list.map((p) => waitGone(p, 'deleted')));
    const first = waits.find((e) => e !== undefined);
    return first === undefined ? [] : [first];
  }

  if (errors.length === 0) {
    result.ok = true;
    result.message = msg.drained(node);
    emit({ type: 'done', message: result.message, stream: 'out' });
    return result;
  }

  // As kubectl: list what is still to evict, to tell the user which pods are left (and here, which budgets hold them).
  try {
    const after = await previewDrain(api, node, opts, clock.now());
    result.pending = after.plan.toEvict.map(podKey);
    result.blockedBy = after.pdbFindings;
    if (result.pending.length > 0) {
      emit({ type: 'failed', message: [msg.pendingPods(node, aggregate(errors)), ...after.plan.toEvict.map((p) => `pod/${p.metadata?.name ?? ''}`)].join('\n'), stream: 'err' });
    }
    if (result.blockedBy.length > 0) {
      const lines = result.blockedBy.map((f) => `  ${f.pod}: ${f.reason}`);
      emit({ type: 'failed', message: ['Pods held back by PodDisruptionBudgets:', ...lines].join('\n'), stream: 'err' });
    }
  } catch (e) {
    emit({ type: 'failed', message: `Following errors occurred while getting the list of pods to delete:\n${(e as Error).message}`, stream: 'err' });
  }
  return fail(errors);
}
