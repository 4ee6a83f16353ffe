import type { Duplex } from 'node:stream';
import { Client, type ClientChannel, type ConnectConfig, type SFTPWrapper } from 'ssh2';
import { SshError } from '../../core/ssh/errors';
import type { SshHostConfig } from '../../core/ssh/hostConfig';
import type { SshPrompts } from '../../core/ssh/prompts';
import { authenticationHandler } from './authentication';
import { hostKeyVerifier, preferredHostKeyAlgorithms } from './hostKeyVerifier';
import type { LoginAttempt } from './loginAttempt';
import { classify } from './loginErrors';
import { PausableTimer } from './timer';

export interface SshConnectOptions {
  readonly config: SshHostConfig;
  readonly prompts: SshPrompts;
  /** Key passphrases by key path, shared by a pool so each is asked once. Memory only. */
  readonly passphrases: Map<string, string>;
  /** Resolves a ProxyJump destination (`[user@]host[:port]` or alias) through ssh_config. */
  readonly resolveJump?: (destination: string) => SshHostConfig;
  /** Connect + handshake + login, not counting the time a prompt waits for the user. Default ConnectTimeout or 20 s. */
  readonly connectTimeoutMs?: number;
  /** Default ServerAliveInterval or 15 s; 0 disables. */
  readonly keepaliveIntervalMs?: number;
  readonly keepaliveCountMax?: number;
  readonly signal?: AbortSignal;
  /** ssh2's debug lines (never contain passwords: ssh2 does not log them). */
  readonly debug?: (line: string) => void;
}

/** How a command on a channel ended, as the server reported it (exit-status or exit-signal). */
export interface ChannelExit {
  readonly code: number | null;
  readonly signal?: string;
}

const exits = new WeakMap<ClientChannel, ChannelExit>();

/**
 * ssh2 emits a channel's 'exit' while it parses the server's packets. For a quick command (`true`) the exit-status can
 * come in the same TCP read as the exec reply — on a loaded machine it often does — and so before anyone awaiting
 * `exec` could attach a listener (the promise resolves a microtask later). The exit is therefore recorded in the exec
 * callback itself, synchronously, and read with `exitOf` when the channel closes.
 */
function recordExit(channel: ClientChannel): void {
  channel.once('exit', (code: number | null, signal?: string) => exits.set(channel, code === null && signal ? { code, signal } : { code }));
}

/** The command's exit on `channel` (from `SshConnection.exec`), or undefined when the server sent none (yet). */
export function exitOf(channel: ClientChannel): ChannelExit | undefined {
  return exits.get(channel);
}

/** One authenticated SSH connection (ssh2 Client), possibly through one jump host. */
export class SshConnection {
  private closed = false;
  private lastError: Error | undefined;
  private readonly closeListeners = new Set<(reason: string) => void>();

  /** Use `SshConnection.open`. */
  constructor(
    private readonly client: Client,
    readonly config: SshHostConfig,
    private readonly jump: SshConnection | undefined,
  ) {
    client.on('error', (e: Error) => {
      this.lastError = e;
    });
    client.on('close', () => {
      this.closed = true;
      this.jump?.close();
      const reason = this.lastError?.message ?? 'closed by the remote side';
      for (const l of this.closeListeners) l(reason);
      this.closeListeners.clear();
    });
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** `ssh user@host:port` (`via user@jump:port` when jumping). */
  get description(): string {
    return `ssh ${describe(this.config)}${this.jump ? ` via ${describe(this.jump.config)}` : ''}`;
  }

  /** Called once when the connection goes away (dropped, keepalive timeout, closed). Returns an unsubscribe. */
  onClose(listener: (reason: string) => void): () => void {
    if (this.closed) {
      listener(this.lastError?.message ?? 'closed');
      return () => undefined;
    }
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  exec(command: string): Promise<ClientChannel> {
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new SshError('dropped', 'connection is closed'));
      try {
        this.client.exec(command, (err, stream) => {
          if (err) return reject(err);
          recordExit(stream);
          resolve(stream);
        });
      } catch (e) {
        reject(e as Error);
      }
    });
  }

  /** An SFTP session on this connection (as the login user), for copying files to the node. */
  sftp(): Promise<SFTPWrapper> {
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new SshError('dropped', 'connection is closed'));
      this.client.sftp((err, sftp) => (err ? reject(err) : resolve(sftp)));
    });
  }

  forwardOut(host: string, port: number): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      this.client.forwardOut('127.0.0.1', 0, host, port, (err, stream) => (err ? reject(err) : resolve(stream)));
    });
  }

  close(): void {
    this.closed = true;
    try {
      this.client.end(); // polite disconnect …
      setTimeout(() => this.client.destroy(), 2000).unref(); // … and gone even if the peer never answers
    } catch {
      // already gone
    }
    this.jump?.close();
  }

  static async open(o: SshConnectOptions): Promise<SshConnection> {
    const cfg = o.config;
    if (cfg.proxyCommand) {
      throw new SshError('unsupported', `ProxyCommand (for ${cfg.alias} in ssh_config) is not supported: use ProxyJump with a single jump host`);
    }
    let jump: SshConnection | undefined;
    let sock: Duplex | undefined;
    if (cfg.proxyJump) {
      if (cfg.proxyJump.includes(',')) {
        throw new SshError('unsupported', `ProxyJump ${cfg.proxyJump} (for ${cfg.alias}): only one jump host is supported`);
      }
      if (!o.resolveJump) throw new SshError('unsupported', `ProxyJump (for ${cfg.alias}) is not supported here`);
      const jumpConfig = o.resolveJump(cfg.proxyJump);
      if (jumpConfig.proxyJump || jumpConfig.proxyCommand) {
        throw new SshError('unsupported', `the jump host ${cfg.proxyJump} has a ProxyJump/ProxyCommand itself: only one jump host is supported`);
      }
      jump = await SshConnection.open({ ...o, config: jumpConfig });
      try {
        sock = await jump.forwardOut(cfg.hostName, cfg.port);
      } catch (e) {
        jump.close();
        throw new SshError('connect', `jump host ${describe(jumpConfig)} could not open a connection to ${cfg.hostName}:${cfg.port}: ${(e as Error).message}`);
      }
    }
    try {
      return await connectClient(o, sock, jump);
    } catch (e) {
      jump?.close();
      throw e;
    }
  }
}

export function describe(cfg: SshHostConfig): string {
  return `${cfg.user}@${cfg.hostName}:${cfg.port}`;
}

function connectClient(o: SshConnectOptions, sock: Duplex | undefined, jump: SshConnection | undefined): Promise<SshConnection> {
  const cfg = o.config;
  const dest = describe(cfg);
  return new Promise((resolve, reject) => {
    const client = new Client();
    // What the login learnt so far, shared with the host-key and auth steps (which set `refusal` when they say no).
    const attempt: LoginAttempt = { settled: false, tried: [] };
    const timeoutMs = o.connectTimeoutMs ?? cfg.connectTimeoutMs ?? 20_000;
    const fail = (e: SshError) => {
      if (attempt.settled) return;
      attempt.settled = true;
      timer.clear();
      o.signal?.removeEventListener('abort', onAbort);
      client.removeAllListeners('ready');
      client.on('error', () => undefined); // late errors of a failed attempt are not news
      client.destroy(); // not end(): a peer that never reads would keep a half-closed socket forever
      reject(e);
    };
    const timer = new PausableTimer(timeoutMs, () =>
      fail(new SshError('timeout', `SSH to ${dest}: timed out after ${Math.round(timeoutMs / 1000)} s while connecting (no answer, or the SSH handshake/login did not finish)`)),
    );
    const onAbort = () => fail(new SshError('cancelled', `SSH to ${dest}: cancelled`));
    if (o.signal?.aborted) return onAbort();
    o.signal?.addEventListener('abort', onAbort, { once: true });

    const hostVerifier = hostKeyVerifier(cfg, o.prompts, timer, attempt);
    const authHandler = authenticationHandler(o, timer, attempt);

    client.on('ready', () => {
      if (attempt.settled) return;
      attempt.settled = true;
      timer.clear();
      o.signal?.removeEventListener('abort', onAbort);
      resolve(new SshConnection(client, cfg, jump));
    });
    client.on('error', (err: Error & { level?: string }) => {
      if (attempt.settled) return;
      fail(attempt.refusal ?? classify(err, dest, attempt.tried, attempt.serverMethods));
    });
    client.on('close', () => {
      if (attempt.settled) return;
      fail(attempt.refusal ?? new SshError('dropped', `SSH to ${dest}: the connection was closed during login`));
    });

    const preferred = preferredHostKeyAlgorithms(cfg);
    const connectConfig: ConnectConfig = {
      host: cfg.hostName,
      port: cfg.port,
      username: cfg.user,
      readyTimeout: 0, // our own timer, paused while a prompt waits for the user
      keepaliveInterval: o.keepaliveIntervalMs ?? cfg.keepaliveIntervalMs ?? 15_000,
      keepaliveCountMax: o.keepaliveCountMax ?? cfg.keepaliveCountMax ?? 3,
      hostVerifier,
      authHandler: authHandler as unknown as ConnectConfig['authHandler'],
      algorithms: { serverHostKey: preferred as never },
      ...(sock ? { sock } : {}),
      ...(o.debug ? { debug: o.debug } : {}),
    };
    try {
      client.connect(connectConfig);
      // Small request/response exchanges (one per node command) must not wait for Nagle: ~65 ms → ~23 ms per command (bench/).
      client.setNoDelay(true);
    } catch (e) {
      fail(new SshError('config', `SSH to ${dest}: ${(e as Error).message}`));
    }
  });
}

