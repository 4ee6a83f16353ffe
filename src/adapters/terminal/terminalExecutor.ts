import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { attachScript, lostResult, readStatus, statusMarker } from '../../core/exec/detached';
import type { NodeExecutor, RunOptions, RunResult } from '../../core/exec/executor';
import { readMarked, resultMarkers, wrapWithMarkers } from '../../core/exec/resultMarkers';
import type { ShellCommand } from '../../core/exec/shell';
import { plainTerminalText } from '../../core/exec/terminalText';
import { sleepUnlessAborted } from '../ssh/detachedRun';
import { terminalCommandLine, type TerminalTarget } from './commandLine';

export type { TerminalTarget } from './commandLine';

const SHELL_INTEGRATION_WAIT_MS = 15_000;
/** Detached steps: how often a dropped `ssh -t` is run again to re-attach (the node never starts the step twice). */
const REATTACH_TRIES = 5;
const REATTACH_WAIT_MS = 3000;

/**
 * The local shell of our terminals. Every line we type is POSIX-quoted, so the shell must parse POSIX quoting, not
 * the user's fish or pwsh; and it must support VS Code's shell integration, or exit codes cannot be read. bash is
 * both; /bin/sh (dash) has no shell integration and is only the fallback where bash is missing.
 */
export function terminalShellPath(): string {
  return fs.existsSync('/bin/bash') ? '/bin/bash' : '/bin/sh';
}

/**
 * Runs each step in one integrated terminal per node, visible and typeable (an interactive sudo prompt works).
 * Commands go through shell integration's executeCommand; the result is read between unique markers printed on the
 * node (src/core/exec/resultMarkers.ts), with the exit status printed there: a step whose end marker never came
 * fails, never succeeds. Over SSH each step is `ssh -t HOST -- COMMAND` from a local shell, sharing one multiplexed
 * connection whose socket lives in a private folder (controlDir.ts); `-o LogLevel=ERROR` keeps ssh's own chatter
 * out. Long steps (`detached`) run detached on the node and are re-attached when the ssh session drops.
 */
export class TerminalExecutor implements NodeExecutor {
  readonly description: string;
  private terminal: vscode.Terminal | undefined;

  constructor(private readonly target: TerminalTarget) {
    this.description = target.sshHost ? `terminal ssh ${target.sshHost}` : `terminal (local shell) ${target.node}`;
  }

  async run(command: ShellCommand, options: RunOptions = {}): Promise<RunResult> {
    if (!options.detached) return this.runOnce(command, options);
    // Detached: the same attach script again after a drop re-attaches (from the log's start) instead of restarting.
    const status = statusMarker(randomBytes(12).toString('hex'));
    const script = attachScript(command, options.detached, 0, status);
    const started = Date.now();
    const reminder = options.timeoutMs && options.onStillRunning ? setInterval(() => options.onStillRunning!(Date.now() - started), options.timeoutMs) : undefined;
    try {
      for (let attempt = 1; ; attempt++) {
        const r = await this.runOnce(script, { ...(options.sudo ? { sudo: true } : {}), ...(options.onOutput ? { onOutput: options.onOutput } : {}) });
        const { rc, lost, rest } = readStatus(r.stdout, status);
        if (rc !== undefined) return { exitCode: rc, stdout: rest, stderr: '' };
        if (lost) return { ...lostResult(options.detached, lost, this.target.node), stdout: rest, stderr: '' };
        if (r.exitCode !== null || attempt >= REATTACH_TRIES) {
          return { exitCode: null, stdout: rest, stderr: '', failure: `${r.failure ?? `exit code ${r.exitCode}`}; the step may still be running on the node: resume the upgrade to re-attach` };
        }
        options.onNotice?.(`The terminal's ssh session ended before the step did (${r.failure}). It keeps running on the node; re-attaching in ${REATTACH_WAIT_MS / 1000} s…`);
        if (!(await sleepUnlessAborted(REATTACH_WAIT_MS, options.signal))) {
          return { exitCode: null, stdout: rest, stderr: '', failure: 'cancelled while re-attaching; the step may still be running on the node: resume the upgrade to re-attach' };
        }
      }
    } finally {
      if (reminder) clearInterval(reminder);
    }
  }

  private async runOnce(command: ShellCommand, options: RunOptions): Promise<RunResult> {
    let line: string;
    const markers = resultMarkers(randomBytes(12).toString('hex'));
    try {
      line = terminalCommandLine(this.target, wrapWithMarkers(command, markers), options.sudo === true);
    } catch (e) {
      return { exitCode: null, stdout: '', stderr: '', failure: (e as Error).message };
    }
    const terminal = this.ensureTerminal();
    const shell = await waitForShellIntegration(terminal);
    if (!shell) {
      return { exitCode: null, stdout: '', stderr: '', failure: 'the terminal has no shell integration, so results cannot be read (install bash, or set kubeadm.execution to ssh)' };
    }
    const execution = shell.executeCommand(line);
    let raw = '';
    const reading = (async () => {
      for await (const chunk of execution.read()) {
        raw += chunk;
        options.onOutput?.(chunk, 'stdout');
      }
    })();
    const ended = await new Promise<{ exitCode: number | undefined } | { failure: string }>((resolve) => {
      const done = (r: { exitCode: number | undefined } | { failure: string }) => {
        sub.dispose();
        if (timer) clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        resolve(r);
      };
      const sub = vscode.window.onDidEndTerminalShellExecution((e) => {
        if (e.execution !== execution) return;
        void reading.finally(() => done({ exitCode: e.exitCode }));
      });
      const interrupt = (why: string) => {
        terminal.sendText('\x03', false); // Ctrl-C in the terminal, as a user would
        done({ failure: why });
      };
      const timer = options.timeoutMs ? setTimeout(() => interrupt(`timed out after ${Math.round(options.timeoutMs! / 1000)} s`), options.timeoutMs) : undefined;
      const onAbort = () => interrupt('cancelled');
      options.signal?.addEventListener('abort', onAbort, { once: true });
    });
    // Escape sequences are only removed at the end: one may be split across chunks.
    const result = readMarked(plainTerminalText(raw), markers);
    if ('failure' in ended) return { exitCode: null, stdout: result.output, stderr: '', failure: ended.failure };
    if (result.complete) return { exitCode: result.exitCode, stdout: result.output, stderr: '' };
    const why = ended.exitCode === 255 && this.target.sshHost ? 'ssh failed or the connection dropped (exit 255)' : `the command's end was never seen (terminal exit code ${ended.exitCode ?? 'unknown'})`;
    return { exitCode: null, stdout: result.output, stderr: '', failure: why };
  }

  private ensureTerminal(): vscode.Terminal {
    if (this.terminal && this.terminal.exitStatus === undefined) return this.terminal;
    this.terminal = vscode.window.createTerminal({ name: `kubeadm: ${this.target.node}`, shellPath: terminalShellPath(), iconPath: new vscode.ThemeIcon('server') });
    this.terminal.show(true);
    return this.terminal;
  }

  dispose(): void {
    // The terminal stays open: the user may want to read it after the run. It is reused by the next run.
  }
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
