import { randomBytes } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
import type { ClientChannel } from 'ssh2';
import type { NodeExecutor, RunOptions, RunResult } from '../../core/exec/executor';
import { quote, raw, type ShellCommand } from '../../core/exec/shell';
import { readFromCommand } from '../../core/etcd/commands';
import { SshError } from '../../core/ssh/errors';
import type { SshHostConfig } from '../../core/ssh/hostConfig';
import type { SshPrompts } from '../../core/ssh/prompts';
import { MarkerFilter, plainCommand, sudoCommand, sudoMarker } from '../../core/ssh/remoteCommand';
import { MAX_CHANNELS, Slots } from './channelSlots';
import { describe, exitOf, type SshConnection } from './connection';
import { followDetached, type RawHooks } from './detachedRun';
import { PausableTimer } from './timer';

export interface SshExecutorOptions {
  readonly config: SshHostConfig;
  readonly prompts: SshPrompts;
  /** Opens a new connection (the pool's, with its shared passphrase cache). */
  readonly open: (signal?: AbortSignal) => Promise<SshConnection>;
  /** After a timeout or cancel: how long to wait for the command to be stopped before closing the channel anyway. */
  readonly stopWaitMs?: number;
  /**
   * Detached steps: the waits before each reconnect after a drop. Default 1, 2, 4, 8, 15 s then 30 s (about 5 min
   * in all); when they are used up the run reports the drop and the step keeps running: resume re-attaches.
   */
  readonly reattachDelaysMs?: readonly number[];
}

const REATTACH_DELAYS_MS = [1000, 2000, 4000, 8000, 15_000, ...Array<number>(9).fill(30_000)];

/**
 * Runs commands on one node over one SSH connection, opened on first use and reused for every step. A connection
 * that dropped between commands is reopened once; one that drops during a command gives `exitCode: null`.
 */
export class SshExecutor implements NodeExecutor {
  private conn: SshConnection | undefined;
  private connecting: Promise<SshConnection> | undefined;
  /** sudo password for this connection: memory only, forgotten on dispose, on reconnect and when refused. */
  private sudoPassword: string | undefined;
  private sudoAsking: Promise<string | undefined> | undefined;
  private disposed = false;
  /** How many connections were opened (tests check reuse). */
  connectCount = 0;
  private readonly channels = new Slots(MAX_CHANNELS);

  constructor(private readonly o: SshExecutorOptions) {}

  get description(): string {
    return this.conn?.description ?? `ssh ${describe(this.o.config)}`;
  }

  /** Opens (or reuses) the connection: host key check and login happen here. Throws SshError. */
  async connect(signal?: AbortSignal): Promise<void> {
    await this.connection(signal);
  }

  private async connection(signal?: AbortSignal): Promise<SshConnection> {
    if (this.disposed) throw new SshError('cancelled', 'the SSH executor was disposed');
    if (this.conn?.isOpen) return this.conn;
    if (!this.connecting) {
      if (this.conn) this.sudoPassword = undefined; // a new connection asks again
      this.connecting = this.o
        .open(signal)
        .then((c) => {
          this.connectCount++;
          if (this.disposed) {
            c.close();
            throw new SshError('cancelled', 'the SSH executor was disposed');
          }
          this.conn = c;
          return c;
        })
        .finally(() => {
          this.connecting = undefined;
        });
    }
    return this.connecting;
  }

  async run(command: ShellCommand, options: RunOptions = {}, rawHooks?: RawHooks): Promise<RunResult> {
    if (options.signal?.aborted) return { exitCode: null, stdout: '', stderr: '', failure: 'cancelled' };
    if (options.detached && !rawHooks) {
      return followDetached(
        {
          run: (c, o, h) => this.run(c, o, h),
          target: describe(this.o.config),
          delaysMs: this.o.reattachDelaysMs ?? REATTACH_DELAYS_MS,
          disposed: () => this.disposed,
        },
        command,
        options,
      );
    }
    // sshd refuses channels beyond MaxSessions (OpenSSH's default: 10 per connection) with "Channel open failure":
    // commands wait for a free channel instead (readiness checks and fact gathering run many at once).
    await this.channels.acquire();
    try {
      return await this.runOnConnection(command, options, rawHooks);
    } finally {
      this.channels.release();
    }
  }

  private async runOnConnection(command: ShellCommand, options: RunOptions, rawHooks?: RawHooks): Promise<RunResult> {
    let conn: SshConnection;
    let channel: ClientChannel;
    const needsSudo = options.sudo === true && this.o.config.user !== 'root';
    const marker = needsSudo ? sudoMarker(randomBytes(12).toString('hex')) : undefined;
    const line = marker ? sudoCommand(command, marker) : plainCommand(command);
    try {
      conn = await this.connection(options.signal);
      try {
        channel = await conn.exec(line);
      } catch (e) {
        if (conn.isOpen) throw e;
        // Dropped between commands, noticed only now: reconnect once; the command had not started.
        conn = await this.connection(options.signal);
        channel = await conn.exec(line);
      }
    } catch (e) {
      if (rawHooks && (!(e instanceof SshError) || ['dropped', 'timeout', 'connect'].includes(e.kind))) rawHooks.dropped = true;
      return { exitCode: null, stdout: '', stderr: '', failure: e instanceof SshError ? e.message : `SSH: could not start the command: ${(e as Error).message}` };
    }
    return this.runOnChannel(conn, channel, marker, options, rawHooks);
  }

  private runOnChannel(conn: SshConnection, channel: ClientChannel, marker: string | undefined, options: RunOptions, rawHooks?: RawHooks): Promise<RunResult> {
    return new Promise((resolve) => {
      let stdout = '';
      let stderr = '';
      let failure: string | undefined;
      let finished = false;
      let passwordSent = false;
      const outDec = new StringDecoder('utf8');
      const errDec = new StringDecoder('utf8');
      const filter = marker ? new MarkerFilter(marker) : undefined;
      const timers: NodeJS.Timeout[] = [];
      const stopWait = this.o.stopWaitMs ?? 5000;
      const { host, user } = { host: this.o.config.hostName, user: this.o.config.user };

      const emitOut = (text: string) => {
        if (!text) return;
        stdout += text;
        options.onOutput?.(text, 'stdout');
      };
      const emitErr = (text: string) => {
        if (!text) return;
        stderr += text;
        options.onOutput?.(text, 'stderr');
      };
      const stop = (why: string) => {
        if (finished) return;
        failure ??= why;
        try {
          channel.signal('TERM'); // honoured by some sshd setups; the wrapper's watcher does the rest
        } catch {
          // channel gone
        }
        try {
          channel.end(); // EOF on stdin: the wrapper kills the command's process group (TERM, then KILL after 2 s)
        } catch {
          // gone
        }
        timers.push(setTimeout(() => channel.close(), stopWait));
      };
      const timeout = options.timeoutMs
        ? new PausableTimer(options.timeoutMs, () => stop(`timed out after ${Math.round(options.timeoutMs! / 1000)} s`))
        : undefined;
      const onAbort = () => stop('cancelled');
      options.signal?.addEventListener('abort', onAbort, { once: true });
      if (options.signal?.aborted) onAbort(); // aborted while the channel was opening
      const unsubscribe = conn.onClose((reason) => {
        failure ??= `connection dropped (${this.description}: ${reason}) while the command was running; whether it completed on the node is unknown`;
        finish();
      });

      const answerSudo = async (markers: number) => {
        if (markers === 0) return;
        if (passwordSent) {
          // sudo asked again: the password was wrong. Forget it and let sudo fail (EOF on its stdin).
          this.sudoPassword = undefined;
          this.o.prompts.sudoPasswordRejected?.(host, user);
          failure ??= `sudo on ${host} refused the password for ${user} (wrong password); the command did not run`;
          channel.end();
          return;
        }
        passwordSent = true;
        let pw = this.sudoPassword;
        if (pw === undefined) {
          // Concurrent sudo runs on this node share one question.
          this.sudoAsking ??= this.o.prompts.askSudoPassword(host, user).finally(() => (this.sudoAsking = undefined));
          const asking = this.sudoAsking;
          pw = timeout ? await timeout.while(() => asking) : await asking;
        }
        if (finished) return;
        if (pw === undefined) {
          failure ??= `cancelled: no sudo password for ${user} on ${host}; the command did not run`;
          channel.end();
          return;
        }
        this.sudoPassword = pw;
        channel.write(`${pw}\n`);
      };

      channel.on('data', (b: Buffer) => (rawHooks?.onStdout ? rawHooks.onStdout(b) : emitOut(outDec.write(b))));
      channel.stderr.on('data', (b: Buffer) => {
        const text = errDec.write(b);
        if (!filter) return emitErr(text);
        const r = filter.push(text);
        emitErr(r.text);
        void answerSudo(r.markers);
      });
      channel.on('close', () => finish());

      function finish() {
        if (finished) return;
        finished = true;
        unsubscribe();
        timeout?.clear();
        timers.forEach(clearTimeout);
        options.signal?.removeEventListener('abort', onAbort);
        emitOut(outDec.end());
        const restErr = errDec.end();
        emitErr(filter ? filter.push(restErr).text + filter.flush() : restErr);
        if (rawHooks && !conn.isOpen) rawHooks.dropped = true;
        // Recorded by the connection as soon as ssh2 parsed it (see exitOf): a listener attached here could miss it.
        const exit = exitOf(channel);
        const sawExit = exit !== undefined;
        const exitCode = exit?.code ?? null;
        const exitSignal = exit?.signal;
        if (!failure && !sawExit) {
          failure = conn.isOpen ? 'the command ended without an exit status' : `connection dropped while the command was running; whether it completed on the node is unknown`;
        }
        if (!failure && exitCode === null) failure = `killed by signal ${exitSignal ?? 'unknown'}`;
        resolve({ exitCode: failure ? null : exitCode, stdout, stderr, ...(failure ? { failure } : {}) });
      }
    });
  }

  /** The file's bytes from `offset`, as root (`tail -c +N`), handed on chunk by chunk as the channel delivers them. */
  readFile(path: string, offset: number, onChunk: (chunk: Uint8Array) => void, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<RunResult> {
    return this.run(readFromCommand(path, offset), { sudo: true, ...options }, { onStdout: (b) => onChunk(b) });
  }

  /**
   * SFTP (as the login user, streamed by ssh2's fastPut) into a fresh private folder of the login user's, then moved
   * into place as root with mode 0600. The folder goes whatever happens.
   */
  async writeFile(localPath: string, remotePath: string, onBytes?: (done: number, total: number) => void): Promise<void> {
    const tmp = await this.run(raw('umask 077; mktemp -d "${TMPDIR:-/tmp}/kubeadm-upgrade-copy.XXXXXXXX"'), { timeoutMs: 30_000 });
    const dir = tmp.stdout.trim();
    if (tmp.exitCode !== 0 || !dir.startsWith('/')) throw new Error(`could not make a folder for the copy on ${this.description}: ${tmp.failure ?? tmp.stderr.trim()}`);
    const staged = `${dir}/file`;
    try {
      const sftp = await (await this.connection()).sftp();
      try {
        await new Promise<void>((resolve, reject) =>
          sftp.fastPut(localPath, staged, { step: (done: number, _chunk: number, total: number) => onBytes?.(done, total) }, (err) => (err ? reject(err) : resolve())),
        );
      } finally {
        sftp.end();
      }
      const dest = remotePath.slice(0, remotePath.lastIndexOf('/')) || '/';
      const moved = await this.run(
        raw(`set -e; umask 077; mkdir -p ${quote(dest)}; mv ${quote(staged)} ${quote(remotePath)}; chown 0:0 ${quote(remotePath)}; chmod 0600 ${quote(remotePath)}`),
        { sudo: true, timeoutMs: 120_000 },
      );
      if (moved.exitCode !== 0) throw new Error(`could not move the copy into ${remotePath} on ${this.description}: ${moved.failure ?? moved.stderr.trim()}`);
    } finally {
      await this.run(raw(`rm -rf ${quote(dir)}`), { sudo: true, timeoutMs: 30_000 });
    }
  }

  dispose(): void {
    this.disposed = true;
    this.sudoPassword = undefined;
    this.conn?.close();
    this.conn = undefined;
  }
}
