// apt and yum/dnf: held packages, a version the repository lacks, a 404 repository, the retired
// packages.cloud.google.com / apt|yum.kubernetes.io repositories (timeouts, "Trying other mirror"), packages dnf
// filtered out by an `exclude=` line, an expired signing key.
// Message texts from apt (apt-pkg/cachefile, apt-private/private-install) and yum/dnf as users report them.
import type { Recogniser } from './acc';

/** packages.cloud.google.com/yum|apt, yum.kubernetes.io, apt.kubernetes.io: replaced by pkgs.k8s.io. */
const RETIRED = /packages\.cloud\.google\.com\/(?:yum|apt)|\b(?:yum|apt)\.kubernetes\.io\b/;

export const PACKAGE_FAILURES: readonly Recogniser[] = [
  function heldList(e, acc) {
    if (/^The following held packages will be changed:$/.test(e.text)) {
      acc.listMode = 'held';
      acc.mark('apt');
      return true;
    }
    if (/^The following (?:packages|NEW packages|additional packages).*:$/.test(e.text)) {
      acc.listMode = 'other';
      return true;
    }
    if ((acc.listMode === 'held' || acc.listMode === 'other') && /^[a-z0-9][\w.+-]*(?: [a-z0-9][\w.+-]*)*$/.test(e.text)) {
      if (acc.listMode === 'held') acc.heldPackages.push(...e.text.split(' '));
      return true;
    }
    if (acc.listMode !== 'pending-pods') acc.listMode = null;
    return false;
  },
  function held(e, acc) {
    if (!/^E: Held packages were changed and -y was used without --allow-change-held-packages/.test(e.text)) return false;
    acc.mark('apt');
    acc.add('package-held', { phase: 'apt', items: acc.heldPackages }, e.text);
    return true;
  },
  function aptVersionMissing(e, acc) {
    const m = /^E: Version '([^']+)' for '([^']+)' was not found/.exec(e.text);
    if (!m) return false;
    acc.mark('apt');
    acc.add('package-version-missing', { phase: 'apt', items: [m[2]!], value: m[1]! }, e.text);
    return true;
  },
  function excluded(e, acc) {
    // dnf: `All matches were filtered out by exclude filtering for argument: kubeadm` (the repo file's `exclude=` line),
    // then `Error: Unable to find a match: kubeadm`, which says the same.
    const m = /All matches were filtered out by exclude filtering for argument: (\S+)/.exec(e.text);
    const again = /^Error: Unable to find a match: (.+)$/.exec(e.text);
    if (again && acc.raw.some((r) => r.id === 'package-excluded' && again[1]!.split(/\s+/).every((p) => r.facts.items?.includes(p)))) return true;
    if (!m) return false;
    acc.mark('yum');
    acc.add('package-excluded', { phase: 'yum', items: [m[1]!] }, e.text);
    return true;
  },
  function yumVersionMissing(e, acc) {
    const m = /^No package (\S+) available\.$/.exec(e.text) ?? /^(?:No match for argument|Error: Unable to find a match): (\S+)/.exec(e.text);
    if (!m) return false;
    acc.mark('yum');
    const [name, version] = /^(.*?)-(\d+\.\d+\.\d+.*)$/.exec(m[1]!)?.slice(1) ?? [m[1]!, null];
    acc.add('package-version-missing', { phase: 'yum', items: [name!], value: version ?? null }, e.text);
    return true;
  },
  function repo404(e, acc) {
    const yum = /Status code: 404 for (\S+)/.test(e.text) || /\[Errno 14\] HTTPS? Error 404/.test(e.text);
    if (!yum && !/^404\s+Not Found|does not have a Release file|no longer has a Release file/.test(e.text)) return false;
    acc.mark(yum ? 'yum' : 'apt');
    acc.add('package-repo-404', { phase: yum ? 'yum' : 'apt' }, e.text);
    return true;
  },
  function repoRetired(_e, acc, msg) {
    // The legacy repositories (frozen 2023, removed 2024): yum times out on repomd.xml and "tries other mirrors".
    if (!RETIRED.test(msg) || !/\[Errno|Timeout|timed out|curl#|Could not resolve|Failed to|Cannot retrieve|signature could not be verified/i.test(msg)) return false;
    const yum = /repomd\.xml|\/yum\/|yum\.kubernetes\.io|\[Errno/.test(msg);
    acc.mark(yum ? 'yum' : 'apt');
    acc.add('package-repo-retired', { phase: yum ? 'yum' : 'apt' }, msg.replace(/^\^C/, ''));
    return true;
  },
  function keyExpired(e, acc) {
    const m = /EXPKEYSIG (\w+)/.exec(e.text);
    if (!m) return false;
    acc.mark('apt');
    acc.add('package-key-expired', { phase: 'apt', value: m[1]! }, e.text);
    return true;
  },
  function notSignedAfterKey(e, acc) {
    // The consequence of an expired key, said again by apt; explained by the key finding.
    return /^E: The repository '.*' is not signed\.$/.test(e.text) && acc.raw.some((r) => r.id === 'package-key-expired');
  },
  function targetFromInstall(e, acc) {
    // The version asked for on the command line (`apt-get install -y kubeadm='1.33.0-*'`, `kubelet=1.14.3-00`).
    const m = /\bkube(?:adm|let|ctl)[=-]'?(\d+\.\d+\.\d+)/.exec(e.command ?? '');
    if (m && !acc.target) acc.target = `v${m[1]}`;
    return false;
  },
];

/** apt and yum lines that report progress, not problems. */
export const PACKAGE_NOISE: readonly [RegExp, 'apt' | 'yum'][] = [
  [/^(?:Hit|Get|Ign|Err):\d+ /, 'apt'],
  [/^Reading package lists|^Building dependency tree|^Reading state information/, 'apt'],
  [/^\d+ upgraded, \d+ newly installed/, 'apt'],
  [/^(?:Setting up|Unpacking|Preparing to unpack|Selecting previously unselected|Processing triggers for) /, 'apt'],
  [/^(?:Fetched|Need to get|After this operation|Selected version|Canceled hold on)[ ,]/, 'apt'],
  [/ set on hold\.$| was already (?:not )?(?:on )?hold\.?$|is already the newest version/, 'apt'],
  // apt's explanation before `E: Version … not found` / `E: Package … has no installation candidate`.
  [/^Package \S+ is not available, but is referred to by another package\.$|^This may mean that the package is missing, has been obsoleted, or$|^is only available from another source$/, 'apt'],
  [/^Use '(?:sudo )?apt(?:-get)? autoremove' to remove (?:it|them)\.$/, 'apt'],
  [/^\(Reading database/, 'apt'],
  [/^\d+ packages? can be upgraded|^All packages are up to date/, 'apt'],
  [/^N: |^W: (?:GPG error|Failed to fetch|Some index files|An error occurred during the signature)/, 'apt'],
  [/^debconf: /, 'apt'],
  [/^Loaded plugins:|^Loading mirror speeds|^This system is (?:not )?(?:registered|receiving)|^\* [\w-]+: /, 'yum'],
  // dnf's download line per repository (`nginx repo   106 kB/s | 113 kB     00:01`), yum's retry on the next mirror.
  [/^.+\s\d+(?:\.\d+)? [kMG]?B\/s \|\s+\d+(?:\.\d+)? [kMG]?B\s+\d{2}:\d{2}$|^Trying other mirror\.$/, 'yum'],
  [/packages excluded due to|^Error: Nothing to do$|^Last metadata expiration check|^Resolving Dependencies|^-{1,3}> |^Dependencies [Rr]esolved|^Repository \S+ is listed more than once|^Complete!$/, 'yum'],
];
