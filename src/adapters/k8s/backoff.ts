/** Exponential backoff for watch and list retries: base·2^(n-1), capped, with "equal jitter" (half fixed, half random). */
export interface BackoffOptions {
  readonly baseMs: number;
  readonly capMs: number;
}

export const WATCH_BACKOFF: BackoffOptions = { baseMs: 1000, capMs: 30_000 };

/**
 * Delay before retry number `failures` (1 = the first retry). Jitter spreads the reconnects of many watches (and
 * of many VS Code windows) after an apiserver restart, so they do not all hit the new apiserver in the same instant.
 */
export function backoffDelay(failures: number, o: BackoffOptions = WATCH_BACKOFF, random: () => number = Math.random): number {
  if (failures <= 0) return 0;
  const exp = Math.min(o.capMs, o.baseMs * 2 ** Math.min(failures - 1, 30));
  return Math.round(exp / 2 + random() * (exp / 2));
}
