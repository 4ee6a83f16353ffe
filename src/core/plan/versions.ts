// Version strings and component names as kubeadm prints them, across releases.
import semver from 'semver';

import type { PlanComponent } from './types';

// kubeadm prints Kubernetes versions with and without the `v` (`1.31.1` for kube-proxy in F10), etcd as
// `3.5.15-0`, CoreDNS as `1.7.0` or `v1.11.3`. This only asks "is this cell a version at all?".
const VERSION_LIKE = /^v?\d+(\.\d+){1,3}([-+][0-9A-Za-z.+-]*)?$/;

export function isVersionLike(s: string): boolean {
  return VERSION_LIKE.test(s);
}

/**
 * Kubernetes version with a leading `v`, as `kubeadm upgrade apply` expects it; null for anything that is not
 * a version. Component cells keep their printed form; only cluster/kubeadm/target versions go through here,
 * so that callers can compare them without caring how a given kubeadm release happened to print them.
 */
export function normalizeKubeVersion(s: string | null | undefined): string | null {
  if (s == null) return null;
  const t = s.trim();
  if (!isVersionLike(t)) return null;
  return t.startsWith('v') ? t : `v${t}`;
}

// Count format (kubeadm <= 1.29, and v1alpha2 JSON): the kubelet CURRENT cell is `5 x v1.20.0`.
const KUBELET_COUNT = /^(\d+)\s*x\s*(\S+)$/;

export function parseCountCell(cell: string): { count: number; version: string } | null {
  const m = KUBELET_COUNT.exec(cell.trim());
  if (!m) return null;
  return { count: Number(m[1]), version: m[2]! };
}

// kubeadm <= 1.12 printed display names ("API Server", "Kubelet", "Etcd"); later releases print the component
// names. Mapping the old ones keeps `kubelet` rows findable by name whatever release produced the text.
const LEGACY_NAMES: Record<string, string> = {
  kubelet: 'kubelet',
  'api server': 'kube-apiserver',
  'controller manager': 'kube-controller-manager',
  scheduler: 'kube-scheduler',
  'kube proxy': 'kube-proxy',
  'kube dns': 'kube-dns',
  etcd: 'etcd',
  coredns: 'CoreDNS',
};

export function canonicalComponentName(name: string): string {
  const key = name.trim().replace(/\s+/g, ' ').toLowerCase();
  return LEGACY_NAMES[key] ?? name.trim();
}

/**
 * The Kubernetes version an upgrade moves to, read from its components the way kubeadm's own printer does
 * (the kube-apiserver target), falling back to kubelet and kube-proxy for tables that lack the API server.
 */
export function targetFromComponents(components: readonly PlanComponent[]): string | null {
  for (const name of ['kube-apiserver', 'kubelet', 'kube-proxy']) {
    for (const c of components) {
      if (c.name !== name) continue;
      const v = normalizeKubeVersion(c.target);
      if (v) return v;
    }
  }
  return null;
}

/**
 * The apply command kubeadm would print for a target (structured output carries no command). Mirrors
 * kubeadm's printer: release candidates need --allow-release-candidate-upgrades, other pre-releases
 * --allow-experimental-upgrades.
 */
export function applyCommandFor(target: string): string {
  const pre = semver.prerelease(target);
  let flag = '';
  if (pre && pre.length > 0) {
    flag = String(pre[0]).startsWith('rc') ? ' --allow-release-candidate-upgrades' : ' --allow-experimental-upgrades';
  }
  return `kubeadm upgrade apply ${target}${flag}`;
}

/** True when both are semver versions and `a` is the higher one. */
export function isNewer(a: string, b: string | null): boolean {
  if (b === null) return false;
  const va = semver.valid(semver.clean(a) ?? a);
  const vb = semver.valid(semver.clean(b) ?? b);
  return va !== null && vb !== null && semver.gt(va, vb);
}

/**
 * Compares two version strings as printed (`v1.31.2`, `1.31.2`): semver precedence, the same as `core/version.ts`'s
 * compareVersions for parsed versions; strings semver cannot read sort after the rest, keeping their order.
 */
export function compareVersionStrings(a: string, b: string): number {
  const va = semver.valid(semver.clean(a) ?? a);
  const vb = semver.valid(semver.clean(b) ?? b);
  if (va && vb) return semver.compare(va, vb);
  if (va) return -1;
  if (vb) return 1;
  return 0;
}
