// Resolves the version words used in scenarios ("old", "new", "old-3") to full versions,
// and the per-minor facts kubeadm pins (etcd, CoreDNS, pause) for the images we report.
import { pinnedVersions } from './paths';

// Latest patch per minor on the Go module proxy when this was written (used only for
// kubelets/static pods we simulate; the binaries we run are the pinned ones).
const LATEST_PATCH: Record<number, number> = { 28: 15, 29: 15, 30: 14, 31: 14, 32: 13, 33: 13, 34: 4 };

// From cmd/kubeadm/app/constants of each release (DefaultEtcdVersion, CoreDNSVersion, PauseVersion).
const ADDONS: Record<number, { etcd: string; coredns: string; pause: string }> = {
  31: { etcd: '3.5.15-0', coredns: 'v1.11.3', pause: '3.10' },
  32: { etcd: '3.5.16-0', coredns: 'v1.11.3', pause: '3.10' },
  33: { etcd: '3.5.21-0', coredns: 'v1.12.0', pause: '3.10' },
  34: { etcd: '3.6.4-0', coredns: 'v1.12.1', pause: '3.10.1' },
  35: { etcd: '3.6.6-0', coredns: 'v1.13.1', pause: '3.10.1' },
  36: { etcd: '3.6.8-0', coredns: 'v1.14.2', pause: '3.10.2' },
};

export function minorOf(v: string): number {
  return Number(/^v?1\.(\d+)/.exec(v)?.[1] ?? NaN);
}

export function addonsFor(v: string) {
  return ADDONS[minorOf(v)] ?? ADDONS[35];
}

/** "old" | "new" | "old-2" | "new+1" | "v1.33.1" -> "v1.X.Y" */
export function resolveVersion(word: string | undefined, fallback = 'old'): string {
  const w = (word ?? fallback).trim();
  if (/^v?1\.\d+\.\d+/.test(w)) return w.startsWith('v') ? w : `v${w}`;
  const pins = pinnedVersions();
  const m = /^(old|new)([+-]\d+)?$/.exec(w);
  if (!m) throw new Error(`unknown version word "${w}" (use old, new, old-N, new+N or v1.X.Y)`);
  const base = m[1] === 'old' ? pins.K8S_OLD : pins.K8S_NEW;
  const delta = Number(m[2] ?? 0);
  if (delta === 0) return base;
  const minor = minorOf(base) + delta;
  if (minor === minorOf(pins.K8S_OLD)) return pins.K8S_OLD;
  if (minor === minorOf(pins.K8S_NEW)) return pins.K8S_NEW;
  return `v1.${minor}.${LATEST_PATCH[minor] ?? 3}`;
}

/** Debian/RPM package revision as pkgs.k8s.io publishes it: 1.35.4 -> 1.35.4-1.1 */
export function pkgVersion(v: string): string {
  return `${v.replace(/^v/, '')}-1.1`;
}
