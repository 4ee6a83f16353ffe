// Input clean-up and the shapes of lines that carry no plan data of their own.

/**
 * Lines of `text` with CRLF/CR endings, a BOM, terminal colour codes and trailing blanks removed. Leading
 * blanks are kept: table rows are cut at column offsets, and those include any indentation.
 */
export function splitLines(text: string): string[] {
  return text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '')
    .split('\n')
    // trimEnd, not /\s+$/: the regex is quadratic on long blank runs inside a line.
    .map((line) => line.trimEnd());
}

export interface KlogLine {
  severity: 'I' | 'W' | 'E' | 'F';
  message: string;
}

// klog header: Lmmdd hh:mm:ss.uuuuuu threadid file:line] msg (kubeadm writes these to stderr, which users
// often capture together with stdout).
const KLOG = /^([IWEF])\d{4}\s+\d{2}:\d{2}:\d{2}\.\d+\s+\d+\s+[^\s\]]+\]\s?(.*)$/;

export function parseKlog(trimmed: string): KlogLine | null {
  const m = KLOG.exec(trimmed);
  if (!m) return null;
  return { severity: m[1] as KlogLine['severity'], message: m[2]!.trim() };
}

export interface ProgressLine {
  /** The bracketed phase tag without brackets, e.g. `upgrade/versions`. */
  tag: string;
  message: string;
}

// `[upgrade/versions] Cluster version: v1.31.1`, `[preflight] Running pre-flight checks.`, `[kubelet-start] ...`.
// Tags have no spaces, which tells them apart from `[ERROR Name]` / `[WARNING Name]`.
const PROGRESS = /^\[([A-Za-z][\w.-]*(?:\/[\w.-]+)*)\]\s*(.*)$/;

export function parseProgress(trimmed: string): ProgressLine | null {
  const m = PROGRESS.exec(trimmed);
  if (!m) return null;
  return { tag: m[1]!, message: m[2]! };
}

/** kubeadm ends every upgrade block and the config table with a row of underscores. */
export function isSeparator(trimmed: string): boolean {
  return /^_{10,}$/.test(trimmed);
}
