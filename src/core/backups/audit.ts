import { endedIds, isEndedStart } from '../audit/record';
/** A line of the audit log (or of a saved apply log) that relates to a backup folder. */
export interface LogLink {
  /** 1-based line number in the log. */
  readonly line: number;
  readonly text: string;
}

/** Lines of `log` that mention the backup folder `name` (e.g. "backing up old manifest to .../kubeadm-backup-manifests-…/x.yaml"). */
export function findLogLines(log: string, name: string): LogLink[] {
  if (!name) return [];
  const out: LogLink[] = [];
  log.split(/\r?\n/).forEach((text, i) => {
    if (text.includes(name)) out.push({ line: i + 1, text: text.trim() });
  });
  return out;
}

/** The fields of the extension's audit entries (one JSON line per command run on a node) that linking needs. */
export interface AuditEntryLike {
  /** ISO time the command started (UTC, the extension's clock). */
  readonly time: string;
  readonly node: string;
  readonly command: string;
  readonly durationMs: number;
  readonly exitCode: number | null;
  /** A start line (`start`) and its end line (`end`) share an id; older lines have neither. */
  readonly id?: string | undefined;
  readonly stage?: 'start' | 'end' | undefined;
}

// The command *is* kubeadm's (after env assignments and sudo with its options): a line that only mentions it, such as
// "etcd snapshot before kubeadm upgrade apply: …", is not the run that made a backup.
const UPGRADE = /^(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*(?:sudo\s+(?:-\S+\s+)*)?(?:\S*\/)?kubeadm\s+upgrade\s+(apply|node)\b/;
const SLACK_MS = 120_000;

/**
 * The `kubeadm upgrade apply|node` command of the audit log that created a backup folder: the run on that node
 * whose time span contains the folder's timestamp. kubeadm names folders in the node's local time, whose zone the
 * extension does not know: whole-hour offsets are tried, nearest first. Returns [] when nothing fits.
 */
export function auditLinks(entries: readonly AuditEntryLike[], node: string, backupIso: string): LogLink[] {
  const backup = Date.parse(backupIso + 'Z');
  if (!Number.isFinite(backup)) return [];
  // A command is read from its end line; a start line counts only when its end is missing (the run died mid-command).
  const ended = endedIds(entries);
  const candidates = entries
    .map((e, i) => ({ e, i }))
    .filter(({ e }) => e.node === node && !isEndedStart(e, ended) && UPGRADE.test(e.command) && Number.isFinite(Date.parse(e.time)));
  for (const hours of offsets()) {
    const at = backup - hours * 3_600_000;
    const hit = candidates.find(({ e }) => {
      const start = Date.parse(e.time);
      return at >= start - SLACK_MS && at <= start + Math.max(e.durationMs, 0) + SLACK_MS;
    });
    if (hit) {
      const zone = hours === 0 ? '' : ` (node clock UTC${hours > 0 ? '+' : ''}${hours})`;
      const result = hit.e.stage === 'start' ? 'no end recorded' : `exit ${hit.e.exitCode ?? 'none'}`;
      return [{ line: hit.i + 1, text: `${hit.e.time} ${hit.e.command} → ${result}${zone}` }];
    }
  }
  return [];
}

function* offsets(): Generator<number> {
  yield 0;
  for (let h = 1; h <= 14; h++) {
    yield h;
    yield -h;
  }
}

/** What the audit log says about the last `kubeadm upgrade apply|node` on a node, for the top of its recovery steps. */
export interface LastUpgrade {
  readonly outcome: 'succeeded' | 'failed' | 'unknown';
  /** ISO time the command started (UTC). */
  readonly time: string;
  readonly command: string;
  readonly exitCode: number | null;
  /** One or two plain sentences. Backticks are code. */
  readonly text: string;
}

export function lastUpgrade(entries: readonly AuditEntryLike[] | null | undefined, node: string): LastUpgrade | null {
  const runs = (entries ?? []).filter((e) => e.node === node && UPGRADE.test(e.command) && Number.isFinite(Date.parse(e.time)));
  if (runs.length === 0) return null;
  const last = runs.reduce((a, b) => (Date.parse(b.time) >= Date.parse(a.time) ? b : a));
  const at = `${last.time.replace('T', ' ').replace(/\.\d+Z$|Z$/, '')} UTC`;
  const what = `\`${last.command.replace(/^sudo\s+/, '')}\``;
  if (last.exitCode === 0) {
    return {
      outcome: 'succeeded',
      time: last.time,
      command: last.command,
      exitCode: 0,
      text: `The last upgrade of ${node} succeeded: ${what} ended with exit code 0 at ${at} (audit log). If its control plane is healthy now, you probably need none of this.`,
    };
  }
  const how = last.exitCode === null ? 'ended without an exit status (the connection or the node went away?)' : `failed with exit code ${last.exitCode}`;
  return {
    outcome: last.exitCode === null ? 'unknown' : 'failed',
    time: last.time,
    command: last.command,
    exitCode: last.exitCode,
    text: `The last upgrade of ${node} ${how}: ${what} at ${at} (audit log). Pick the situation below that matches what you see on the node; each is a procedure of its own.`,
  };
}
