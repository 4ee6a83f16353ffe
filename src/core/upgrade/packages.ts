import { parseVersion, type KubeVersion } from '../version';
import { quote, raw, sh, validateVersion, type ShellCommand } from '../exec/shell';

/** How the node installs Kubernetes packages. yum/dnf hold packages with `exclude=` in the repo file instead of marks. */
export type PackageManager = 'apt' | 'yum' | 'dnf' | 'dnf5';

export type KubePackage = 'kubeadm' | 'kubelet' | 'kubectl';

/** Prints apt, yum, dnf, dnf5 or none: one command, so detection costs one round trip. */
export const DETECT_PACKAGE_MANAGER: ShellCommand = raw(
  'if command -v apt-get >/dev/null 2>&1; then echo apt; ' +
    'elif command -v dnf5 >/dev/null 2>&1; then echo dnf5; ' +
    'elif command -v dnf >/dev/null 2>&1; then if dnf --version 2>/dev/null | head -n1 | grep -qi dnf5; then echo dnf5; else echo dnf; fi; ' +
    'elif command -v yum >/dev/null 2>&1; then echo yum; else echo none; fi',
);

export function parsePackageManager(output: string): PackageManager | undefined {
  const word = output.trim().split(/\s+/).pop();
  return word === 'apt' || word === 'yum' || word === 'dnf' || word === 'dnf5' ? word : undefined;
}

/** One available package version, e.g. `1.32.3-1.1` (apt) or `1.32.3-150500.1.1` (rpm), with its Kubernetes version. */
export interface PackageVersion {
  readonly packageVersion: string;
  readonly version: KubeVersion;
}

/** `apt-cache madison kubeadm` / `yum list --showduplicates kubeadm`: what the node's repo actually offers. */
export function listVersionsCommand(pm: PackageManager, pkg: KubePackage): ShellCommand {
  switch (pm) {
    case 'apt':
      return sh`apt-cache madison ${pkg}`;
    case 'yum':
      return sh`yum list --showduplicates ${pkg} --disableexcludes=kubernetes`;
    case 'dnf':
      return sh`dnf list --showduplicates ${pkg} --disableexcludes=kubernetes`;
    case 'dnf5':
      return sh`dnf list --showduplicates ${pkg} --setopt=disable_excludes=kubernetes`;
  }
}

/** Refreshes the node's package index (needs root), so the list shows what the repository offers today. */
export function refreshIndexCommand(pm: PackageManager): ShellCommand {
  switch (pm) {
    case 'apt':
      return raw('apt-get update -q');
    case 'yum':
      return raw('yum makecache -q');
    case 'dnf':
    case 'dnf5':
      return raw('dnf makecache --refresh -q');
  }
}

/**
 * The versions the repository offers, listed after refreshing the index (run with sudo): a patch released since the
 * node's last `apt-get update` is offered, and the package check does not refuse it. A refresh that fails (mirror
 * unreachable) does not hide the cached list; a warning on stderr says the list may be stale.
 */
export function freshVersionsCommand(pm: PackageManager, pkg: KubePackage): ShellCommand {
  const refresh = refreshIndexCommand(pm);
  return raw(`${refresh} >/dev/null 2>&1 || echo ${quote(`warning: ${refresh} failed: listing the cached index`)} >&2; ${listVersionsCommand(pm, pkg)}`);
}

/** Parses madison (` kubeadm | 1.32.3-1.1 | https://... Packages`) or yum/dnf list (`kubeadm.x86_64  1.32.3-150500.1.1  kubernetes`). */
export function parseAvailableVersions(output: string, pkg: KubePackage): PackageVersion[] {
  const seen = new Set<string>();
  const out: PackageVersion[] = [];
  for (const line of output.split(/\r?\n/)) {
    const madison = line.match(/^\s*(\S+)\s*\|\s*(\S+)\s*\|/);
    const rpm = line.match(/^\s*([A-Za-z0-9_.+-]+?)(?:\.(?:x86_64|aarch64|arm64|ppc64le|s390x|noarch))\s+(?:\d+:)?(\S+)\s+\S+/);
    const [name, ver] = madison ? [madison[1], madison[2]] : rpm ? [rpm[1], rpm[2]] : [undefined, undefined];
    if (name !== pkg || !ver || seen.has(ver)) continue;
    const v = parseVersion(ver.split('-')[0]);
    if (!v) continue;
    seen.add(ver);
    out.push({ packageVersion: ver, version: v });
  }
  return out.sort((a, b) => b.version.minor - a.version.minor || b.version.patch - a.version.patch);
}

/**
 * Unhold, install exactly `packageVersion`, hold again (apt); on rpm systems the kubernetes repo's `exclude=` is
 * lifted for this one command, which is the rpm way of holding. Refreshes the index first, as the docs do.
 */
export function installCommand(pm: PackageManager, pkgs: readonly KubePackage[], packageVersion: string): ShellCommand {
  validateVersion(packageVersion);
  const specs = (sep: string) => pkgs.map((p) => `${p}${sep}${packageVersion}`);
  switch (pm) {
    case 'apt':
      return sh`apt-mark unhold ${pkgs} && apt-get update && apt-get install -y ${specs('=')} && apt-mark hold ${pkgs}`;
    case 'yum':
      return sh`yum install -y ${specs('-')} --disableexcludes=kubernetes`;
    case 'dnf':
      return sh`dnf install -y ${specs('-')} --disableexcludes=kubernetes`;
    case 'dnf5':
      return sh`dnf install -y ${specs('-')} --setopt=disable_excludes=kubernetes`;
  }
}
