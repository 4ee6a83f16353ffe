import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { NodeExecutor, RunOptions, RunResult } from '../../core/exec/executor';
import { quote, type ShellCommand } from '../../core/exec/shell';
import { plainTerminalText } from '../../core/exec/terminalText';

export interface TerminalTarget {
  readonly node: string;
  /**
   * `ssh` target (an ssh_config alias or user@host); undefined runs the steps in the local shell, for a VS Code
   * that runs on the node itself.
   */
  readonly sshHost?: string;
  readonly sshConfigFile?: string;
}

const SHELL_INTEGRATION_WAIT_MS = 15_000;

/**
 * Runs each step in one integrated terminal per node, visible and typeable (an interactive sudo prompt works).
 * Commands go through shell integration's executeCommand, and the exit code comes from
 * onDidEndTerminalShellExecution: a terminal that cannot report one makes the step fail, never succeed.
 * Over SSH each step is `ssh -t HOST -- COMMAND` from a local shell, sharing one multiplexed connection.
 */
export class TerminalExecutor implements NodeExecutor {
  readonly description: string;
  private terminal: vscode.Terminal | undefined;

  constructor(private readonly target: TerminalTarget) {
    this.description = target.sshHost ? `terminal ssh ${target.sshHost}` : `terminal (local shell) ${target.node}`;
  }

  async run(command: ShellCommand, options: RunOptions = {}): Promise<RunResult> {
    const terminal = this.ensureTerminal();
    const shell = await waitForShellIntegration(terminal);
    if (!shell) {
      return { exitCode: null, stdout: '', stderr: '', failure: 'the terminal has no shell integration, so exit codes cannot be read (use bash, zsh, fish or pwsh, or set kubeadm.execution to ssh)' };
    }
    const line = this.commandLine(command, options.sudo === true);
    const execution = shell.executeCommand(line);
    let stdout = '';
    const reading = (async () => {
      for await (const chunk of execution.read()) {
        stdout += chunk;
        options.onOutput?.(chunk, 'stdout');
      }
      // Escape sequences are only removed at the end: one may be split across chunks.
      stdout = plainTerminalText(stdout);
    })();
    const result = await new Promise<RunResult>((resolve) => {
      const done = (r: RunResult) => {
        sub.dispose();
        if (timer) clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        resolve(r);
      };
      const sub = vscode.window.onDidEndTerminalShellExecution((e) => {
        if (e.execution !== execution) return;
        void reading.finally(() =>
          done(e.exitCode === undefined ? { exitCode: null, stdout, stderr: '', failure: 'the terminal reported no exit code' } : { exitCode: e.exitCode, stdout, stderr: '' }),
        );
      });
      const interrupt = (why: string) => {
        terminal.sendText('\x03', false); // Ctrl-C in the terminal, as a user would
        done({ exitCode: null, stdout, stderr: '', failure: why });
      };
      const timer = options.timeoutMs ? setTimeout(() => interrupt(`timed out after ${Math.round(options.timeoutMs! / 1000)} s`), options.timeoutMs) : undefined;
      const onAbort = () => interrupt('cancelled');
      options.signal?.addEventListener('abort', onAbort, { once: true });
    });
    return result;
  }

  /** The line typed into the terminal. sudo asks in the terminal itself, where the user sees and answers it. */
  private commandLine(command: ShellCommand, sudo: boolean): string {
    const onNode = sudo ? `sudo -- sh -c ${quote(command)}` : command;
    if (!this.target.sshHost) return onNode;
    const config = this.target.sshConfigFile ? `-F ${quote(this.target.sshConfigFile)} ` : '';
    // One master connection per host, reused by every step (ControlPersist keeps it a few minutes). The socket
    // lives in a private folder of ours: ~/.ssh may not exist, and unix socket paths must stay short.
    const mux = `-o ControlMaster=auto -o ${quote(`ControlPath=${controlDir()}/%C`)} -o ControlPersist=600`;
    return `ssh ${config}${mux} -t ${quote(this.target.sshHost)} -- ${quote(onNode)}`;
  }

  private ensureTerminal(): vscode.Terminal {
    if (this.terminal && this.terminal.exitStatus === undefined) return this.terminal;
    this.terminal = vscode.window.createTerminal({ name: `kubeadm: ${this.target.node}`, iconPath: new vscode.ThemeIcon('server') });
    this.terminal.show(true);
    return this.terminal;
  }

  dispose(): void {
    // The terminal stays open: the user may want to read it after the run. It is reused by the next run.
  }
}

function controlDir(): string {
  const dir = path.join(os.tmpdir(), `kubeadm-upgrade-ssh-${process.getuid?.() ?? 'user'}`);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

function waitForShellIntegration(terminal: vscode.Terminal): Promise<vscode.TerminalShellIntegration | undefined> {
  if (terminal.shellIntegration) return Promise.resolve(terminal.shellIntegration);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      sub.dispose();
      resolve(terminal.shellIntegration);
    }, SHELL_INTEGRATION_WAIT_MS);
    const sub = vscode.window.onDidChangeTerminalShellIntegration((e) => {
      if (e.terminal !== terminal) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(e.shellIntegration);
    });
  });
}
