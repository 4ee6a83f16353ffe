import { createHmac, timingSafeEqual } from 'node:crypto';
import { keyTypeLabel, sha256Fingerprint } from './fingerprint';

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
  /**
   * Keys are recorded for the host (of any type), none is the presented one: refuse (possible MITM). A key of another
   * type than the recorded ones is a changed key too: an attacker who only has an RSA key must not get a
   * "new host?" prompt for a host whose ed25519 key we know.
   */
  | { readonly status: 'changed'; readonly offending: readonly KnownHostEntry[] }
  | { readonly status: 'revoked'; readonly entry: KnownHostEntry }
  /** Nothing is recorded for the host. */
  | { readonly status: 'unknown' };

/**
 * The decision for a presented host key. `@revoked` keys are refused whatever the host field says; any other key
 * recorded for the host name (after HostKeyAlias / `[host]:port` matching) that is not the presented one makes it
 * "changed", whatever its type (the issue's rule, stricter than asking: nothing is written, the user removes the
 * stale line by hand). `@cert-authority` lines are ignored (host certificates are not supported).
 */
export function checkHostKey(entries: readonly KnownHostEntry[], host: string, port: number, keyType: string, keyBase64: string): HostKeyCheck {
  const revoked = entries.find((e) => e.marker === 'revoked' && e.key === keyBase64);
  if (revoked) return { status: 'revoked', entry: revoked };
  const forHost = entries.filter((e) => e.marker === undefined && hostFieldMatches(e.hosts, host, port));
  const exact = forHost.find((e) => e.keyType === keyType && e.key === keyBase64);
  if (exact) return { status: 'known', entry: exact };
  if (forHost.length > 0) {
    // Same-type lines first: they are the ones OpenSSH names as "Offending".
    const sameType = forHost.filter((e) => e.keyType === keyType);
    return { status: 'changed', offending: [...sameType, ...forHost.filter((e) => e.keyType !== keyType)] };
  }
  return { status: 'unknown' };
}

/** Key types recorded for a host: offered first in the key exchange, as OpenSSH does, so a known key is negotiated. */
export function knownKeyTypes(entries: readonly KnownHostEntry[], host: string, port: number): string[] {
  return [...new Set(entries.filter((e) => e.marker === undefined && hostFieldMatches(e.hosts, host, port)).map((e) => e.keyType))];
}

/** ssh2 host-key algorithm names to prefer for recorded key types (`ssh-rsa` keys sign with rsa-sha2-*). */
export function hostKeyAlgorithmsFor(keyTypes: readonly string[]): string[] {
  return keyTypes.flatMap((t) => (t === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [t]));
}

/** The fingerprint of a recorded key (`SHA256:…`), or a note when its base64 is damaged. */
function entryFingerprint(e: KnownHostEntry): string {
  const blob = Buffer.from(e.key, 'base64');
  return blob.length > 0 ? sha256Fingerprint(blob) : '(unreadable key)';
}

/**
 * OpenSSH's warning for a changed host key, plus what it leaves out: the fingerprint of every recorded key that no
 * longer matches, the exact known_hosts line(s) to remove, and the `ssh-keygen -R` that removes them.
 */
export function changedHostKeyMessage(host: string, port: number, keyType: string, fingerprint: string, offending: readonly KnownHostEntry[]): string {
  const label = keyTypeLabel(keyType);
  const name = knownHostsName(host, port);
  const first = offending[0]!;
  const otherType = offending.every((e) => e.keyType !== keyType);
  return [
    '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@',
    '@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @',
    '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@',
    'IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!',
    'Someone could be eavesdropping on you right now (man-in-the-middle attack)!',
    'It is also possible that a host key has just been changed.',
    `The fingerprint for the ${label} key sent by the remote host is`,
    `${fingerprint}.`,
    ...(otherType ? [`No ${label} key is recorded for ${name}, but a key of another type is: a server that suddenly offers only another key type is treated as a changed key.`] : []),
    'Recorded for this host (remove the line to accept the new key, once you know why it changed):',
    ...offending.map((e) => `  ${keyTypeLabel(e.keyType)} key ${entryFingerprint(e)} in ${e.file}:${e.line}\n    ${e.marker ? `@${e.marker} ` : ''}${e.hosts} ${e.keyType} ${e.key}`),
    'Please contact your system administrator.',
    `Add correct host key in ${first.file} to get rid of this message.`,
    `Offending ${keyTypeLabel(first.keyType)} key in ${first.file}:${first.line}`,
    '  remove with:',
    `  ssh-keygen -f '${first.file}' -R '${name}'`,
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
