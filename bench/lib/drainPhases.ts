// Where a drain's time goes, for ours (from the drain's own events) and for kubectl (from the timestamps of its -v=6
// request lines), in the same four phases, so the drain rows can say why the ratio is what it is.
import type { DrainEvent } from '../../src/core/drain/types';

export interface DrainPhases {
  /** Start → node cordoned (kubectl: process start, discovery and the PATCH). */
  readonly cordonMs: number;
  /** Cordoned → first eviction sent (pod list, DaemonSet look-ups, budgets). */
  readonly listMs: number;
  /** First → last eviction answered. */
  readonly evictMs: number;
  /** Last eviction answered → the last pod deleted from the API (seen by the bench's own watch): the cluster's part. */
  readonly deleteMs: number;
  /** Last pod deleted → the drain returns: the drain's own part of the wait (its poll interval, its last LIST). */
  readonly tailMs: number;
}

export const PHASE_NAMES: Record<keyof DrainPhases, string> = {
  cordonMs: 'cordon',
  listMs: 'list + filter',
  evictMs: 'evictions sent',
  deleteMs: 'deletions (cluster side, after the last eviction)',
  tailMs: 'wait tail (last pod deleted → drain done)',
};

/** Splits the time after the last eviction at the moment the last pod was deleted (ms since the drain's start). */
function splitWait(lastEvictMs: number, lastDeletedMs: number | undefined, totalMs: number): Pick<DrainPhases, 'deleteMs' | 'tailMs'> {
  const deleted = lastDeletedMs ?? NaN;
  return { deleteMs: Math.max(0, deleted - lastEvictMs), tailMs: totalMs - Math.max(deleted, lastEvictMs) };
}

/** Records our drain's events with their time since `t0` (performance.now()). */
export function eventClock(t0: number): { onEvent: (e: DrainEvent) => void; phases: (totalMs: number, lastDeletedMs: number | undefined) => DrainPhases } {
  const seen: { at: number; type: DrainEvent['type'] }[] = [];
  return {
    onEvent: (e) => seen.push({ at: performance.now() - t0, type: e.type }),
    phases: (totalMs, lastDeletedMs) => {
      const first = (t: DrainEvent['type']) => seen.find((s) => s.type === t)?.at ?? NaN;
      const last = (t: DrainEvent['type']) => seen.filter((s) => s.type === t).at(-1)?.at ?? NaN;
      const cordoned = first('cordoned');
      const firstEvict = first('evicting');
      // 'waiting' is emitted once an eviction is accepted: the last one marks the last eviction answered.
      const lastAccepted = last('waiting');
      return { cordonMs: cordoned, listMs: firstEvict - cordoned, evictMs: lastAccepted - firstEvict, ...splitWait(lastAccepted, lastDeletedMs, totalMs) };
    },
  };
}

interface KlogRequest {
  readonly at: number;
  readonly verb: string;
  readonly url: string;
}

/** klog's `I1202 06:40:00.123456 … verb="POST" url="…"` (or the older `POST https://… 201 Created`) lines. */
function requests(stderr: string): KlogRequest[] {
  const out: KlogRequest[] = [];
  for (const line of stderr.split('\n')) {
    const t = /^[IWE]\d{4} (\d\d):(\d\d):(\d\d)\.(\d{6})/.exec(line);
    if (!t) continue;
    const m = /verb="?(GET|POST|PUT|PATCH|DELETE)"? url="([^"]+)"/.exec(line) ?? /\b(GET|POST|PUT|PATCH|DELETE) (https?:\/\/\S+)/.exec(line);
    if (!m) continue;
    const at = ((Number(t[1]) * 60 + Number(t[2])) * 60 + Number(t[3])) * 1000 + Number(t[4]) / 1000;
    out.push({ at, verb: m[1]!, url: m[2]! });
  }
  return out;
}

const UNKNOWN: DrainPhases = { cordonMs: NaN, listMs: NaN, evictMs: NaN, deleteMs: NaN, tailMs: NaN };

/**
 * kubectl's phases from its request log. Its request lines are logged when the response arrives, so a phase ends at
 * its last response; the time before the first logged request (process start, reading the kubeconfig) goes to cordon.
 * `lastDeletedMs` is measured from the process start, as `totalMs`.
 */
export function kubectlPhases(stderr: string, totalMs: number, lastDeletedMs: number | undefined): DrainPhases {
  const reqs = requests(stderr);
  if (reqs.length === 0) return UNKNOWN;
  const start = reqs[0]!.at;
  const end = reqs.at(-1)!.at;
  const before = totalMs - (end - start); // process start, kubeconfig, up to the first response, and exit
  const cordon = reqs.find((r) => r.verb === 'PATCH' && /\/nodes\//.test(r.url));
  const evictions = reqs.filter((r) => r.verb === 'POST' && /\/eviction/.test(r.url));
  if (!cordon || evictions.length === 0) return UNKNOWN;
  const firstEvict = evictions[0]!.at;
  const lastEvict = evictions.at(-1)!.at;
  const sinceStart = (at: number) => before + (at - start); // klog time → ms since the process started
  return { cordonMs: sinceStart(cordon.at), listMs: firstEvict - cordon.at, evictMs: lastEvict - firstEvict, ...splitWait(sinceStart(lastEvict), lastDeletedMs, totalMs) };
}
