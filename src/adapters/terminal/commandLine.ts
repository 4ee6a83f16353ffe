import { quote, type ShellCommand } from '../../core/exec/shell';
import { controlDir } from './controlDir';

export interface TerminalTarget {
  readonly node: string;
  /**
   * `ssh` target (an ssh_config alias or user@host); undefined runs the steps in the local shell, for a VS Code
   * that runs on the node itself.
   */
  readonly sshHost?: string;
  readonly sshConfigFile?: string;
}

/**
 * Keepalives of the terminal's ssh, as the SSH executor's (connection.ts: 15 s, 3 missed): on a network that went
 * silent ssh gives up after about 45 s instead of waiting for TCP (more than 100 s), and a detached step is
 * re-attached. Given on the command line, so they hold whatever the user's ssh_config says.
 */
export const SERVER_ALIVE = { intervalSeconds: 15, countMax: 3 } as const;

/**
 * As root on the node: `sudo` only when the login is not root already (a root login may have no sudo at all). The
 * test runs on the node, in `sh` whatever the login shell; the command is the wrapper's `$1`.
 */
export function asRoot(command: ShellCommand): string {
  return `sh -c ${quote('if [ "$(id -u)" -eq 0 ]; then exec sh -c "$1"; else exec sudo -- sh -c "$1"; fi')} sh ${quote(command)}`;
}

/**
 * The line the terminal executor types into its local shell (bash: POSIX quoting). sudo asks in the terminal itself,
 * where the user sees and answers it. Over SSH: one master connection per host, reused by every step
 * (ControlPersist keeps it a few minutes), its socket in a private folder (controlDir.ts); `LogLevel=ERROR` so ssh
 * adds no "Shared connection to … closed." to a step's output (results are read between markers anyway).
 */
export function terminalCommandLine(target: TerminalTarget, command: ShellCommand, sudo: boolean, env: NodeJS.ProcessEnv = process.env): string {
  const onNode = sudo ? asRoot(command) : `sh -c ${quote(command)}`;
  if (!target.sshHost) return onNode;
  const config = target.sshConfigFile ? `-F ${quote(target.sshConfigFile)} ` : '';
  const mux = `-o ControlMaster=auto -o ${quote(`ControlPath=${controlDir(env)}/%C`)} -o ControlPersist=600`;
  const alive = `-o ServerAliveInterval=${SERVER_ALIVE.intervalSeconds} -o ServerAliveCountMax=${SERVER_ALIVE.countMax}`;
  return `ssh ${config}-o LogLevel=ERROR ${alive} ${mux} -t ${quote(target.sshHost)} -- ${quote(onNode)}`;
}
