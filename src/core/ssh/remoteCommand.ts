import { quote, type ShellCommand } from '../exec/shell';

/**
 * How a command is run over an SSH channel, and sudo over a non-interactive channel: `sudo -S` reads the password from stdin and prints the prompt given with `-p`
 * on stderr. The prompt is a marker unique to one run, so the executor can tell "sudo is asking" from the command's
 * own output, answer it, and strip it from what the user sees.
 */

/** `hex`: random hex from the caller (no `%`, which sudo would expand). */
export function sudoMarker(hex: string): string {
  if (!/^[0-9a-f]{8,}$/.test(hex)) throw new Error('sudo marker needs random hex');
  return `[kubeadm-upgrade sudo ${hex}] password:`;
}

/**
 * The POSIX sh script every command runs in, as `sh -c WRAPPER sh COMMAND`: the command runs in its own session
 * (setsid) with stdin /dev/null, while a watcher reads the channel's stdin; when the executor closes stdin (timeout,
 * cancel) the watcher kills the command's process group, TERM then KILL. Needed because sshd refuses SSH `signal`
 * requests in many setups ("session signalling requires privilege separation"). Exit status: the command's.
 */
export const WRAPPER = [
  'exec 3<&0',
  'if command -v setsid >/dev/null 2>&1; then setsid sh -c "$1" </dev/null 3<&- & else sh -c "$1" </dev/null 3<&- & fi',
  'c=$!',
  '(while read -r _; do :; done; kill -TERM -"$c" 2>/dev/null || kill -TERM "$c" 2>/dev/null; sleep 2; kill -KILL -"$c" 2>/dev/null || kill -KILL "$c" 2>/dev/null) <&3 >/dev/null 2>&1 &',
  'w=$!',
  'exec 3<&-',
  'wait "$c"',
  'r=$?',
  'kill "$w" 2>/dev/null',
  'exit $r',
].join('\n');

/** A command without sudo: run by `sh` whatever the login shell is (a ShellCommand is POSIX sh text). */
export function plainCommand(command: ShellCommand): ShellCommand {
  return `sh -c ${quote(WRAPPER)} sh ${quote(command)}` as ShellCommand;
}

/**
 * `sudo -S -p <marker> -- sh -c WRAPPER sh <command>`: sudo reads the password from the channel's stdin; what
 * follows on stdin (only its end, from us) goes to the wrapper's watcher, running as root so it can stop the command.
 */
export function sudoCommand(command: ShellCommand, marker: string): ShellCommand {
  return `sudo -S -p ${quote(marker)} -- sh -c ${quote(WRAPPER)} sh ${quote(command)}` as ShellCommand;
}

/**
 * Removes a marker from a stream of text chunks, counting how often it appeared. A marker split across chunks is held
 * back until it is complete (or shown not to be the marker).
 */
export class MarkerFilter {
  private pending = '';
  constructor(private readonly marker: string) {}

  push(chunk: string): { text: string; markers: number } {
    let buf = this.pending + chunk;
    let markers = 0;
    let idx: number;
    let out = '';
    while ((idx = buf.indexOf(this.marker)) >= 0) {
      out += buf.slice(0, idx);
      buf = buf.slice(idx + this.marker.length);
      markers++;
    }
    // Hold back the longest tail that could start a marker.
    let keep = 0;
    for (let n = Math.min(buf.length, this.marker.length - 1); n > 0; n--) {
      if (this.marker.startsWith(buf.slice(buf.length - n))) {
        keep = n;
        break;
      }
    }
    out += buf.slice(0, buf.length - keep);
    this.pending = buf.slice(buf.length - keep);
    return { text: out, markers };
  }

  flush(): string {
    const rest = this.pending;
    this.pending = '';
    return rest;
  }
}
