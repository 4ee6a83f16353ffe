import * as fs from 'node:fs';
import { utils, type AnyAuthMethod, type AuthenticationType, type ParsedKey } from 'ssh2';
import { SshError } from '../../core/ssh/errors';
import type { SshHostConfig } from '../../core/ssh/hostConfig';
import type { SshConnectOptions } from './connection';
import type { LoginAttempt } from './loginAttempt';
import type { PausableTimer } from './timer';

/**
 * ssh2's authHandler in OpenSSH's order (agent, identity files, then password / keyboard-interactive), trying only
 * what the server still accepts; what was tried and what the server accepts are kept in `attempt` for the error.
 */
export function authenticationHandler(o: SshConnectOptions, timer: PausableTimer, attempt: LoginAttempt) {
  const cfg = o.config;
  const queue = authCandidates(cfg);
  let loginPassword: string | undefined;
  return (methodsLeft: AuthenticationType[] | null, _partial: boolean | null, next: (m: AnyAuthMethod | false) => void) => {
    if (methodsLeft) attempt.serverMethods = methodsLeft;
    void (async (): Promise<AnyAuthMethod | false> => {
      for (;;) {
        const c = queue.shift();
        if (!c) return false;
        if (methodsLeft && !methodsLeft.includes(c.method === 'agent' ? 'publickey' : c.method)) continue;
        if (c.method === 'agent') {
          attempt.tried.push(`ssh-agent (${c.socket})`);
          return { type: 'agent', username: cfg.user, agent: c.socket };
        }
        if (c.method === 'publickey') {
          const key = await loadKey(c.path, o, timer);
          if (!key) continue;
          attempt.tried.push(`key ${c.path}`);
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
        attempt.tried.push(c.method);
        if (c.method === 'password') return { type: 'password', username: cfg.user, password };
        return {
          type: 'keyboard-interactive',
          username: cfg.user,
          prompt: (_n, _i, _l, prompts, finish) => finish(prompts.map((p) => (p.echo ? '' : password))),
        };
      }
    })().then(next, (e: Error) => {
      attempt.refusal = e instanceof SshError ? e : new SshError('auth', e.message);
      next(false);
    });
  };
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
