import { quote, raw, UnsafeValueError, type ShellCommand } from './shell';

/**
 * Long node steps (kubeadm upgrade, package installs, the repo switch, the kubelet restart) run DETACHED on the node,
 * so a dropped connection, a window reload or a crash of the extension host never interrupts them halfway:
 *
 *   /var/lib/kubeadm-upgrade/runs/<run-id>/           root-only (0700), one folder per upgrade run
 *     <step>.started/   created with mkdir (atomic): whoever creates it starts the step; nobody ever starts it again
 *     <step>.sh         the step's command
 *     <step>.log        its output (stdout and stderr)
 *     <step>.pid        `PID STARTTIME BOOT_ID` of the step's shell, written by the step itself before it runs
 *     <step>.rc         its exit status, written (rename) only when it has ended
 *
 * The step runs under `systemd-run --unit` where systemd is PID 1, else `setsid nohup`: outside the SSH session in
 * both cases. One script, `attachScript`, starts the step if it was never started and then follows its log from a
 * byte offset until the status file appears; it is safe to run again after any drop (re-attach). The exit status is
 * printed on stderr between two unique markers, never guessed from the output.
 *
 * A step can also end WITHOUT a status: the node rebooted, the OOM killer or `systemctl stop` killed its shell. The
 * follower would then wait for a status file that never comes, so while it waits it checks every second that the
 * step's process is still the one that started (same boot id, a process with that pid and that start time —
 * /proc/PID/stat field 22, so a reused pid is not mistaken for it); when it is not, it reports `lost=<why>`
 * instead of a status (readStatus), within a few seconds of the death or of the re-attach after a reboot.
 * A step whose `.started` exists but that has no pid file, no output and no process running its script after a
 * grace (the attach script was killed between the mkdir and the start: a killed CLI, a dropped connection) provably
 * never ran: `lost=never-started`, which the runner answers by starting it again as a new try.
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
export function stepFiles(d: DetachedStep): { dir: string; log: string; rc: string; pid: string } {
  const dir = `${RUNS_DIR}/${d.runId}`;
  return { dir, log: `${dir}/${d.step}.log`, rc: `${dir}/${d.step}.rc`, pid: `${dir}/${d.step}.pid` };
}

/**
 * The status line's marker: `marker` is random hex from the caller, so the line cannot come from the step's own
 * output (which goes to stdout) nor from the script's text, where the two halves are printed separately.
 */
export function statusMarker(hex: string): string {
  if (!/^[0-9a-f]{8,}$/.test(hex)) throw new Error('status marker needs random hex');
  return `KUBEADM-UPGRADE-STATUS-${hex}`;
}

/** Why a step ended without an exit status, as the attach script reports it. */
export type LostReason = 'rebooted' | 'gone' | 'never-started' | 'unrecorded';

/**
 * The exit status from the stderr of an attach script, and that stderr without the status line; or `lost`: the
 * step's process is gone and wrote no status (see the file comment).
 */
export function readStatus(stderr: string, marker: string): { rc: number | undefined; lost?: LostReason; rest: string } {
  const re = new RegExp(`\\n?${marker} (?:rc=(\\d+)|lost=(rebooted|gone|never-started|unrecorded))\\n?`);
  const m = re.exec(stderr);
  if (!m) return { rc: undefined, rest: stderr };
  const rest = stderr.slice(0, m.index) + stderr.slice(m.index + m[0].length);
  return m[1] !== undefined ? { rc: Number(m[1]), rest } : { rc: undefined, lost: m[2] as LostReason, rest };
}

/** How a never-started step's failure begins (lostStepMessage). */
export const NEVER_STARTED_PREFIX = 'the step never started on';

/** How long a started step may go without recording its pid before it counts as never started. */
export const PID_GRACE_SECONDS = 15;

/**
 * The failure for a step that ended without an exit status: what happened, what to check on the node, how to go on.
 * The next try of the step (resume) runs it again: kubeadm upgrade apply/node are made to be run again, and a package
 * step interrupted mid-dpkg needs `dpkg --configure -a` first.
 * A step that provably never started (`never-started`) did nothing on the node: that is said as it is, not as a
 * reboot, and the runner starts it again as a new try at once (NEVER_STARTED_PREFIX).
 */
export function lostStepMessage(d: DetachedStep, why: LostReason, node: string): string {
  const f = stepFiles(d);
  if (why === 'never-started') {
    return `${NEVER_STARTED_PREFIX} ${node} (no pid file, no log, no process runs it: it was interrupted before it started, nothing of it ran)`;
  }
  const what = {
    rebooted: `${node} rebooted while the step ran (its boot id changed)`,
    gone: `the step's process on ${node} is gone (killed: OOM killer, systemctl stop, kill) and wrote no exit status`,
    unrecorded: `the step on ${node} never recorded its pid (started by an older kubeadm-upgrade?) and nothing runs it any more`,
  }[why];
  return (
    `the step ended without an exit status (the node rebooted?): ${what}. ` +
    `Check on ${node}: its output so far in ${f.log}; \`journalctl -u ${unitName(d)}\` (where systemd ran it); ` +
    `\`journalctl --list-boots\` or \`last -x reboot\` (a reboot); \`journalctl -k | grep -i -e oom -e killed\` (an OOM kill). ` +
    `Then: after a package step run \`dpkg --configure -a\` (apt) or \`dnf history\` (dnf) on ${node}; ` +
    `check \`kubeadm version\`, \`kubelet --version\` and \`systemctl status kubelet\`; then resume the upgrade: the step runs again as a new try.`
  );
}

/** The RunResult fields of a step reported lost (RunResult.lost, RunResult.neverStarted). */
export function lostResult(d: DetachedStep, why: LostReason, node: string): { exitCode: null; failure: string; lost: true; neverStarted?: true } {
  return { exitCode: null, failure: lostStepMessage(d, why, node), lost: true, ...(why === 'never-started' ? { neverStarted: true as const } : {}) };
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
  // The detached body: first its own pid, start time (/proc/PID/stat field 22; the comm of `sh` has no space, so
  // plain field splitting finds it) and boot id, then the step, its output to the log, its status to <step>.rc via a
  // rename (never half-written).
  // The step runs only once its pid is recorded: no pid file means the step's command never ran (see `never-started`).
  const body =
    '{ echo "$$ $(cut -d" " -f22 /proc/$$/stat) $(cat /proc/sys/kernel/random/boot_id)" >"$4.tmp" && mv -f "$4.tmp" "$4"; } || exit 126; ' +
    'sh "$1" >>"$2" 2>&1; echo $? >"$3.tmp"; mv -f "$3.tmp" "$3"';
  // One line (`;`-separated), so the terminal executor can type it as it is.
  return raw(
    [
      'umask 077;',
      `d=${quote(f.dir)}; log=${quote(f.log)}; rc=${quote(f.rc)}; pidf=${quote(f.pid)}; s=${quote(`${f.dir}/${d.step}`)};`,
      'mkdir -p "$d" || exit 125;',
      'chmod 700 /var/lib/kubeadm-upgrade /var/lib/kubeadm-upgrade/runs "$d" || exit 125;',
      'if mkdir "$s.started" 2>/dev/null; then',
      `printf '%s\\n' ${quote(command)} >"$s.sh";`,
      ': >"$log";',
      // systemd-run where systemd is PID 1; when it cannot (an old systemd without --collect, no D-Bus) it has
      // started nothing, so setsid nohup takes over.
      'started=0;',
      'if [ -d /run/systemd/system ] && command -v systemd-run >/dev/null 2>&1; then',
      `systemd-run --quiet --collect --unit=${quote(unitName(d))} --description=${quote(`kubeadm-upgrade ${d.runId} ${d.step}`)} /bin/sh -c ${quote(body)} sh "$s.sh" "$log" "$rc" "$pidf" >/dev/null 2>&1 && started=1;`,
      'fi;',
      'if [ $started = 0 ]; then',
      `setsid nohup /bin/sh -c ${quote(body)} sh "$s.sh" "$log" "$rc" "$pidf" </dev/null >/dev/null 2>&1 &`,
      'fi;',
      'fi;',
      // insession SID: a live (not zombie) process of session SID exists. Builtins only (read, no forks): it can run
      // every second. Fields after the comm's last ") ": state, ppid, pgrp, session.
      'insession() { sid=$1; for q in /proc/[0-9]*/stat; do l=; read -r l 2>/dev/null <"$q"; l=${l##*) }; set -- $l; [ "${4:-}" = "$sid" ] && [ "$1" != Z ] && [ "$1" != X ] && return 0; done; return 1; };',
      `off=${offset}; waited=0; lost=;`,
      'while :; do',
      'fin=0; [ -f "$rc" ] && fin=1;',
      // Liveness, only while there is no status: the status is written before the step's shell exits, so a gone
      // process without one (checked again after the check, for the race) wrote none and never will.
      'if [ $fin = 0 ]; then',
      'if [ -f "$pidf" ]; then',
      'read p st b <"$pidf";',
      'if [ "$b" != "$(cat /proc/sys/kernel/random/boot_id)" ]; then lost=rebooted;',
      // Fields 3 (state) and 22 (start time): another start time is another process; a zombie (Z, X) is dead.
      'else x=$(cut -d" " -f3,22 "/proc/$p/stat" 2>/dev/null);',
      'if [ "${x#* }" != "$st" ]; then lost=gone; else case "${x%% *}" in Z|X) lost=gone;; esac; fi;',
      // The step's shell is gone, but what it started may still run (its shell alone was killed): only when nothing
      // of its session (the shell is the session leader: setsid, or systemd's own setsid) runs any more has it ended.
      '[ "$lost" = gone ] && insession "$p" && lost=;',
      'fi;',
      // No pid after the grace: while some process still runs the step's script (an older kubeadm-upgrade's step,
      // which recorded no pid; systemd still starting it) it is alive. Else, with an empty log, it provably never
      // started (the body records its pid before the step runs); with output, it ran and died unrecorded. The
      // pattern's `[.]` keeps grep from matching its own command line.
      `elif [ $waited -ge ${PID_GRACE_SECONDS} ]; then`,
      'if grep -qs -e "$s[.]sh" /proc/[0-9]*/cmdline; then :; elif [ -s "$log" ]; then lost=unrecorded; else lost=never-started; fi;',
      'fi;',
      'if [ -n "$lost" ] && [ -f "$rc" ]; then fin=1; lost=; fi;',
      '[ "$lost" = never-started ] && [ -f "$pidf" ] && lost=;',
      'fi;',
      'size=$(($(wc -c <"$log" 2>/dev/null || echo 0)));',
      'if [ "$size" -gt "$off" ]; then tail -c +$((off + 1)) "$log" | head -c $((size - off)); off=$size; fi;',
      '[ $fin = 1 ] && break;',
      '[ -n "$lost" ] && break;',
      'sleep 1; waited=$((waited + 1));',
      'done;',
      'if [ -n "$lost" ]; then',
      `printf '\\n%s%s lost=%s\\n' ${quote(m1)} ${quote(m2)} "$lost" >&2;`,
      'else',
      `printf '\\n%s%s rc=%s\\n' ${quote(m1)} ${quote(m2)} "$(cat "$rc")" >&2;`,
      'fi',
    ].join(' '),
  );
}
