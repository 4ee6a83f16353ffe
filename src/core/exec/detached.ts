import { quote, raw, UnsafeValueError, type ShellCommand } from './shell';

/**
 * Long node steps (kubeadm upgrade, package installs, the repo switch, the kubelet restart) run DETACHED on the node,
 * so a dropped connection, a window reload or a crash of the extension host never interrupts them halfway:
 *
 *   /var/lib/kubeadm-upgrade/runs/<run-id>/           root-only (0700), one folder per upgrade run
 *     <step>.started/   created with mkdir (atomic): whoever creates it starts the step; nobody ever starts it again
 *     <step>.sh         the step's command
 *     <step>.log        its output (stdout and stderr)
 *     <step>.rc         its exit status, written (rename) only when it has ended
 *
 * The step runs under `systemd-run --unit` where systemd is PID 1, else `setsid nohup`: outside the SSH session in
 * both cases. One script, `attachScript`, starts the step if it was never started and then follows its log from a
 * byte offset until the status file appears; it is safe to run again after any drop (re-attach). The exit status is
 * printed on stderr between two unique markers, never guessed from the output.
 */

export const RUNS_DIR = '/var/lib/kubeadm-upgrade/runs';

export interface DetachedStep {
  /** The upgrade run's id (`20260101T000000Z-cp-1`). */
  readonly runId: string;
  /** The step's name within the run, unique per attempt (`kubeadm-upgrade-1`). */
  readonly step: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,120}$/;

/** Run ids and step names become file and unit names: letters, digits, `.`, `_`, `-` only. */
export function validateDetachedStep(d: DetachedStep): DetachedStep {
  for (const v of [d.runId, d.step]) if (!NAME.test(v)) throw new UnsafeValueError(`"${v}" cannot name a step folder on the node`);
  return d;
}

/** The systemd unit a step runs as (`kubeadm-upgrade-<run>-<step>.service`): `systemctl status` / `journalctl -u` show it. */
export function unitName(d: DetachedStep): string {
  return `kubeadm-upgrade-${d.runId}-${d.step}`;
}

/** Where a step's files live on the node (for messages: "show the log"). */
export function stepFiles(d: DetachedStep): { dir: string; log: string; rc: string } {
  const dir = `${RUNS_DIR}/${d.runId}`;
  return { dir, log: `${dir}/${d.step}.log`, rc: `${dir}/${d.step}.rc` };
}

/**
 * The status line's marker: `marker` is random hex from the caller, so the line cannot come from the step's own
 * output (which goes to stdout) nor from the script's text, where the two halves are printed separately.
 */
export function statusMarker(hex: string): string {
  if (!/^[0-9a-f]{8,}$/.test(hex)) throw new Error('status marker needs random hex');
  return `KUBEADM-UPGRADE-STATUS-${hex}`;
}

/** The exit status from the stderr of an attach script, and that stderr without the status line. */
export function readStatus(stderr: string, marker: string): { rc: number | undefined; rest: string } {
  const re = new RegExp(`\\n?${marker} rc=(\\d+)\\n?`);
  const m = re.exec(stderr);
  if (!m) return { rc: undefined, rest: stderr };
  return { rc: Number(m[1]), rest: stderr.slice(0, m.index) + stderr.slice(m.index + m[0].length) };
}

/**
 * POSIX sh, run as root: start the step unless it was ever started, then print its log from byte `offset` on
 * (stdout, as it grows) until it ends, then `\n<marker> rc=<status>` on stderr and exit 0.
 * Exit 125: the run folder could not be made private (nothing was started).
 */
export function attachScript(command: ShellCommand, d: DetachedStep, offset: number, marker: string): ShellCommand {
  validateDetachedStep(d);
  if (!Number.isInteger(offset) || offset < 0) throw new Error('offset must be a byte count');
  const [m1, m2] = [marker.slice(0, 12), marker.slice(12)];
  const f = stepFiles(d);
  // The detached body: the step, its output to the log, its status to <step>.rc via a rename (never half-written).
  const body = 'sh "$1" >>"$2" 2>&1; echo $? >"$3.tmp"; mv -f "$3.tmp" "$3"';
  // One line (`;`-separated), so the terminal executor can type it as it is.
  return raw(
    [
      'umask 077;',
      `d=${quote(f.dir)}; log=${quote(f.log)}; rc=${quote(f.rc)}; s=${quote(`${f.dir}/${d.step}`)};`,
      'mkdir -p "$d" || exit 125;',
      'chmod 700 /var/lib/kubeadm-upgrade /var/lib/kubeadm-upgrade/runs "$d" || exit 125;',
      'if mkdir "$s.started" 2>/dev/null; then',
      `printf '%s\\n' ${quote(command)} >"$s.sh";`,
      ': >"$log";',
      // systemd-run where systemd is PID 1; when it cannot (an old systemd without --collect, no D-Bus) it has
      // started nothing, so setsid nohup takes over.
      'started=0;',
      'if [ -d /run/systemd/system ] && command -v systemd-run >/dev/null 2>&1; then',
      `systemd-run --quiet --collect --unit=${quote(unitName(d))} --description=${quote(`kubeadm-upgrade ${d.runId} ${d.step}`)} /bin/sh -c ${quote(body)} sh "$s.sh" "$log" "$rc" >/dev/null 2>&1 && started=1;`,
      'fi;',
      'if [ $started = 0 ]; then',
      `setsid nohup /bin/sh -c ${quote(body)} sh "$s.sh" "$log" "$rc" </dev/null >/dev/null 2>&1 &`,
      'fi;',
      'fi;',
      `off=${offset};`,
      'while :; do',
      'fin=0; [ -f "$rc" ] && fin=1;',
      'size=$(($(wc -c <"$log" 2>/dev/null || echo 0)));',
      'if [ "$size" -gt "$off" ]; then tail -c +$((off + 1)) "$log" | head -c $((size - off)); off=$size; fi;',
      '[ $fin = 1 ] && break;',
      'sleep 1;',
      'done;',
      `printf '\\n%s%s rc=%s\\n' ${quote(m1)} ${quote(m2)} "$(cat "$rc")" >&2`,
    ].join(' '),
  );
}
