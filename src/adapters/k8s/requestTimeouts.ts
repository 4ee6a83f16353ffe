import type * as http from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * Every request to the API server has an end. Node's agents have no connect timeout and node-fetch no response
 * timeout, so an apiserver that accepts the connection and then never answers (a hung process, a half-dead load
 * balancer, a firewall that drops) would be waited on for ever. Like client-go's transport (dial 30 s, TLS handshake
 * 10 s) and kubectl's `--request-timeout`:
 * - connect: the TCP connection and the TLS handshake within CONNECT_TIMEOUT_MS, for every socket of every agent
 *   used to reach the API (guardConnect);
 * - response: a request (not a watch) is answered, body included, within RESPONSE_TIMEOUT_MS (requestDeadline). The
 *   apiserver ends its own requests after 60 s (--request-timeout), so what takes longer is never coming;
 * - watches: asked to end by the server after WATCH_TIMEOUT_SECONDS (`timeoutSeconds`, as client-go's reflector
 *   does), their first bytes within RESPONSE_TIMEOUT_MS, and after that a connection silent for longer than the
 *   watch's own time plus a minute is given up (watchIdleMs): the server would have closed it by then.
 */
export const CONNECT_TIMEOUT_MS = 10_000;
export const RESPONSE_TIMEOUT_MS = 30_000;
export const WATCH_TIMEOUT_SECONDS = 300;

export function watchIdleMs(timeoutSeconds = WATCH_TIMEOUT_SECONDS): number {
  return (timeoutSeconds + 60) * 1000;
}

/** An API request that got no answer in time: `code` ETIMEDOUT, so it reads as "cannot reach the API" everywhere. */
export class ApiTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(message: string) {
    super(message);
    this.name = 'ApiTimeoutError';
  }
}

const guarded = new WeakSet<http.Agent>();

/**
 * Gives every socket `agent` opens a deadline for its connection (and TLS handshake): destroyed with an
 * ApiTimeoutError when it is not up in time; the request on it fails with that error. With `idle`: a socket then
 * silent for that long is destroyed too (`firstBytesMs` until its first bytes arrive). Idempotent.
 */
export function guardConnect(agent: http.Agent, o: { connectMs?: number; idle?: { firstBytesMs: number; idleMs: number } } = {}): http.Agent {
  if (guarded.has(agent)) return agent;
  guarded.add(agent);
  const connectMs = o.connectMs ?? CONNECT_TIMEOUT_MS;
  type Create = (options: { host?: string | null; port?: number | string | null }, cb?: unknown) => Duplex;
  const a = agent as unknown as { createConnection: Create };
  const create: Create = a.createConnection.bind(agent);
  a.createConnection = (options, cb) => {
    const socket = create(options, cb);
    const where = `${options.host ?? '?'}:${options.port ?? '?'}`;
    const tls = 'encrypted' in socket || (agent as { protocol?: string }).protocol === 'https:';
    const timer = setTimeout(() => {
      socket.destroy(new ApiTimeoutError(`no connection to the API at ${where} within ${connectMs / 1000} s (${tls ? 'TCP connect or TLS handshake' : 'TCP connect'})`));
    }, connectMs);
    timer.unref?.();
    socket.once(tls ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      if (!o.idle) return;
      const s = socket as Duplex & { setTimeout(ms: number): void };
      const idle = o.idle;
      s.setTimeout(idle.firstBytesMs);
      socket.once('data', () => s.setTimeout(idle.idleMs));
      socket.on('timeout', () => socket.destroy(new ApiTimeoutError(`the API at ${where} went silent (no bytes for ${Math.round(idle.idleMs / 1000)} s on a watch)`)));
    });
    socket.once('close', () => clearTimeout(timer));
    return socket;
  };
  return agent;
}

/**
 * The signal for one request: aborted by `signal` (the caller's cancel) or after `ms`; `timedOut()` tells which, so
 * the failure can say "no answer within 30 s" instead of node-fetch's "The user aborted a request".
 */
export function requestDeadline(signal: AbortSignal | undefined, ms = RESPONSE_TIMEOUT_MS): { signal: AbortSignal; timedOut: () => boolean; clear: () => void } {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, ms);
  timer.unref?.();
  const onAbort = () => controller.abort();
  if (signal?.aborted) controller.abort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    clear: () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    },
  };
}

/** The error for a request stopped by its deadline. */
export function responseTimeout(url: string, ms = RESPONSE_TIMEOUT_MS): ApiTimeoutError {
  let where = url;
  try {
    const u = new URL(url);
    where = `${u.origin} (${u.pathname})`;
  } catch {
    // not a URL: say it as it is
  }
  return new ApiTimeoutError(`no answer from the API at ${where} within ${ms / 1000} s`);
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/**
 * One HTTP request with Node's own client, answered (body included) within the response deadline or failed with
 * `responseTimeout`: for client-node's typed APIs (apiClient.ts) and the paged lists. `agent` carries the TLS
 * identity and the connect deadline (keptAgent).
 */
export function httpRequest(
  url: URL,
  o: { method: string; headers: http.OutgoingHttpHeaders; body?: string | Buffer; agent?: http.Agent; signal?: AbortSignal },
  lib: { request: typeof http.request },
): Promise<HttpAnswer> {
  const deadline = requestDeadline(o.signal);
  const timedOut = (e: unknown) => (deadline.timedOut() ? responseTimeout(url.href) : e);
  // A body always goes with its Content-Length: Node sends none for DELETE (nor GET, OPTIONS) on its own, so the
  // apiserver reads a DELETE's body as the start of the next request on the kept connection and answers that one
  // "400 Bad Request" (seen when a Lease was taken again right after its release).
  const hasLength = Object.keys(o.headers).some((k) => k.toLowerCase() === 'content-length');
  const headers = o.body !== undefined && !hasLength ? { ...o.headers, 'Content-Length': Buffer.byteLength(o.body) } : o.headers;
  return new Promise<HttpAnswer>((resolve, reject) => {
    const req = lib.request(url, { method: o.method, headers, ...(o.agent ? { agent: o.agent } : {}), signal: deadline.signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (e) => reject(timedOut(e)));
      // Destroyed mid-body (the deadline, a reset): 'close' without 'end'. After 'end' this reject is a no-op.
      res.on('close', () => reject(timedOut(new Error(`the connection closed before the whole response of ${url.pathname} was read`))));
      res.on('end', () => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
        resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks) });
      });
    });
    req.on('error', (e) => reject(timedOut(e)));
    req.end(o.body);
  }).finally(() => deadline.clear());
}
