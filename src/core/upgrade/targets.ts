import { clusterVersion } from '../skew/apiservers';
import type { ClusterSnapshot } from '../snapshot/model';
import { compareVersions, formatVersion, type KubeVersion, type MinorRef } from '../version';
import { checkUpgrade, type Guard } from './guards';
import type { PackageVersion } from './packages';

export interface TargetCandidate {
  readonly version: KubeVersion;
  /** Exact package version when the node's repo lists it; undefined when the repo must switch minor first. */
  readonly packageVersion?: string;
  readonly needsRepoSwitch: boolean;
  readonly guards: readonly Guard[];
  /** Why it is offered first, e.g. "the control plane's version". */
  readonly note?: string;
}

/**
 * The targets to offer for a node: what its package repository really has (newer than the node's kubelet),
 * with the control plane's own version first when the control plane has already moved, each checked against the
 * guards so refused ones can be shown with their reason instead of silently hidden.
 */
export function candidateTargets(snapshot: ClusterSnapshot, nodeName: string, available: readonly PackageVersion[], repoMinor: MinorRef | undefined): TargetCandidate[] {
  const node = snapshot.nodes.find((n) => n.name === nodeName);
  const floor = node?.kubelet?.version;
  const current = clusterVersion(snapshot);
  const out: TargetCandidate[] = [];
  const seen = new Set<string>();
  const add = (version: KubeVersion, packageVersion: string | undefined, note?: string) => {
    const key = formatVersion(version);
    if (seen.has(key)) return;
    seen.add(key);
    const needsRepoSwitch = !!repoMinor && (repoMinor.major !== version.major || repoMinor.minor !== version.minor);
    out.push({ version, ...(packageVersion ? { packageVersion } : {}), needsRepoSwitch, guards: checkUpgrade(snapshot, nodeName, version).guards, ...(note ? { note } : {}) });
  };
  if (current && floor && compareVersions(current, floor) > 0) {
    const match = available.find((p) => compareVersions(p.version, current) === 0);
    add(current, match?.packageVersion, 'the control plane\'s version');
  }
  for (const p of available) {
    if (floor && compareVersions(p.version, floor) <= 0) continue;
    if (current && compareVersions(p.version, current) < 0) continue;
    add(p.version, p.packageVersion);
  }
  return out.sort((a, b) => Number(!!b.note) - Number(!!a.note) || compareVersions(b.version, a.version));
}
