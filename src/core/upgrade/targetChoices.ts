import type { ClusterSnapshot } from '../snapshot/model';
import { apiserverRange } from '../skew/apiservers';
import { compareVersions, formatVersion, minorDiff } from '../version';
import type { PackageVersion } from './packages';

export interface TargetChoice {
  readonly version: string;
  /** "next minor" / "patch of the running minor". */
  readonly note: string;
}

/**
 * The versions a node's package repository offers that a control-plane upgrade can go to: patches of the running minor
 * and the next minor (never a skipped minor nor a downgrade), newest first — so the target input offers what exists
 * instead of an example version.
 */
export function targetChoices(snapshot: ClusterSnapshot | undefined, available: readonly PackageVersion[]): TargetChoice[] {
  const range = snapshot && apiserverRange(snapshot);
  const seen = new Set<string>();
  return [...available]
    .sort((a, b) => compareVersions(b.version, a.version))
    .filter((p) => {
      const v = formatVersion(p.version);
      if (seen.has(v)) return false;
      seen.add(v);
      if (!range) return true;
      const step = minorDiff(p.version, range.oldest);
      return compareVersions(p.version, range.newest) >= 0 && step <= 1;
    })
    .map((p) => ({
      version: formatVersion(p.version),
      note: range && minorDiff(p.version, range.oldest) === 1 ? 'next minor' : 'patch of the running minor',
    }));
}
