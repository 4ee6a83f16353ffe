import { failureFacts } from './failure';

/** Socket errors that mean the request got no HTTP answer (the server went away under it, or was not there yet). */
const NO_ANSWER = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'ERR_SSL_WRONG_VERSION_NUMBER']);
const NO_ANSWER_TEXT = /socket disconnected before secure TLS connection|socket hang up|ECONNRESET|ECONNREFUSED|other side closed/i;

/** True when the request never got an HTTP answer: an HTTP status (403, 409, 500 …) is an answer and is never retried. */
export function unanswered(e: unknown): boolean {
  const f = failureFacts(e);
  if (f.httpStatus !== undefined) return false;
  return (f.code !== undefined && NO_ANSWER.has(f.code)) || NO_ANSWER_TEXT.test(f.message);
}

/**
 * An idempotent API call (cordon, uncordon: each reads the Node first and writes only a difference) tried again when it
 * got no answer — an apiserver behind the load balancer restarting (a control plane's kubelet replacing its static
 * pods resets connections it had just accepted) — every 2 s for up to 60 s. Anything answered fails at once.
 */
export async function retryUnanswered<T>(fn: () => Promise<T>, o: { sleep?: (ms: number) => Promise<void>; now?: () => number; forMs?: number } = {}): Promise<T> {
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = o.now ?? Date.now;
  const until = now() + (o.forMs ?? 60_000);
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (!unanswered(e) || now() >= until) throw e;
      await sleep(2000);
    }
  }
}
