import { quote, raw, type ShellCommand } from './shell';

/**
 * Reading a command's result out of a terminal, where everything shares one stream: the command's output, sudo's
 * prompt, the shell's echo, ssh's own messages (`Shared connection to HOST closed.` at OpenSSH's default LogLevel
 * INFO), shell-integration noise. The command is wrapped so that, on the node, it prints a unique BEGIN line before
 * and `END rc=<status>` after; the result is exactly what lies between, and the exit status is the one printed
 * there — never "the last word" of the terminal. Each marker is printed in two halves so the command line (which a
 * terminal may echo) never contains it whole.
 */

export interface ResultMarkers {
  readonly begin: string;
  readonly end: string;
}

/** `hex`: random hex from the caller (one per run). */
export function resultMarkers(hex: string): ResultMarkers {
  if (!/^[0-9a-f]{8,}$/.test(hex)) throw new Error('result markers need random hex');
  return { begin: `KUBEADM-UPGRADE-BEGIN-${hex}`, end: `KUBEADM-UPGRADE-END-${hex}` };
}

const half = (m: string) => [m.slice(0, 10), m.slice(10)] as const;

/** POSIX sh text: BEGIN line, the command (in its own `sh -c`), END line with its exit status; exits with it. */
export function wrapWithMarkers(command: ShellCommand, m: ResultMarkers): ShellCommand {
  const [b1, b2] = half(m.begin);
  const [e1, e2] = half(m.end);
  return raw(`printf '%s%s\\n' ${quote(b1)} ${quote(b2)}; sh -c ${quote(command)}; r=$?; printf '\\n%s%s rc=%s\\n' ${quote(e1)} ${quote(e2)} "$r"; exit "$r"`);
}

export type MarkedResult = { readonly complete: true; readonly output: string; readonly exitCode: number } | { readonly complete: false; readonly output: string };

/**
 * The output between the markers (plain text, `\n` line ends) and the status after END. Without END the command's
 * end was never seen (connection lost, terminal closed): `complete: false` with what came after BEGIN.
 */
export function readMarked(text: string, m: ResultMarkers): MarkedResult {
  const b = text.lastIndexOf(`${m.begin}\n`);
  const after = b >= 0 ? text.slice(b + m.begin.length + 1) : '';
  const end = new RegExp(`\\n?${m.end} rc=(\\d+)`).exec(after);
  if (!end) return { complete: false, output: after };
  return { complete: true, output: after.slice(0, end.index), exitCode: Number(end[1]) };
}
