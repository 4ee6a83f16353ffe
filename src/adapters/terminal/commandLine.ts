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
 * The line the terminal executor types into its local shell (bash: POSIX quoting). sudo asks in the terminal itself,
 * where the user sees and answers it. Over SSH: one master connection per host, reused by every step
 * (ControlPersist keeps it a few minutes), its socket in a private folder (controlDir.ts); `LogLevel=ERROR` so ssh
 * adds no "Shared connection to … closed." to a step's output (results are read between markers anyway).
 */
export function terminalCommandLine(target: TerminalTarget, command: ShellCommand, sudo: boolean, env: NodeJS.ProcessEnv = process.env): string {
  const onNode = sudo ? `sudo -- sh -c ${quote(command)}` : `sh -c ${quote(command)}`;
  if (!target.sshHost) return onNode;
  const config = target.sshConfigFile ? `-F ${quote(target.sshConfigFile)} ` : '';
  const mux = `-o ControlMaster=auto -o ${quote(`ControlPath=${controlDir(env)}/%C`)} -o ControlPersist=600`;
  return `ssh ${config}-o LogLevel=ERROR ${mux} -t ${quote(target.sshHost)} -- ${quote(onNode)}`;
}
