import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readFromCommand } from '../../core/etcd/commands';
import type { NodeExecutor, RunOptions, RunResult } from '../../core/exec/executor';
import { quote, type ShellCommand } from '../../core/exec/shell';
import { followDetached, type RawHooks } from '../ssh/detachedRun';

/**
 * Runs commands with the local `/bin/sh`: for a node you are logged into (the CLI run on the node itself,
 * `upgrade-node --local`) and for tests. `sudo` is prefixed only when not already root, with `-n` so it fails instead
 * of waiting for a password.
 *
 * Detached steps (RunOptions.detached) run exactly as over SSH (src/core/exec/detached.ts): in a session of their own
 * (systemd-run, else setsid), output to the step's log file. An admin's SSH session that drops sends SIGHUP to the
 * CLI and whatever shares its terminal; the step is in neither, so dpkg or kubeadm is never cut off halfway, and
 * `resume` re-attaches to it. Only the follower (the attach script, a child of this process) goes with the CLI.
 */
export class LocalExecutor implements NodeExecutor {
  readonly description: string;

  constructor(private readonly env: NodeJS.ProcessEnv = process.env, label = 'local shell') {
    this.description = label;
  }

  /** The file's bytes from `offset` (`tail -c +N`, with sudo when not root), chunk by chunk from the pipe. */
  readFile(file: string, offset: number, onChunk: (chunk: Uint8Array) => void, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<RunResult> {
    return this.run(readFromCommand(file, offset), { sudo: true, ...options }, onChunk);
  }

  /** A streamed local copy (0600); as root only: the local shell has no way to answer sudo for a file copy. */
  async writeFile(localPath: string, remotePath: string, onBytes?: (done: number, total: number) => void): Promise<void> {
    const total = (await fs.promises.stat(localPath)).size;
    await fs.promises.mkdir(path.dirname(remotePath), { recursive: true, mode: 0o700 });
    const part = `${remotePath}.part`;
    let done = 0;
    const read = fs.createReadStream(localPath);
    read.on('data', (b) => onBytes?.((done += b.length), total));
    try {
      await new Promise<void>((resolve, reject) => read.pipe(fs.createWriteStream(part, { mode: 0o600 })).on('finish', resolve).on('error', reject));
      await fs.promises.rename(part, remotePath);
    } catch (e) {
      await fs.promises.rm(part, { force: true });
      throw e;
    }
  }

  run(command: ShellCommand, options: RunOptions = {}, rawStdout?: (chunk: Uint8Array) => void): Promise<RunResult> {
    if (options.detached) {
      // No connection to lose: nothing to reconnect (no delays); the follower ends with the step (or its loss).
      return followDetached({ run: (c, o, h) => this.spawnRun(c, o, h), target: os.hostname(), delaysMs: [], disposed: () => false }, command, options);
    }
    return this.spawnRun(command, options, rawStdout ? { onStdout: rawStdout } : undefined);
  }

  private spawnRun(command: ShellCommand, options: RunOptions, hooks?: RawHooks): Promise<RunResult> {
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
      const timer = options.timeoutMs ? setTimeout(() => kill(`timed out after ${Math.round(options.timeoutMs! / 1000)} s`), options.timeoutMs) : undefined;
      const onAbort = () => kill('cancelled');
      options.signal?.addEventListener('abort', onAbort, { once: true });
      child.stdout.on('data', (b: Buffer) => {
        if (hooks?.onStdout) return hooks.onStdout(b);
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
