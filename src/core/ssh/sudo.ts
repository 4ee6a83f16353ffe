import { quote, type ShellCommand } from '../exec/shell';

/**
 * sudo over a non-interactive channel: `sudo -S` reads the password from stdin and prints the prompt given with `-p`
 * on stderr. The prompt is a marker unique to one run, so the executor can tell "sudo is asking" from the command's
 * own output, answer it, and strip it from what the user sees.
 */

/** `hex`: random hex from the caller (no `%`, which sudo would expand). */
export function sudoMarker(hex: string): string {
  if (!/^[0-9a-f]{8,}$/.test(hex)) throw new Error('sudo marker needs random hex');
  return `[kubeadm-upgrade sudo ${hex}] password:`;
}

/**
 * `sudo -S -p <marker> -- sh -c <command>`. The command's stdin is /dev/null: the channel's stdin belongs to sudo's
 * password prompt only, so nothing the command reads can swallow (or be) a password.
 */
export function sudoCommand(command: ShellCommand, marker: string): ShellCommand {
  return `sudo -S -p ${quote(marker)} -- sh -c ${quote(`exec </dev/null; ${command}`)}` as ShellCommand;
}

/** Non-sudo commands get the same stdin: none. */
export function withoutStdin(command: ShellCommand): ShellCommand {
  return `exec </dev/null; ${command}` as ShellCommand;
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
