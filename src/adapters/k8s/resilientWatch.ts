import * as http from 'node:http';
import type { KubeConfig } from '@kubernetes/client-node';
import { Watch } from '@kubernetes/client-node';
import { backoffDelay, WATCH_BACKOFF, type BackoffOptions } from './backoff';
import { guardConnect, RESPONSE_TIMEOUT_MS, WATCH_TIMEOUT_SECONDS, watchIdleMs } from './requestTimeouts';

/** The list half of list+watch: the collection's resourceVersion and its items. */
export interface ListResult {
  readonly metadata?: { readonly resourceVersion?: string };
  readonly items: readonly unknown[];
}

export interface WatchHandlers {
  /** A watch event other than ERROR and BOOKMARK. */
  event(phase: string, obj: unknown): void;
  /** A fresh list replaced whatever was known of this path (after an ERROR/410, or at the start). */
  relisted(items: readonly unknown[], afterFailure: boolean): void;
  /** A failure, reported; the watch retries it by itself. */
  error(e: unknown): void;
}

export interface WatchCounters {
  watches: number;
  lists: number;
}

/**
 * One path's list+watch loop, as client-go's reflector does it:
 * - a watch that ends normally resumes from the last resourceVersion seen;
 * - an ERROR event (410 Expired after an apiserver restart or an etcd compaction) or an HTTP 410 drops the
 *   resourceVersion, and the path is listed once to get a fresh one before watching again;
 * - connection failures keep the resourceVersion and retry with capped, jittered backoff; the backoff resets only
 *   when a watch delivers an event, so a server that keeps closing streams at once is not hammered.
 */
export class ResilientWatch {
  private resourceVersion: string | undefined;
  private failures = 0;
  private controller: AbortController | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  /** Set by a failure: the next successful list tells the handler to refresh once. */
  private failedSinceList = false;

  constructor(
    private readonly kc: KubeConfig,
    readonly path: string,
    private readonly list: () => Promise<ListResult>,
    private readonly handlers: WatchHandlers,
    private readonly counters: WatchCounters,
    private readonly backoff: BackoffOptions = WATCH_BACKOFF,
    private readonly random: () => number = Math.random,
  ) {}

  /** Starts from `resourceVersion` (from a list the caller just made), or with a list of its own. */
  start(resourceVersion?: string): void {
    this.resourceVersion = resourceVersion;
    void this.run();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.controller?.abort();
  }

  private async run(): Promise<void> {
    this.timer = undefined;
    if (this.stopped) return;
    if (this.resourceVersion === undefined && !(await this.relist())) return this.retryLater();
    if (this.stopped) return;
    let delivered = false;
    let expired = false;
    this.counters.watches++;
    const onEvent = (phase: string, obj: unknown) => {
      if (phase === 'ERROR') {
        // The server's Status (usually 410 Expired): this resourceVersion is gone for good.
        expired = true;
        this.resourceVersion = undefined;
        this.handlers.error(statusError(obj));
        return;
      }
      const rv = (obj as { metadata?: { resourceVersion?: string } } | undefined)?.metadata?.resourceVersion;
      if (rv && !expired) this.resourceVersion = rv;
      delivered = true;
      this.failures = 0;
      if (phase !== 'BOOKMARK') this.handlers.event(phase, obj);
    };
    const onDone = (err: unknown) => {
      if (this.stopped) return;
      if (err && httpStatus(err) === 410) expired = true;
      if (expired) this.resourceVersion = undefined;
      if (err) this.handlers.error(err);
      if (err || expired) this.failedSinceList = true;
      // A normal end after some traffic (the server's watch timeout) resumes at once; anything else backs off.
      if (!err && !expired && delivered) return this.schedule(0);
      this.retryLater();
    };
    try {
      const query = { allowWatchBookmarks: true, resourceVersion: this.resourceVersion, timeoutSeconds: WATCH_TIMEOUT_SECONDS };
      const c = await new Watch(watchConfig(this.kc)).watch(this.path, query, onEvent, onDone);
      if (this.stopped) c.abort();
      else this.controller = c;
    } catch (e) {
      onDone(e ?? new Error('watch failed'));
    }
  }

  /** Lists the path; true when it worked (the watch then starts right after the list). */
  private async relist(): Promise<boolean> {
    this.counters.lists++;
    try {
      const r = await this.list();
      if (this.stopped) return false;
      this.resourceVersion = r.metadata?.resourceVersion ?? '';
      this.handlers.relisted(r.items, this.failedSinceList);
      this.failedSinceList = false;
      return true;
    } catch (e) {
      if (!this.stopped) this.handlers.error(e);
      this.failedSinceList = true;
      return false;
    }
  }

  private retryLater(): void {
    this.failures++;
    this.schedule(backoffDelay(this.failures, this.backoff, this.random));
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.run(), ms);
  }
}

function httpStatus(e: unknown): number | undefined {
  const x = e as { statusCode?: unknown; code?: unknown } | undefined;
  if (typeof x?.statusCode === 'number') return x.statusCode;
  return typeof x?.code === 'number' ? x.code : undefined;
}

/** The ERROR event's Status as an error carrying its code, so it is described like any API failure. */
function statusError(obj: unknown): Error {
  const s = obj as { code?: unknown; message?: unknown; reason?: unknown } | undefined;
  const e = new Error(typeof s?.message === 'string' ? s.message : `watch error ${String(s?.reason ?? '')}`) as Error & { code?: number; body?: unknown };
  if (typeof s?.code === 'number') e.code = s.code;
  e.body = obj;
  return e;
}

/**
 * The kubeconfig as the Watch sees it, with an end to every wait (requestTimeouts.ts): the connection up within the
 * connect deadline, the first bytes within the response deadline, then never silent for longer than the watch's own
 * `timeoutSeconds` plus a minute (the server closes it at its timeout). client-node's Watch has no timeout of its
 * own (its 30 s signal is overwritten before use), and until the response starts it cannot be aborted either.
 */
function watchConfig(kc: KubeConfig): KubeConfig {
  const guarded = Object.create(kc) as KubeConfig;
  guarded.applyToFetchOptions = async (opts) => {
    const init = await kc.applyToFetchOptions(opts);
    if (init.agent instanceof http.Agent) guardConnect(init.agent, { idle: { firstBytesMs: RESPONSE_TIMEOUT_MS, idleMs: watchIdleMs() } });
    return init;
  };
  return guarded;
}
