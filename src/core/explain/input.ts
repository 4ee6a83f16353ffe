// From raw text to entries: line clean-up (shared with the plan parser), shell prompts (also glued to kubeadm's
// first line), prefixes that wrap every line (Docker BuildKit `#6 1.692 `, Vagrant `    node2: `, `13:07:23 `), and
// multi-line messages (a preflight item or klog line continued on the next lines, even one starting with `[`).
import { parseKlog, parseProgress, splitLines, type KlogLine, type ProgressLine } from '../plan/lines';
import type { BadInput } from './types';

export interface Entry {
  /** The line without prompt, wrapper prefix and surrounding blanks. */
  readonly text: string;
  /** Lines that continue this one (a multi-line warning or error). */
  readonly continuation: string[];
  /** The command typed at a prompt, when this line is one (`sudo kubeadm upgrade plan`). */
  readonly command: string | null;
  /** The host a `user@host:~$` / `[root@host ~]#` prompt names: the node the output came from. */
  readonly host: string | null;
  readonly klog: KlogLine | null;
  readonly progress: ProgressLine | null;
}

/** Rejects what cannot be output of a command: nothing at all, or binary data. */
export function badInput(text: string): BadInput | null {
  if (text.trim() === '') return { bad: 'empty' };
  // NUL or a run of other C0 controls (but not TAB/LF/CR/ESC, which terminal output has) means binary.
  const controls = text.match(/[\u0000-\u0008\u000e-\u001a\u001c-\u001f]/g)?.length ?? 0;
  if (text.includes('\u0000') || controls > text.length / 100) return { bad: 'binary' };
  return null;
}

export function entries(text: string): Entry[] {
  const lines = stripWrapper(splitLines(text)).flatMap(splitGluedPrompt);
  const out: Entry[] = [];
  for (const line of lines) {
    const trimmed = line.trim();
    const last = out[out.length - 1];
    if (trimmed !== '' && last && continues(last, trimmed)) {
      last.continuation.push(trimmed);
      continue;
    }
    const first = out.every((e) => e.text === '' && e.command === null);
    const command = promptCommand(trimmed) ?? (first ? BARE_COMMAND.exec(trimmed)?.[1] ?? null : null);
    out.push({
      text: command === null ? trimmed : '',
      continuation: [],
      command,
      host: command === null ? null : (/^\[?[\w.-]+@([\w.-]+)[: ]/.exec(trimmed)?.[1] ?? null),
      klog: command === null ? parseKlog(trimmed) : null,
      progress: command === null ? parseProgress(trimmed) : null,
    });
  }
  return out;
}

/** The entry's message with its continuation lines, as one line. */
export function fullMessage(e: Entry): string {
  return [e.klog ? e.klog.message : e.text, ...e.continuation].join(' ').trim();
}

// ---- prompts ----

const PROMPTS: readonly RegExp[] = [
  /^\$\s?(.*)$/, // `$ sudo kubeadm upgrade plan`
  /^[\w.-]+@[\w.-]+:[^$#\s]*[$#]\s?(.*)$/, // `user@host:~$ cmd`
  /^\[[\w.-]+@[\w.-]+[^\]]*\][$#]\s?(.*)$/, // `[root@host ~]# cmd`
  /^#\s((?:sudo\s+)?(?:kubeadm|kubectl|apt|apt-get|yum|dnf|oc)\b.*)$/, // `# kubeadm upgrade apply v1.10.0`
  /^\++\s(.*)$/, // a `bash -x` trace: `++ apt-get install -y kubeadm=1.12.0`
];

/** A command pasted without a prompt; only believed on the first line (plan output prints `kubeadm upgrade apply vX`). */
const BARE_COMMAND = /^((?:sudo\s+)?(?:kubeadm|kubectl|apt|apt-get|apt-mark|apt-cache|yum|dnf|oc)\s.*)$/;

/** The command typed at a prompt, or null when the line is output. `''` for a prompt with nothing typed. */
export function promptCommand(trimmed: string): string | null {
  // kubeadm output never starts like a prompt; `[upgrade] ...` lines must not match the bracketed-prompt form.
  if (parseProgress(trimmed) || /^\[(ERROR|WARNING)\s/.test(trimmed)) return null;
  for (const p of PROMPTS) {
    const m = p.exec(trimmed);
    if (m) return m[1]!.trim();
  }
  return null;
}

/** `$ sudo kubeadm upgrade plan[preflight] Running pre-flight checks.` → the prompt line and kubeadm's first line. */
function splitGluedPrompt(line: string): string[] {
  const m = /^(.*\bkubeadm\s+upgrade\s+(?:plan|apply|node)\b[^[]*?)(\[[A-Za-z][\w.-]*(?:\/[\w.-]+)*\]\s.*)$/.exec(line);
  return m && promptCommand(m[1]!.trim()) !== null ? [m[1]!, m[2]!] : [line];
}

// ---- wrapper prefixes ----

const WRAPPERS: readonly RegExp[] = [
  /^#\d+ \d+\.\d+ /, // Docker BuildKit
  /^\d{2}:\d{2}:\d{2} /, // CI timestamps
  /^\s*[\w.-]+:(?: |$)/, // Vagrant / Ansible host prefix `    node2: `
];

/** Removes a prefix that wraps (nearly) every line; a prefix on some lines only is left alone. */
function stripWrapper(lines: string[]): string[] {
  const content = lines.filter((l) => l.trim() !== '');
  for (const w of WRAPPERS) {
    const prefixes = content.map((l) => w.exec(l)?.[0]?.trim() ?? null);
    const first = prefixes[0];
    if (!first) continue;
    // BuildKit and timestamps differ per line; a host prefix must be the same word on every line.
    const same = w === WRAPPERS[2] ? prefixes.every((p) => p === first) : prefixes.every((p) => p !== null);
    if (same && content.length > 1) return lines.map((l) => l.replace(w, ''));
  }
  return lines;
}

// ---- continuation ----

const NEW_ENTRY: readonly RegExp[] = [
  /^\[(ERROR|WARNING)\s/,
  /^- /,
  /^(error|To see the stack trace|Please fix|Can be bypassed|E:|W:|N:|Err:|Hit:|Get:|Ign:)/,
];

/** True when `trimmed` continues the message of `last` rather than starting a new line of output. */
function continues(last: Entry, trimmed: string): boolean {
  const opener = /^\[(ERROR|WARNING)\s/.test(last.text) || last.klog !== null;
  if (!opener || last.command !== null) return false;
  if (parseKlog(trimmed) || parseProgress(trimmed) || promptCommand(trimmed) !== null) return false;
  return !NEW_ENTRY.some((p) => p.test(trimmed));
}
