import * as semver from 'semver';

/** A Kubernetes-style version, reduced to what the skew policy compares, plus the string it came from. */
export interface KubeVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** Pre-release tag (`rc.1`, `eks-a737599`): orders versions (compareVersions); the skew policy ignores it. */
  readonly prerelease: string;
  /** The input as given, for messages: we never show a version the user did not write. */
  readonly raw: string;
}

const FULL_VERSION = /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
const MINOR_ONLY = /^v?(\d+)\.(\d+)$/;

/** `1.31` or `v1.31` (a minor without a patch), for `--to 1.31`; undefined for anything else. */
export function parseMinor(input: string | null | undefined): MinorRef | undefined {
  const m = MINOR_ONLY.exec(input?.trim() ?? '');
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined;
}

/**
 * Parses the version strings clusters really report: `v1.31.2`, `1.31.1`, `v1.30.4-eks-a737599`, `v1.31.0+k3s1`,
 * image references (`registry.k8s.io/kube-apiserver:v1.31.2`, with or without `@sha256:` digest), etcd's `3.5.15-0`,
 * and runtime strings such as `containerd://1.7.22`. Returns undefined for anything else (a bare minor such as
 * `1.31`, text around a version) rather than guessing.
 */
export function parseVersion(input: string | null | undefined): KubeVersion | undefined {
  if (!input) return undefined;
  const raw = input.trim();
  let s = raw.replace(/@sha256:[0-9a-f]+$/i, '');
  // An image reference: the tag follows the last ':' after the last '/' (a registry may carry a :port).
  const slash = s.lastIndexOf('/');
  const colon = s.lastIndexOf(':');
  if (colon > slash && colon >= 0) s = s.slice(colon + 1);
  else if (slash >= 0) s = s.slice(slash + 1);
  s = s.trim();
  // Strict: a full MAJOR.MINOR.PATCH with an optional leading v. "1.31" or "garbage 2.0 text" are not versions.
  if (!FULL_VERSION.test(s)) return undefined;
  const parsed = semver.parse(s.replace(/^v/, ''));
  if (!parsed) return undefined;
  return {
    major: parsed.major,
    minor: parsed.minor,
    patch: parsed.patch,
    prerelease: parsed.prerelease.join('.'),
    raw,
  };
}

/** `v1.31.2`, the canonical form used in commands and comparisons. */
export function formatVersion(v: KubeVersion): string {
  return `v${v.major}.${v.minor}.${v.patch}${v.prerelease ? `-${v.prerelease}` : ''}`;
}

/** `1.31`, for messages about minors. */
export function formatMinor(v: KubeVersion | MinorRef): string {
  return `${v.major}.${v.minor}`;
}

export interface MinorRef {
  readonly major: number;
  readonly minor: number;
}

/** Signed distance in minor versions (a - b). Kubernetes has only had major 1; a major jump counts as far away. */
export function minorDiff(a: MinorRef, b: MinorRef): number {
  return (a.major - b.major) * 1000 + (a.minor - b.minor);
}

/**
 * Full comparison with semver's precedence, the one `core/plan/versions.ts` sorts release tags by: major, minor,
 * patch, then a pre-release sorts before its release (`v1.31.0-rc.1` < `v1.31.0`) and pre-releases compare by their
 * dot-separated identifiers (`rc.2` < `rc.10`). kubeadm's version package orders them the same way. The skew policy is
 * unaffected: it compares minors (`minorDiff`), never pre-release tags.
 */
export function compareVersions(a: KubeVersion, b: KubeVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch || comparePrerelease(a.prerelease, b.prerelease);
}

function comparePrerelease(a: string, b: string): number {
  if (a === b) return 0;
  if (!a) return 1;
  if (!b) return -1;
  return semver.compare(`0.0.0-${a}`, `0.0.0-${b}`);
}

export function addMinors(v: MinorRef, n: number): MinorRef {
  return { major: v.major, minor: v.minor + n };
}

export function oldest<T extends KubeVersion>(versions: readonly T[]): T | undefined {
  return versions.reduce<T | undefined>((min, v) => (min === undefined || compareVersions(v, min) < 0 ? v : min), undefined);
}

export function newest<T extends KubeVersion>(versions: readonly T[]): T | undefined {
  return versions.reduce<T | undefined>((max, v) => (max === undefined || compareVersions(v, max) > 0 ? v : max), undefined);
}

/** The newest release of `minor` in `versions` (pre-releases skipped), for `--to 1.31`; undefined when there is none. */
export function newestPatchOf<T extends KubeVersion>(minor: MinorRef, versions: readonly T[]): T | undefined {
  return newest(versions.filter((v) => v.major === minor.major && v.minor === minor.minor && !v.prerelease));
}
