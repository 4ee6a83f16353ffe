/**
 * kubectl drain's sequence (cordon, list, filter, evict or delete, wait) over a small API interface, so the whole
 * contract is pure and testable; src/adapters/k8s/drain implements `DrainApi` with @kubernetes/client-node.
 */
import { validateNodeName } from '../exec/shell';
import { daemonSetsToLookUp, filterPods, shouldSkipPod, warningLine, type DaemonSetLookup, type DrainPlan } from './filters';
import { aggregate, CANCELED, DEADLINE_EXCEEDED, msg } from './messages';
import { analyzePdbs, type PdbFinding } from './pdb';
import { DeletionWaiter } from './waitDeletions';
import { DEFAULT_DRAIN_OPTIONS, podKey, type DrainEvent, type DrainOptions, type DrainPdb, type DrainPod } from './types';

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

export interface RunOptions {
  onEvent?: (e: DrainEvent) => void;
  signal?: AbortSignal;
  clock?: Clock;
  /** kubectl's EvictErrorRetryDelay: 5 s. */
  retryDelayMs?: number;
  /** How often the node's pods are listed while waiting for evicted pods to go (kubectl: each pod every second). */
  pollIntervalMs?: number;
  /** Evictions in flight at once, overriding `DrainOptions.evictionConcurrency`; 0 (kubectl): all pods at once. */
  concurrency?: number;
}

export interface CordonResult {
  node: string;
  /** false when the node already had the wanted state (no request was sent). */
  changed: boolean;
  message: string;
}

/** kubectl cordon / uncordon: PATCH only when spec.unschedulable differs. */
export async function setCordon(api: DrainApi, node: string, desired: boolean): Promise<CordonResult> {
  validateNodeName(node);
  const current = await api.getNodeUnschedulable(node);
  if (current === desired) return { node, changed: false, message: desired ? msg.alreadyCordoned(node) : msg.alreadyUncordoned(node) };
  await api.setUnschedulable(node, desired);
  return { node, changed: true, message: desired ? msg.cordoned(node) : msg.uncordoned(node) };
}

export interface DrainPreview {
  node: string;
  plan: DrainPlan;
  /** Pods of `plan.toEvict` a PodDisruptionBudget will hold back (empty with disableEviction: budgets are bypassed). */
  pdbFindings: PdbFinding[];
  /** Set when the budgets could not be listed (e.g. 403): the preview then says nothing about them. */
  pdbError?: string;
}

/** Everything the drain will decide, without changing anything: the filters' verdicts and the blocking budgets. */
export async function previewDrain(api: DrainApi, node: string, options: Partial<DrainOptions> = {}, now = Date.now()): Promise<DrainPreview> {
  validateNodeName(node);
  const opts = { ...DEFAULT_DRAIN_OPTIONS, ...options };
  const pods = await api.listPods(node);
  const lookups = new Map<string, DaemonSetLookup>();
  await Promise.all(
    daemonSetsToLookUp(pods).map(async (key) => {
      const [ns, name] = splitKey(key);
      lookups.set(key, await api.getDaemonSet(ns, name));
    }),
  );
  const plan = filterPods(pods, opts, lookups, now);
  if (opts.disableEviction || plan.toEvict.length === 0) return { node, plan, pdbFindings: [] };
  try {
    return { node, plan, pdbFindings: analyzePdbs(plan.toEvict, await api.listPdbs()) };
  } catch (e) {
    return { node, plan, pdbFindings: [], pdbError: (e as Error).message };
  }
}

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

const splitKey = (key: string): [string, string] => {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
};

/**
 * kubectl drain NODE: cordon, filter every pod (all errors before any eviction), evict concurrently through
 * policy/v1, at most `evictionConcurrency` at once (429: retry every 5 s until the timeout; NotFound: done; anything
 * else: fail), wait until each pod's UID is gone from the node (one LIST per interval for all of them). With
 * `disableEviction` pods are deleted instead. Never throws for cluster-side refusals: they end in `{ ok: false }` with kubectl's messages; a failing cordon or pod list throws.
 */
export async function drainNode(api: DrainApi, node: string, options: Partial<DrainOptions> = {}, run: RunOptions = {}): Promise<DrainResult> {
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
        await api.evict(ns, name, grace);
        break;
      } catch (e) {
        const f = e instanceof ApiFailure ? e : undefined;
        const text = (e as Error).message;
        const nsTerminating = f?.status === 403 && f.causes.includes('NamespaceTerminating');
        if (f?.status === 404) {
          emit({ type: 'evicted', pod: podKey(active), message: `pod ${ns}/${name} was already gone`, stream: 'none' });
          result.evicted.push(podKey(active));
          return undefined;
        } else if (f?.status === 429) {
          emit({ type: 'retrying', pod: podKey(active), message: msg.retry(ns, name, retryDelay, text), stream: 'err' });
          await nap(retryDelay);
        } else if (nsTerminating && deletionSet(active)) {
          break;
        } else if (nsTerminating) {
          emit({ type: 'retrying', pod: podKey(active), message: msg.retryTerminatingNamespace(ns, name, retryDelay, text), stream: 'err' });
          await nap(retryDelay);
        } else {
          return msg.evictFailed(ns, name, text);
        }
      }
      try {
        active = (await api.getPod(ns, name)) ?? active;
      } catch {
        // as kubectl: ignore, and let the next eviction sort it out with the pod we have
      }
    }
    const err = await waitGone(active, 'evicted');
    return err === undefined ? undefined : msg.waitFailed(pod.metadata?.namespace ?? '', pod.metadata?.name ?? '', err);
  };

  let errors: string[];
  if (!opts.disableEviction) {
    errors = (await pool(pods, run.concurrency ?? opts.evictionConcurrency, evictOne)).filter((e): e is string => e !== undefined);
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

const deletionSet = (pod: DrainPod) => pod.metadata?.deletionTimestamp !== undefined && pod.metadata?.deletionTimestamp !== null;

/** Runs `fn` over `items` with at most `limit` in flight (0: all at once); results in input order. */
async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  const width = limit > 0 ? Math.min(limit, items.length) : items.length;
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i]!);
      }
    }),
  );
  return results;
}
