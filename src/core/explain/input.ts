// From raw text to entries: line clean-up (shared with the plan parser), shell prompts (also glued to kubeadm's
// first line; a command continued with `\` or wrapped inside a quote), prefixes that wrap every line (Docker BuildKit
// `#6 1.692 `, Vagrant `    node2: `, KubeOne's `[cp-1] `, `13:07:23 `, Prow's `I1202 10:06:18.561] `, a Python
// logger's `2023-11-10 11:56:44,441 … DEBUG [name] `, Ansible's quoted `stdout_lines`), kubeadm's
// `[preflight] If you know what you are doing…` glued to the end of an error, and multi-line messages (a preflight item
// or klog line continued on the next lines, even one starting with `[`).
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
  const lines = stripWrapper(splitLines(text)).flatMap(splitGluedPrompt).flatMap(splitGluedHint);
  const out: Entry[] = [];
  for (const line of lines) {
    const trimmed = line.trim();
    const last = out[out.length - 1];
    if (last?.command && commandGoesOn(last.command) && trimmed !== '') {
      // `cmd && \` then the rest on the next line; or a terminal that wrapped the command inside a quote.
      (last as { command: string }).command = last.command.endsWith('\\') ? `${last.command.slice(0, -1).trimEnd()} ${trimmed}` : last.command + trimmed;
      continue;
    }
    if (trimmed !== '' && last && continues(last, trimmed)) {
      last.continuation.push(trimmed);
      continue;
    }
    const first = out.every((e) => e.text === '' && e.command === null);
    const command = promptCommand(trimmed) ?? (first || KUBEADM_UPGRADE.test(trimmed) ? BARE_COMMAND.exec(trimmed)?.[1] ?? null : null);
    out.push({
      text: command === null ? trimmed : '',
      continuation: [],
      command,
      host: command === null ? null : (/^\[?[\w.-]+@([\w.-]+)[: ]/.exec(trimmed)?.[1] ?? ARROW_PROMPT.exec(trimmed)?.[1] ?? null),
      klog: command === null ? parseKlog(trimmed) : null,
      progress: command === null ? parseProgress(trimmed) : null,
    });
  }
  return out;
}

/** A typed command continues on the next line: it ends with `\`, or a quote is still open (the terminal wrapped it). */
function commandGoesOn(command: string): boolean {
  return command.endsWith('\\') || (command.match(/'/g)?.length ?? 0) % 2 === 1;
}

/** `sudo kubeadm upgrade apply|node|plan` typed without a prompt: a run of kubeadm starts here, wherever it is (plan
 * output prints `kubeadm upgrade apply vX` itself, never with sudo). */
const KUBEADM_UPGRADE = /^sudo\s+kubeadm\s+upgrade\s+(?:apply|node|plan)\b/;

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
  /^Command: "(.*)"$/, // an installer's log of what it runs: `Command: "sudo kubeadm upgrade apply v1.28.3 …"`
];

/** An oh-my-zsh / KodeKloud prompt: `controlplane ~ ➜  k drain node01`, `node01 ~ ✖ sudo apt update`. */
const ARROW_PROMPT = /^([\w.-]+) [~/]\S* [\u279c\u2716]\s+(.*)$/;

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
  const arrow = ARROW_PROMPT.exec(trimmed);
  return arrow ? arrow[2]!.trim() : null;
}

/** `…unknown service runtime.v1.RuntimeService[preflight] If you know what you are doing…`: kubeadm printed its hint
 * right after an error that had no newline of its own; two lines of output. */
function splitGluedHint(line: string): string[] {
  const m = /^(.*\S)(\[preflight\] If you know what you are doing.*)$/.exec(line);
  return m ? [m[1]!, m[2]!] : [line];
}

/** `$ sudo kubeadm upgrade plan[preflight] Running pre-flight checks.` → the prompt line and kubeadm's first line. */
function splitGluedPrompt(line: string): string[] {
  const m = /^(.*\bkubeadm\s+upgrade\s+(?:plan|apply|node)\b[^[]*?)(\[[A-Za-z][\w.-]*(?:\/[\w.-]+)*\]\s.*)$/.exec(line);
  return m && promptCommand(m[1]!.trim()) !== null ? [m[1]!, m[2]!] : [line];
}

// ---- wrapper prefixes ----

const HOST_PREFIX = /^\s*[\w.-]+:(?: |$)/; // Vagrant / Ansible host prefix `    node2: `
// KubeOne's host tag `[cp-1] `: the same tag on every line, and not one of kubeadm's own phase tags.
const HOST_TAG = /^\[[\w.-]+\] /;
const KUBEADM_TAGS = /^\[(?:preflight|upgrade|init|certs|kubeconfig|kubelet|kubelet-start|kubelet-check|control-plane|controlplane|etcd|apiclient|addons|bootstrap-token|bootstraptoken|mark-control-plane|upload-config|uploadconfig|upload-certs|patches|reset|join|dryrun|certificates|wait-control-plane|kubelet-finalize|endpoint|discovery|config)\] /;
const WRAPPERS: readonly RegExp[] = [
  /^#\d+ \d+\.\d+ /, // Docker BuildKit
  /^\d{2}:\d{2}:\d{2} /, // CI timestamps
  /^[IWEF]\d{4} \d{2}:\d{2}:\d{2}\.\d+\] ?/, // Prow build log `I1202 10:06:18.561] `
  // A logger's line head: `2023-11-10 11:56:44,441 140368685827904 DEBUG [__init__.upgrade_first_control_plane]    `
  /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?\s+(?:\d+\s+)?(?:(?:TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|CRITICAL|FATAL)\s+)?(?:\[[^\]]*\]\s+)?/,
];

/** Removes a prefix that wraps (nearly) every line; a prefix on some lines only is left alone. */
function stripWrapper(lines: string[]): string[] {
  const content = lines.filter((l) => l.trim() !== '');
  if (content.length === 0) return lines;
  const quoted = unquoteAnsible(lines, content);
  if (quoted) return quoted;
  for (const w of WRAPPERS) {
    // Timestamps and build steps differ per line; every line must have one (a single line too: a logger's head is unmistakable).
    if (content.every((l) => w.test(l)) && (content.length > 1 || w === WRAPPERS[3])) return lines.map((l) => l.replace(w, ''));
  }
  for (const w of [HOST_PREFIX, HOST_TAG]) {
    const prefixes = content.map((l) => w.exec(l)?.[0]?.trim() ?? null);
    const first = prefixes[0];
    if (!first || content.length < 2 || !prefixes.every((p) => p === first)) continue;
    if (w === HOST_TAG && KUBEADM_TAGS.test(`${first} `)) continue;
    return lines.map((l) => l.replace(w, ''));
  }
  // KubeOne with several nodes: each line tagged with its node (`[172.31.145.202] `), its own logrus lines between.
  const tags = content.map((l) => HOST_TAG.exec(l)?.[0] ?? null);
  const hostLike = (t: string) => /[\d.]/.test(t) && !KUBEADM_TAGS.test(t);
  if (tags.some((t) => t !== null) && content.every((l, i) => (tags[i] !== null && hostLike(tags[i]!)) || LOGRUS.test(l))) {
    return lines.map((l) => (HOST_TAG.test(l) && hostLike(HOST_TAG.exec(l)![0]) ? l.replace(HOST_TAG, '') : l));
  }
  return lines;
}

/** KubeOne's (logrus) own lines: `INFO[18:18:08 CEST] Running kubeadm preflight checks...   node=172.31.147.179`. */
export const LOGRUS = /^(?:INFO|WARN|DEBU|ERRO|FATA)\[[^\]]*\]/;

/** Ansible's `stdout_lines` / `stderr_lines`: every line a JSON string (`"[upgrade] …",`), the list's brackets around. */
function unquoteAnsible(lines: string[], content: string[]): string[] | null {
  const item = /^\s*("(?:[^"\\]|\\.)*"),?\s*$/;
  const frame = /^\s*(?:"(?:stdout|stderr)_lines": \[|\],?)\s*$/;
  const items = content.filter((l) => item.test(l));
  if (items.length < 2 || !content.every((l) => item.test(l) || frame.test(l))) return null;
  return lines.filter((l) => !frame.test(l)).map((l) => {
    const m = item.exec(l);
    if (!m) return l;
    try {
      return String(JSON.parse(m[1]!));
    } catch {
      return l;
    }
  });
}

// ---- continuation ----

const NEW_ENTRY: readonly RegExp[] = [
  /^\[(ERROR|WARNING)\s/,
  /^- /,
  /^(error|To see the stack trace|Please fix|Can be bypassed|E:|W:|N:|Err:|Hit:|Get:|Ign:)/,
  // A bare error printed after the item list (kubeadm ≥1.26 prints some preflight errors without `[ERROR …]`).
  /^(?:failed to |couldn't |unable to )/,
];

/** True when `trimmed` continues the message of `last` rather than starting a new line of output. */
function continues(last: Entry, trimmed: string): boolean {
  const opener = /^\[(ERROR|WARNING)\s/.test(last.text) || last.klog !== null;
  if (!opener || last.command !== null) return false;
  if (parseKlog(trimmed) || parseProgress(trimmed) || promptCommand(trimmed) !== null) return false;
  return !NEW_ENTRY.some((p) => p.test(trimmed));
}
