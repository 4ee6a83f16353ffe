import { spawn } from 'node:child_process';
import type { NodeExecutor, RunOptions, RunResult } from '../../core/exec/executor';
import { quote, type ShellCommand } from '../../core/exec/shell';

/**
 * Runs commands with the local `/bin/sh`: for a node you are logged into (the CLI run on the node itself) and for
 * tests. `sudo` is prefixed only when not already root, with `-n` so it fails instead of waiting for a password.
 */
export class LocalExecutor implements NodeExecutor {
  readonly description: string;

  constructor(private readonly env: NodeJS.ProcessEnv = process.env, label = 'local shell') {
    this.description = label;
  }

  run(command: ShellCommand, options: RunOptions = {}): Promise<RunResult> {
    const needsSudo = options.sudo === true && process.getuid?.() !== 0;
    const line = needsSudo ? `sudo -n -- sh -c ${quote(command)}` : command;
    return new Promise((resolve) => {
      const child = spawn('/bin/sh', ['-c', line], { env: this.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      let stdout = '';
      let stderr = '';
      let failure: string | undefined;
      const kill = (why: string) => {
        failure ??= why;
        try {
          process.kill(-child.pid!, 'SIGKILL'); // the whole process group: the command's children too
        } catch {
          child.kill('SIGKILL');
        }
      };
      // A detached step's timeout is a reminder, never a kill (RunOptions.detached); the local shell cannot detach.
      const timer = options.timeoutMs && !options.detached ? setTimeout(() => kill(`timed out after ${Math.round(options.timeoutMs! / 1000)} s`), options.timeoutMs) : undefined;
      const onAbort = () => kill('cancelled');
      options.signal?.addEventListener('abort', onAbort, { once: true });
      child.stdout.on('data', (b: Buffer) => {
        stdout += b.toString();
        options.onOutput?.(b.toString(), 'stdout');
      });
      child.stderr.on('data', (b: Buffer) => {
        stderr += b.toString();
        options.onOutput?.(b.toString(), 'stderr');
      });
      child.on('error', (e) => {
        failure ??= e.message;
      });
      child.on('close', (code) => {
        if (timer) clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        resolve({ exitCode: failure ? null : code, stdout, stderr, ...(failure ? { failure } : {}) });
      });
    });
  }

  dispose(): void {
    // Nothing held open between commands.
  }
}
