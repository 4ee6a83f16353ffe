import * as fs from 'node:fs';
import type { Duplex } from 'node:stream';
import { Client, utils, type AnyAuthMethod, type AuthenticationType, type ClientChannel, type ConnectConfig, type ParsedKey } from 'ssh2';
import { SshError } from '../../core/ssh/errors';
import { keyTypeOfBlob, sha256Fingerprint } from '../../core/ssh/fingerprint';
import type { SshHostConfig } from '../../core/ssh/hostConfig';
import { changedHostKeyMessage, checkHostKey, hostKeyAlgorithmsFor, knownHostsName, knownKeyTypes, revokedHostKeyMessage } from '../../core/ssh/knownHosts';
import type { SshPrompts } from '../../core/ssh/prompts';
import { appendKnownHost, readKnownHosts } from './knownHostsStore';
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

/** ssh2's default host key algorithms, most preferred first (README). */
const DEFAULT_HOST_KEY_ALGORITHMS = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];

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
        this.client.exec(command, (err, stream) => (err ? reject(err) : resolve(stream)));
      } catch (e) {
        reject(e as Error);
      }
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
    let settled = false;
    let refusal: SshError | undefined;
    const tried: string[] = [];
    let serverMethods: string[] | undefined;
    const timeoutMs = o.connectTimeoutMs ?? cfg.connectTimeoutMs ?? 20_000;
    const fail = (e: SshError) => {
      if (settled) return;
      settled = true;
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

    // --- host key verification ---
    const keyHost = cfg.hostKeyAlias ?? cfg.hostName;
    const keyPort = cfg.hostKeyAlias ? 22 : cfg.port;
    const knownFiles = [...cfg.userKnownHostsFiles, ...cfg.globalKnownHostsFiles];
    const hostVerifier = (key: Buffer, verify: (ok: boolean) => void) => {
      void (async () => {
        const keyType = keyTypeOfBlob(key);
        const fp = sha256Fingerprint(key);
        const b64 = key.toString('base64');
        const check = checkHostKey(readKnownHosts(knownFiles), keyHost, keyPort, keyType, b64);
        if (check.status === 'known') return true;
        if (check.status === 'revoked') {
          refusal = new SshError('host-key-revoked', revokedHostKeyMessage(keyHost, keyPort, keyType, fp, check.entry));
          return false;
        }
        if (check.status === 'changed') {
          refusal = new SshError('host-key-changed', changedHostKeyMessage(keyHost, keyPort, keyType, fp, check.offending));
          return false;
        }
        const file = cfg.userKnownHostsFiles[0]!;
        if (cfg.strictHostKeyChecking === 'yes') {
          refusal = new SshError(
            'host-key-unknown',
            `No ${keyType} host key is known for ${knownHostsName(keyHost, keyPort)} and StrictHostKeyChecking is yes (key fingerprint ${fp}).\nHost key verification failed.`,
          );
          return false;
        }
        const hostField = cfg.hashKnownHosts ? '|1|…' : knownHostsName(keyHost, keyPort);
        const ok = await timer.while(() =>
          o.prompts.confirmUnknownHost(keyHost, keyPort, keyType, fp, { knownHostsFile: file, hostField }),
        );
        if (settled) return false;
        if (ok !== true) {
          refusal = new SshError('host-key-unknown', `The authenticity of host ${knownHostsName(keyHost, keyPort)} was not confirmed (${keyType} key ${fp}): connection refused.`);
          return false;
        }
        try {
          appendKnownHost(file, keyHost, keyPort, keyType, b64, cfg.hashKnownHosts);
        } catch (e) {
          refusal = new SshError('config', `could not record the host key in ${file}: ${(e as Error).message}`);
          return false;
        }
        return true;
      })().then(verify, (e: Error) => {
        refusal = new SshError('config', `host key check failed: ${e.message}`);
        verify(false);
      });
    };

    // --- user authentication ---
    const queue = authCandidates(cfg);
    let loginPassword: string | undefined;
    const authHandler = (methodsLeft: AuthenticationType[] | null, _partial: boolean | null, next: (m: AnyAuthMethod | false) => void) => {
      if (methodsLeft) serverMethods = methodsLeft;
      void (async (): Promise<AnyAuthMethod | false> => {
        for (;;) {
          const c = queue.shift();
          if (!c) return false;
          if (methodsLeft && !methodsLeft.includes(c.method === 'agent' ? 'publickey' : c.method)) continue;
          if (c.method === 'agent') {
            tried.push(`ssh-agent (${c.socket})`);
            return { type: 'agent', username: cfg.user, agent: c.socket };
          }
          if (c.method === 'publickey') {
            const key = await loadKey(c.path, o, timer);
            if (!key) continue;
            tried.push(`key ${c.path}`);
            return { type: 'publickey', username: cfg.user, key };
          }
          if (!o.prompts.askLoginPassword || !cfg.passwordAuthentication) continue;
          if (!methodsLeft) {
            // No key was tried yet: learn what the server accepts (a `none` attempt) before asking for a password.
            queue.unshift(c);
            return { type: 'none', username: cfg.user };
          }
          loginPassword ??= await timer.while(() => o.prompts.askLoginPassword!(cfg.hostName, cfg.user));
          if (loginPassword === undefined) continue;
          const password = loginPassword;
          tried.push(c.method);
          if (c.method === 'password') return { type: 'password', username: cfg.user, password };
          return {
            type: 'keyboard-interactive',
            username: cfg.user,
            prompt: (_n, _i, _l, prompts, finish) => finish(prompts.map((p) => (p.echo ? '' : password))),
          };
        }
      })().then(next, (e: Error) => {
        refusal = e instanceof SshError ? e : new SshError('auth', e.message);
        next(false);
      });
    };

    client.on('ready', () => {
      if (settled) return;
      settled = true;
      timer.clear();
      o.signal?.removeEventListener('abort', onAbort);
      resolve(new SshConnection(client, cfg, jump));
    });
    client.on('error', (err: Error & { level?: string }) => {
      if (settled) return;
      fail(refusal ?? classify(err, dest, tried, serverMethods));
    });
    client.on('close', () => {
      if (settled) return;
      fail(refusal ?? new SshError('dropped', `SSH to ${dest}: the connection was closed during login`));
    });

    const preferred = hostKeyAlgorithmsFor(knownKeyTypes(readKnownHosts(knownFiles), keyHost, keyPort)).filter((a) => DEFAULT_HOST_KEY_ALGORITHMS.includes(a));
    const connectConfig: ConnectConfig = {
      host: cfg.hostName,
      port: cfg.port,
      username: cfg.user,
      readyTimeout: 0, // our own timer, paused while a prompt waits for the user
      keepaliveInterval: o.keepaliveIntervalMs ?? cfg.keepaliveIntervalMs ?? 15_000,
      keepaliveCountMax: o.keepaliveCountMax ?? cfg.keepaliveCountMax ?? 3,
      hostVerifier,
      authHandler: authHandler as unknown as ConnectConfig['authHandler'],
      algorithms: { serverHostKey: [...preferred, ...DEFAULT_HOST_KEY_ALGORITHMS.filter((a) => !preferred.includes(a))] as never },
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

type AuthCandidate = { method: 'agent'; socket: string } | { method: 'publickey'; path: string } | { method: 'password' } | { method: 'keyboard-interactive' };

/** OpenSSH's order: agent, then identity files (unencrypted ones first, so a passphrase is asked only when needed), then password. */
function authCandidates(cfg: SshHostConfig): AuthCandidate[] {
  const files = cfg.identityFiles.filter((f) => fs.existsSync(f));
  const encrypted = (f: string) => {
    try {
      const k = utils.parseKey(fs.readFileSync(f));
      return k instanceof Error && /passphrase/i.test(k.message);
    } catch {
      return false;
    }
  };
  const plain = files.filter((f) => !encrypted(f));
  const locked = files.filter((f) => encrypted(f));
  return [
    ...(cfg.identityAgent && !cfg.identitiesOnly ? [{ method: 'agent' as const, socket: cfg.identityAgent }] : []),
    ...[...plain, ...locked].map((path) => ({ method: 'publickey' as const, path })),
    { method: 'password' },
    { method: 'keyboard-interactive' },
  ];
}

/** Parses a private key, asking for its passphrase (once per pool, three tries). undefined: unreadable or cancelled. */
async function loadKey(path: string, o: SshConnectOptions, timer: PausableTimer): Promise<ParsedKey | undefined> {
  let data: Buffer;
  try {
    data = fs.readFileSync(path);
  } catch {
    return undefined;
  }
  const first = firstKey(utils.parseKey(data));
  if (!(first instanceof Error)) return first;
  if (!/passphrase/i.test(first.message)) {
    o.debug?.(`skipping ${path}: ${first.message}`);
    return undefined;
  }
  let retry = false;
  for (let attempt = 0; attempt < 3; attempt++) {
    let pass = o.passphrases.get(path);
    if (pass === undefined) {
      pass = await timer.while(() => o.prompts.askPassphrase(path, retry));
      if (pass === undefined) return undefined;
    }
    const k = firstKey(utils.parseKey(data, pass));
    if (!(k instanceof Error)) {
      o.passphrases.set(path, pass);
      return k;
    }
    o.passphrases.delete(path);
    retry = true;
  }
  throw new SshError('auth', `wrong passphrase for ${path} (three tries)`);
}

function firstKey(k: ParsedKey | ParsedKey[] | Error): ParsedKey | Error {
  return Array.isArray(k) ? (k[0] ?? new Error('no key in file')) : k;
}

function classify(err: Error & { level?: string; code?: string }, dest: string, tried: string[], serverMethods: string[] | undefined): SshError {
  if (err.level === 'client-authentication') {
    return new SshError(
      'auth',
      `SSH authentication failed for ${dest}: permission denied` +
        (tried.length ? ` (tried ${tried.join(', ')})` : ' (no key, agent or password to try)') +
        (serverMethods ? `; the server accepts: ${serverMethods.join(', ')}` : '') +
        '. Check the user name, and that one of your keys is in the node\'s authorized_keys.',
    );
  }
  if (err.level === 'client-timeout') return new SshError('timeout', `SSH to ${dest}: ${err.message}`);
  if (err.level === 'client-dns') return new SshError('connect', `SSH to ${dest}: cannot resolve the host name (${err.message})`);
  if (err.level === 'client-socket') {
    if (err.code === 'ECONNRESET' || err.code === 'EPIPE') return new SshError('dropped', `SSH to ${dest}: connection reset during login (${err.message})`);
    return new SshError('connect', `SSH to ${dest}: cannot connect (${err.message})`);
  }
  return new SshError('connect', `SSH to ${dest}: ${err.message}`);
}
