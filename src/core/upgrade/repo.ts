import { formatMinor, type MinorRef } from '../version';
import { sh, validatePath, type ShellCommand } from '../exec/shell';
import type { PackageManager } from './packages';

/** Lists every pkgs.k8s.io line in the apt sources and yum repos as `FILE:LINE:TEXT`. */
export const FIND_REPO_LINES: ShellCommand = sh`grep -H -n -s pkgs.k8s.io /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources /etc/yum.repos.d/*.repo || true`;

export interface RepoLine {
  readonly file: string;
  readonly line: number;
  readonly text: string;
  /** The minor in `/core:/stable:/v1.31/`; undefined for lines without one (e.g. a gpgkey line of another shape). */
  readonly minor: MinorRef | undefined;
}

const STABLE_MINOR = /\/core:\/stable:\/v(\d+)\.(\d+)\//;

export function parseRepoLines(output: string): RepoLine[] {
  const out: RepoLine[] = [];
  for (const l of output.split(/\r?\n/)) {
    const m = l.match(/^([^:]+):(\d+):(.*)$/);
    if (!m) continue;
    const minor = m[3]!.match(STABLE_MINOR);
    out.push({ file: m[1]!, line: Number(m[2]), text: m[3]!, minor: minor ? { major: Number(minor[1]), minor: Number(minor[2]) } : undefined });
  }
  return out;
}

/** The per-minor repo change a minor upgrade needs: which files, the lines before and after (shown as a diff). */
export interface RepoChange {
  readonly from: MinorRef;
  readonly to: MinorRef;
  readonly files: readonly string[];
  readonly diff: readonly { file: string; line: number; before: string; after: string }[];
}

export function planRepoChange(lines: readonly RepoLine[], target: MinorRef): RepoChange | undefined {
  const stale = lines.filter((l) => l.minor && (l.minor.major !== target.major || l.minor.minor !== target.minor));
  if (stale.length === 0) return undefined;
  const from = stale[0]!.minor!;
  const to = `/core:/stable:/v${formatMinor(target)}/`;
  return {
    from,
    to: target,
    files: [...new Set(stale.map((l) => l.file))],
    diff: stale.map((l) => ({ file: l.file, line: l.line, before: l.text, after: l.text.replace(STABLE_MINOR, to) })),
  };
}

export function repoDiffText(change: RepoChange): string {
  return change.diff.map((d) => `--- ${d.file}:${d.line}\n-${d.before}\n+${d.after}`).join('\n');
}

/**
 * Backs each file up next to itself (`FILE.kubeadm-upgrade-<stamp>.bak`, `cp -p` keeps mode and owner), rewrites the
 * minor, and refreshes the package index. `stamp` names the run, so a resumed run reuses its own backup.
 */
export function switchRepoCommand(change: RepoChange, pm: PackageManager, stamp: string): ShellCommand {
  if (!/^[0-9TZ-]+$/.test(stamp)) throw new Error(`bad backup stamp ${stamp}`);
  const parts = change.files.map((f) => {
    validatePath(f);
    const backup = `${f}.kubeadm-upgrade-${stamp}.bak`;
    const expr = `s#/core:/stable:/v[0-9][0-9]*\\.[0-9][0-9]*/#/core:/stable:/v${formatMinor(change.to)}/#g`;
    return sh`{ [ -e ${backup} ] || cp -p ${f} ${backup}; } && sed -i ${expr} ${f}`;
  });
  const refresh = pm === 'apt' ? 'apt-get update' : pm === 'yum' ? 'yum makecache' : 'dnf makecache';
  return `${parts.join(' && ')} && ${refresh}` as ShellCommand;
}
