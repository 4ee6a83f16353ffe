/** A line of the audit log (an apply log) that names a backup folder: "link each backup to the line that made it". */
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
