// Reading what kubeadm left in /etc/kubernetes/tmp (and the extension's etcd snapshots) with one command per node.
import { sh, type ShellCommand } from '../exec/shell';
import { ETCD_SNAPSHOT_DIR, KUBEADM_TMP } from '../nodePaths';
import type { Backup, BackupFile, BackupKind, BackupTime, NodeBackups } from './types';

/**
 * One POSIX sh command (run as root: the folders are mode 0700) printing a line-oriented listing:
 * `#base DIR` / `#nobase DIR`, then per entry `#entry MTIME PATH`, `du -ak` lines (`KB<TAB>PATH`) and `#d PATH` for
 * directories; `#end` last so a cut-off listing is noticed. Only coreutils/busybox: stat -c, du -ak, find -type d.
 */
export function listingCommand(dirs: readonly string[] = [KUBEADM_TMP, ETCD_SNAPSHOT_DIR]): ShellCommand {
  return sh`for base in ${dirs}; do
  if [ -d "$base" ]; then echo "#base $base"; else echo "#nobase $base"; continue; fi
  for d in "$base"/kubeadm-* "$base"/etcd-snapshot-*; do
    [ -e "$d" ] || continue
    echo "#entry $(stat -c %Y "$d" 2>/dev/null || echo -) $d"
    du -ak "$d" 2>/dev/null
    find "$d" -type d 2>/dev/null | sed 's/^/#d /'
  done
done
echo "#end"`;
}

/** What the listing says. `complete` is false when `#end` is missing (the command died half-way). */
export interface Listing extends NodeBackups {
  readonly complete: boolean;
}

/** Parses the output of `listingCommand`. Never throws; unknown lines go to `unparsed`. */
export function parseListing(output: string, tmpDir: string = KUBEADM_TMP): Listing {
  const entries = new Map<string, { mtime: number | null; du: Map<string, number>; dirs: Set<string> }>();
  const bases = new Map<string, boolean>();
  const unparsed: string[] = [];
  let complete = false;
  const owner = (p: string) => {
    for (const [path, e] of entries) if (p === path || p.startsWith(path + '/')) return { path, e };
    return undefined;
  };
  for (const rawLine of output.split(/\r?\n/)) {
    const line = rawLine.replace(/\s+$/, '');
    if (line === '') continue;
    let m: RegExpExecArray | null;
    if (line === '#end') complete = true;
    else if ((m = /^#(no)?base (\/.*)$/.exec(line))) bases.set(m[2]!, m[1] === undefined);
    else if ((m = /^#entry (\d+|-) (\/.+)$/.exec(line))) entries.set(m[2]!, { mtime: m[1] === '-' ? null : Number(m[1]), du: new Map(), dirs: new Set() });
    else if ((m = /^#d (\/.+)$/.exec(line)) && owner(m[1]!)) owner(m[1]!)!.e.dirs.add(m[1]!);
    else if ((m = /^(\d+)\t(\/.+)$/.exec(line)) && owner(m[2]!)) owner(m[2]!)!.e.du.set(m[2]!, Number(m[1]));
    else unparsed.push(line);
  }
  const backups: Backup[] = [...entries].map(([path, e]) => toBackup(path, e.mtime, e.du, e.dirs));
  backups.sort((a, b) => (b.time?.iso ?? '').localeCompare(a.time?.iso ?? '') || (b.mtime ?? 0) - (a.mtime ?? 0) || a.name.localeCompare(b.name));
  return { tmpExists: bases.get(tmpDir) ?? backups.some((b) => b.path.startsWith(tmpDir + '/')), backups, unparsed, complete };
}

function toBackup(path: string, mtime: number | null, du: Map<string, number>, dirs: Set<string>): Backup {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const { kind, time } = classify(name);
  const files: BackupFile[] = [...du]
    .filter(([p]) => p !== path)
    .map(([p, kb]) => ({ path: p.slice(path.length + 1), sizeKb: kb, directory: dirs.has(p) }))
    .sort((a, b) => a.path.localeCompare(b.path));
  const etcdMember = files.some((f) => f.path === 'etcd/member' || f.path.startsWith('etcd/member/') || f.path === 'member');
  return {
    name,
    path,
    kind,
    time,
    mtime,
    sizeKb: du.get(path) ?? files.reduce((n, f) => n + (f.directory ? 0 : f.sizeKb), 0),
    files,
    etcdMember,
    empty: kind !== 'etcd-snapshot' && files.length === 0,
    replacedComponents: kind === 'manifests' ? files.filter((f) => !f.directory && f.path.endsWith('.yaml')).map((f) => f.path.replace(/\.yaml$/, '')) : [],
  };
}

const TS = '(\\d{4}-\\d{2}-\\d{2})-(\\d{2})-(\\d{2})-(\\d{2})';
const NAMES: [RegExp, BackupKind][] = [
  [new RegExp(`^kubeadm-backup-etcd-${TS}$`), 'etcd'],
  [new RegExp(`^kubeadm-backup-manifests-${TS}$`), 'manifests'],
  [new RegExp(`^etcd-snapshot-${TS}\\.db$`), 'etcd-snapshot'],
  [/^kubeadm-upgraded-manifests\d*$/, 'upgraded-manifests'],
  // kubeadm ≥ 1.35 (postupgrade.go CreateTimestampDir, seen on the sandbox's real node): kubeadm-kubelet-config-<ts>;
  // older ones: kubeadm-kubelet-config<random digits>.
  [new RegExp(`^kubeadm-kubelet-config-${TS}$`), 'kubelet-config'],
  [/^kubeadm-kubelet-config\d*$/, 'kubelet-config'],
  // kubeadm ≥ 1.35 also saves /var/lib/kubelet/kubeadm-flags.env before rewriting it, in a folder of its own made with a
  // random suffix (`Using temporary directory /etc/kubernetes/tmp/kubeadm-kubelet-env3966514992 for kubelet env file`,
  // `Backing up kubelet env file to …/kubeadm-kubelet-env3966514992/kubeadm-flags.env`, as 1.35.0 and 1.35.4 print it).
  [new RegExp(`^kubeadm-kubelet-env-${TS}$`), 'kubelet-env'],
  [/^kubeadm-kubelet-env\d*$/, 'kubelet-env'],
];

/** `kubeadm-backup-etcd-2025-03-25-17-13-19` → kind etcd, 2025-03-25 17:13:19. */
export function classify(name: string): { kind: BackupKind; time: BackupTime | null } {
  for (const [re, kind] of NAMES) {
    const m = re.exec(name);
    if (!m) continue;
    if (m.length < 5) return { kind, time: null };
    const time = `${m[2]}:${m[3]}:${m[4]}`;
    return { kind, time: { date: m[1]!, time, iso: `${m[1]}T${time}` } };
  }
  return { kind: 'other', time: null };
}
