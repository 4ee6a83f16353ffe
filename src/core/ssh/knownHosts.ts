import { createHmac, timingSafeEqual } from 'node:crypto';
import { keyTypeLabel } from './fingerprint';

/**
 * known_hosts in OpenSSH's format (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"): parsing, matching a host and port, and
 * the lines we append. Pure: the adapter reads and writes the files.
 */

export interface KnownHostEntry {
  readonly file: string;
  /** 1-based line number, for "Offending key in file:line". */
  readonly line: number;
  readonly marker?: 'revoked' | 'cert-authority';
  /** The host field as written: `a,b,[c]:2222`, or `|1|salt|hash`. */
  readonly hosts: string;
  readonly keyType: string;
  /** Base64 of the public key blob. */
  readonly key: string;
}

export function parseKnownHosts(text: string, file: string): KnownHostEntry[] {
  const out: KnownHostEntry[] = [];
  text.split(/\r?\n/).forEach((rawLine, i) => {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    let marker: KnownHostEntry['marker'];
    if (fields[0]!.startsWith('@')) {
      const m = fields.shift()!;
      if (m === '@revoked') marker = 'revoked';
      else if (m === '@cert-authority') marker = 'cert-authority';
      else return; // unknown marker: OpenSSH skips the line
    }
    const [hosts, keyType, key] = fields;
    if (!hosts || !keyType || !key) return;
    out.push({ file, line: i + 1, ...(marker ? { marker } : {}), hosts, keyType, key });
  });
  return out;
}

/** The name OpenSSH looks up and writes: `host` on port 22, `[host]:port` otherwise. Lower-cased like OpenSSH. */
export function knownHostsName(host: string, port: number): string {
  const h = host.toLowerCase();
  return port === 22 ? h : `[${h}]:${port}`;
}

/** Whether the host field of an entry (plain pattern list or `|1|` hash) matches `host`:`port`. */
export function hostFieldMatches(hosts: string, host: string, port: number): boolean {
  const name = knownHostsName(host, port);
  if (hosts.startsWith('|1|')) return hashedMatches(hosts, name);
  let matched = false;
  for (const raw of hosts.split(',')) {
    if (raw === '') continue;
    const negated = raw.startsWith('!');
    const pattern = (negated ? raw.slice(1) : raw).toLowerCase();
    if (globMatch(pattern, name)) {
      if (negated) return false; // a matching negation wins over everything
      matched = true;
    }
  }
  return matched;
}

function hashedMatches(field: string, name: string): boolean {
  const parts = field.split('|'); // ['', '1', salt, hash]
  if (parts.length !== 4 || parts[2] === '' || parts[3] === '') return false;
  const salt = Buffer.from(parts[2]!, 'base64');
  const want = Buffer.from(parts[3]!, 'base64');
  const got = createHmac('sha1', salt).update(name).digest();
  return want.length === got.length && timingSafeEqual(want, got);
}

/** `*` and `?` wildcards, as in OpenSSH's match_pattern. */
export function globMatch(pattern: string, text: string): boolean {
  const re = new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$', 's');
  return re.test(text);
}

/** `|1|salt|hash`: HashKnownHosts' form of a host name. `salt` is 20 random bytes from the caller. */
export function hashHostName(name: string, salt: Uint8Array): string {
  const s = Buffer.from(salt);
  return `|1|${s.toString('base64')}|${createHmac('sha1', s).update(name).digest('base64')}`;
}

/** The line to append for an accepted key (no newline), readable by plain `ssh`. */
export function knownHostsLine(host: string, port: number, keyType: string, keyBase64: string, hashSalt?: Uint8Array): string {
  const name = knownHostsName(host, port);
  return `${hashSalt ? hashHostName(name, hashSalt) : name} ${keyType} ${keyBase64}`;
}

export type HostKeyCheck =
  | { readonly status: 'known'; readonly entry: KnownHostEntry }
  /** Keys of this type are recorded for the host, none is the presented one: refuse (possible MITM). */
  | { readonly status: 'changed'; readonly offending: readonly KnownHostEntry[] }
  | { readonly status: 'revoked'; readonly entry: KnownHostEntry }
  /** Nothing recorded for this key type. `otherKeyTypes`: types recorded for the host (the prompt should say so). */
  | { readonly status: 'unknown'; readonly otherKeyTypes: readonly string[] };

/**
 * OpenSSH's decision for a presented host key. `@revoked` keys are refused whatever the host field says;
 * `@cert-authority` lines are ignored (host certificates are not supported: such a host is "unknown").
 */
export function checkHostKey(entries: readonly KnownHostEntry[], host: string, port: number, keyType: string, keyBase64: string): HostKeyCheck {
  const revoked = entries.find((e) => e.marker === 'revoked' && e.key === keyBase64);
  if (revoked) return { status: 'revoked', entry: revoked };
  const forHost = entries.filter((e) => e.marker === undefined && hostFieldMatches(e.hosts, host, port));
  const exact = forHost.find((e) => e.keyType === keyType && e.key === keyBase64);
  if (exact) return { status: 'known', entry: exact };
  const sameType = forHost.filter((e) => e.keyType === keyType);
  if (sameType.length > 0) return { status: 'changed', offending: sameType };
  return { status: 'unknown', otherKeyTypes: [...new Set(forHost.map((e) => e.keyType))] };
}

/** Key types recorded for a host: offered first in the key exchange, as OpenSSH does, so a known key is negotiated. */
export function knownKeyTypes(entries: readonly KnownHostEntry[], host: string, port: number): string[] {
  return [...new Set(entries.filter((e) => e.marker === undefined && hostFieldMatches(e.hosts, host, port)).map((e) => e.keyType))];
}

/** ssh2 host-key algorithm names to prefer for recorded key types (`ssh-rsa` keys sign with rsa-sha2-*). */
export function hostKeyAlgorithmsFor(keyTypes: readonly string[]): string[] {
  return keyTypes.flatMap((t) => (t === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [t]));
}

/** OpenSSH's warning for a changed host key, with the offending file:line and the `ssh-keygen -R` that clears it. */
export function changedHostKeyMessage(host: string, port: number, keyType: string, fingerprint: string, offending: KnownHostEntry): string {
  const label = keyTypeLabel(keyType);
  const name = knownHostsName(host, port);
  return [
    '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@',
    '@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @',
    '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@',
    'IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!',
    'Someone could be eavesdropping on you right now (man-in-the-middle attack)!',
    'It is also possible that a host key has just been changed.',
    `The fingerprint for the ${label} key sent by the remote host is`,
    `${fingerprint}.`,
    'Please contact your system administrator.',
    `Add correct host key in ${offending.file} to get rid of this message.`,
    `Offending ${keyTypeLabel(offending.keyType)} key in ${offending.file}:${offending.line}`,
    '  remove with:',
    `  ssh-keygen -f '${offending.file}' -R '${name}'`,
    `Host key for ${name} has changed and you have requested strict checking.`,
    'Host key verification failed.',
  ].join('\n');
}

export function revokedHostKeyMessage(host: string, port: number, keyType: string, fingerprint: string, entry: KnownHostEntry): string {
  return [
    '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@',
    '@       WARNING: REVOKED HOST KEY DETECTED!               @',
    '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@',
    `The ${keyTypeLabel(keyType)} host key for ${knownHostsName(host, port)} is marked as revoked (${entry.file}:${entry.line}).`,
    'This could mean that a stolen key is being used to impersonate this host.',
    `${keyTypeLabel(keyType)} key fingerprint is ${fingerprint}.`,
    'Host key verification failed.',
  ].join('\n');
}
