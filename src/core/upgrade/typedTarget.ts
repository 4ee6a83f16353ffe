import { compareVersions, formatVersion, parseVersion, type KubeVersion } from '../version';

/** A version offered for the target, and who offered it ("cp-1's v1.36 repository", "kubeadm upgrade plan"). */
export interface OfferedVersion {
  readonly version: KubeVersion;
  readonly source: string;
}

export type TypedTarget = { readonly version: KubeVersion; readonly said?: string } | { readonly error: string };

/**
 * What the admin typed for the target: a full version is taken as it is; a minor (`1.36`, `v1.36`) is the newest
 * patch of that minor among the offered versions, and the result says so (`1.36 → v1.36.3, the newest 1.36 patch …`).
 */
export function resolveTypedTarget(text: string, offered: readonly OfferedVersion[]): TypedTarget {
  const t = text.trim();
  if (/^v?\d+\.\d+\.\d+$/.test(t)) return { version: parseVersion(t)! };
  const m = /^v?(\d+)\.(\d+)$/.exec(t);
  if (!m) return { error: 'Type a version such as 1.36 (its newest patch offered) or v1.36.3.' };
  const [major, minor] = [Number(m[1]), Number(m[2])];
  const newest = offered.filter((o) => o.version.major === major && o.version.minor === minor && !o.version.prerelease).sort((a, b) => compareVersions(b.version, a.version))[0];
  if (!newest) return { error: `No ${major}.${minor} patch is offered${offered.length ? ` (offered: ${[...new Set(offered.map((o) => formatVersion(o.version)))].join(', ')})` : ''}: type the full version.` };
  return { version: newest.version, said: `${major}.${minor} → ${formatVersion(newest.version)}, the newest ${major}.${minor} patch offered (${newest.source}).` };
}
