/**
 * `maxUnavailable` as a number (`2`) or a percentage of the workers (`25%`), like a Deployment's: percentages round
 * down, and at least one node always goes (otherwise the run could never finish).
 */
export function parseMaxUnavailable(text: string): { kind: 'count' | 'percent'; value: number } | undefined {
  const t = text.trim();
  const m = /^(\d{1,4})(%?)$/.exec(t);
  if (!m) return undefined;
  const value = Number(m[1]);
  if (m[2]) return value >= 1 && value <= 100 ? { kind: 'percent', value } : undefined;
  return value >= 1 ? { kind: 'count', value } : undefined;
}

export function resolveMaxUnavailable(text: string, workers: number): number {
  const p = parseMaxUnavailable(text);
  if (!p) throw new Error(`maxUnavailable must be a whole number ≥ 1 or a percentage like 25% (got "${text}")`);
  const n = p.kind === 'count' ? p.value : Math.floor((p.value * workers) / 100);
  return Math.max(1, n);
}
