// Every comparison in bench/ is "ours" against a baseline measured in the same invocation, A and B alternating so
// that a busy machine slows both alike; a row reports medians with their min–max and the ratio of the medians.

export interface Sample {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly n: number;
  readonly unit: Unit;
}

export type Unit = 'ms' | 's' | 'MiB' | 'MB' | 'count' | 'req/pod';

export function summarize(values: readonly number[], unit: Unit): Sample {
  if (values.length === 0) throw new Error('no samples');
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median, min: s[0]!, max: s[s.length - 1]!, n: s.length, unit };
}

/** Runs a, b, a, b, … `runs` times each (b first on odd rounds, so neither always runs on a warmer machine). */
export async function alternate(runs: number, a: () => Promise<number>, b: () => Promise<number>): Promise<[number[], number[]]> {
  const as: number[] = [];
  const bs: number[] = [];
  for (let i = 0; i < runs; i++) {
    if (i % 2 === 0) {
      as.push(await a());
      bs.push(await b());
    } else {
      bs.push(await b());
      as.push(await a());
    }
  }
  return [as, bs];
}

export const msSince = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;
