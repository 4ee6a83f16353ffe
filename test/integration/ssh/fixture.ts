import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SshPrompts, UnknownHostDetails } from '../../../src/core/ssh/prompts';
import { SshPool, type SshPoolOptions } from '../../../src/adapters/ssh/sshPool';
import { makeKey, tmpDir, type KeyPair, type Sshd } from './sshd';

export interface PromptLog {
  unknownHost: { host: string; port: number; keyType: string; fingerprint: string; details: UnknownHostDetails }[];
  passphrase: { keyPath: string; retry: boolean }[];
  sudo: { host: string; user: string }[];
}

/** Scripted answers; every question is logged. */
export function fakePrompts(answers: { acceptHost?: boolean; passphrase?: string[]; sudo?: (string | undefined)[] } = {}): SshPrompts & { log: PromptLog } {
  const log: PromptLog = { unknownHost: [], passphrase: [], sudo: [] };
  const pass = [...(answers.passphrase ?? [])];
  const sudo = [...(answers.sudo ?? [])];
  return {
    log,
    async confirmUnknownHost(host, port, keyType, fingerprint, details) {
      log.unknownHost.push({ host, port, keyType, fingerprint, details });
      return answers.acceptHost ?? false;
    },
    async askPassphrase(keyPath, retry) {
      log.passphrase.push({ keyPath, retry });
      return pass.shift();
    },
    async askSudoPassword(host, user) {
      log.sudo.push({ host, user });
      return sudo.shift();
    },
  };
}

export interface Client {
  readonly home: string;
  readonly key: KeyPair;
  readonly knownHosts: string;
  readonly configFile: string;
  pool(prompts: SshPrompts, extra?: Partial<SshPoolOptions>): SshPool;
  cleanup(): void;
}

/**
 * A client side: its own HOME, a key authorized on `sshd`, an ssh_config with `Host <alias>` entries for the sshd,
 * and a known_hosts that already trusts the sshd's host key unless `trusted: false`.
 */
export function clientFor(sshd: Sshd, o: { user?: string; trusted?: boolean; passphrase?: string; extraConfig?: string[]; aliases?: string[] } = {}): Client {
  const home = tmpDir('kup-home-');
  fs.mkdirSync(path.join(home, '.ssh'), { mode: 0o700 });
  const key = makeKey(home, 'id_test', o.passphrase ?? '');
  sshd.authorize(key);
  const knownHosts = path.join(home, '.ssh', 'known_hosts');
  if (o.trusted !== false) fs.writeFileSync(knownHosts, `[127.0.0.1]:${sshd.port} ${sshd.hostKey.publicLine.split(' ').slice(0, 2).join(' ')}\n`);
  const configFile = path.join(home, '.ssh', 'config');
  const aliases = o.aliases ?? ['node-a'];
  fs.writeFileSync(
    configFile,
    [
      ...aliases.flatMap((a) => [`Host ${a}`, '  HostName 127.0.0.1', `  Port ${sshd.port}`, `  User ${o.user ?? 'root'}`]),
      ...(o.extraConfig ?? []),
      'Host *',
      `  IdentityFile ${key.privateKey}`,
      '  IdentitiesOnly yes',
      `  UserKnownHostsFile ${knownHosts}`,
      '  GlobalKnownHostsFile /dev/null',
      '',
    ].join('\n'),
  );
  return {
    home,
    key,
    knownHosts,
    configFile,
    pool: (prompts, extra = {}) =>
      new SshPool({ prompts, configFile, env: { home, localUser: 'nobody-local' }, connectTimeoutMs: 10_000, ...extra }),
    cleanup: () => fs.rmSync(home, { recursive: true, force: true }),
  };
}
