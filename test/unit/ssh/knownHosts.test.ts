import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import {
  changedHostKeyMessage,
  checkHostKey,
  globMatch,
  hashHostName,
  hostFieldMatches,
  hostKeyAlgorithmsFor,
  knownHostsLine,
  knownHostsName,
  knownKeyTypes,
  parseKnownHosts,
} from '../../../src/core/ssh/knownHosts';
import { keyTypeLabel, keyTypeOfBlob, sha256Fingerprint } from '../../../src/core/ssh/fingerprint';

// A real ed25519 public key and its `ssh-keygen -lf` fingerprint.
const ED = 'AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
const OTHER = 'AAAAC3NzaC1lZDI1NTE5AAAAIPmDHqWmrAO7M6m1QbITMTSwZ0qYx0cMuz5Y1kK5UUk9';

test('fingerprint and key type from a public key blob', () => {
  const blob = Buffer.from(ED, 'base64');
  assert.equal(keyTypeOfBlob(blob), 'ssh-ed25519');
  assert.match(sha256Fingerprint(blob), /^SHA256:[A-Za-z0-9+/]{43}$/);
  assert.equal(sha256Fingerprint(blob), 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, ''));
  assert.equal(keyTypeLabel('ecdsa-sha2-nistp256'), 'ECDSA');
  assert.throws(() => keyTypeOfBlob(new Uint8Array([0, 0])));
});

test('parse: comments, blank lines, markers, unknown markers skipped, line numbers kept', () => {
  const e = parseKnownHosts(`# c\n\nhost1 ssh-ed25519 ${ED} comment here\n@revoked * ssh-ed25519 ${OTHER}\n@cert-authority *.x ssh-ed25519 ${ED}\n@bogus h ssh-ed25519 ${ED}\nbroken-line\n`, '/kh');
  assert.deepEqual(
    e.map((x) => [x.line, x.marker ?? '', x.hosts, x.keyType]),
    [
      [3, '', 'host1', 'ssh-ed25519'],
      [4, 'revoked', '*', 'ssh-ed25519'],
      [5, 'cert-authority', '*.x', 'ssh-ed25519'],
    ],
  );
});

test('host names: port 22 plain, others [host]:port, lower-cased', () => {
  assert.equal(knownHostsName('Node-1.Example', 22), 'node-1.example');
  assert.equal(knownHostsName('10.0.0.1', 2222), '[10.0.0.1]:2222');
});

test('host field matching: comma lists, wildcards, negation, [host]:port', () => {
  assert.ok(hostFieldMatches('a,node1,10.0.0.1', 'node1', 22));
  assert.ok(hostFieldMatches('a,node1,10.0.0.1', '10.0.0.1', 22));
  assert.ok(!hostFieldMatches('node1', 'node1', 2222), 'a plain name does not match another port');
  assert.ok(hostFieldMatches('[node1]:2222', 'node1', 2222));
  assert.ok(!hostFieldMatches('[node1]:2222', 'node1', 22));
  assert.ok(hostFieldMatches('*.example.com', 'cp.example.com', 22));
  assert.ok(hostFieldMatches('10.0.0.?', '10.0.0.7', 22));
  assert.ok(!hostFieldMatches('*.example.com,!bad.example.com', 'bad.example.com', 22));
  assert.ok(hostFieldMatches('NODE1', 'node1', 22), 'case-insensitive');
  assert.ok(!globMatch('a.c', 'abc'), 'dots are literal');
});

test('hashed |1|salt|hash entries (HMAC-SHA1 of the host name)', () => {
  const salt = Buffer.alloc(20, 7);
  const field = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update('[10.0.0.1]:2222').digest('base64')}`;
  assert.ok(hostFieldMatches(field, '10.0.0.1', 2222));
  assert.ok(!hostFieldMatches(field, '10.0.0.1', 22));
  assert.ok(!hostFieldMatches('|1|bad', '10.0.0.1', 2222));
  assert.ok(hostFieldMatches(hashHostName('node1', salt), 'node1', 22));
});

test('checkHostKey: known, changed (offending lines, any key type), unknown, revoked, cert-authority ignored', () => {
  const entries = parseKnownHosts(
    [`other ssh-ed25519 ${OTHER}`, `node1,10.0.0.1 ssh-ed25519 ${ED}`, `[node2]:2222 ssh-ed25519 ${OTHER}`, `node3 ssh-rsa AAAAB3NzaC1yc2E=`, `@cert-authority node4 ssh-ed25519 ${ED}`].join('\n'),
    '/kh',
  );
  assert.equal(checkHostKey(entries, 'node1', 22, 'ssh-ed25519', ED).status, 'known');
  assert.equal(checkHostKey(entries, '10.0.0.1', 22, 'ssh-ed25519', ED).status, 'known');
  const changed = checkHostKey(entries, 'node2', 2222, 'ssh-ed25519', ED);
  assert.equal(changed.status, 'changed');
  assert.deepEqual(changed.status === 'changed' && changed.offending.map((e) => e.line), [3]);
  // Another key type recorded for the host: OpenSSH's "changed", never a "new host?" prompt.
  const otherType = checkHostKey(entries, 'node3', 22, 'ssh-ed25519', ED);
  assert.equal(otherType.status, 'changed');
  assert.deepEqual(otherType.status === 'changed' && otherType.offending.map((e) => [e.line, e.keyType]), [[4, 'ssh-rsa']]);
  assert.deepEqual(checkHostKey(entries, 'node4', 22, 'ssh-ed25519', ED), { status: 'unknown' });
  assert.deepEqual(checkHostKey(entries, 'node2', 22, 'ssh-ed25519', ED), { status: 'unknown' });
  // @revoked lines for the host are not "recorded keys": a host with only a revoked other key is unknown.
  assert.deepEqual(checkHostKey(parseKnownHosts(`@revoked node5 ssh-ed25519 ${OTHER}`, '/kh'), 'node5', 22, 'ssh-ed25519', ED), { status: 'unknown' });
  const revoked = parseKnownHosts(`node1 ssh-ed25519 ${ED}\n@revoked * ssh-ed25519 ${ED}\n`, '/kh');
  assert.equal(checkHostKey(revoked, 'node1', 22, 'ssh-ed25519', ED).status, 'revoked');
  assert.deepEqual(knownKeyTypes(entries, 'node3', 22), ['ssh-rsa']);
  assert.deepEqual(hostKeyAlgorithmsFor(['ssh-rsa', 'ssh-ed25519']), ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa', 'ssh-ed25519']);
});

test('lines written: plain or hashed, readable back', () => {
  assert.equal(knownHostsLine('10.0.0.1', 22, 'ssh-ed25519', ED), `10.0.0.1 ssh-ed25519 ${ED}`);
  assert.equal(knownHostsLine('Node1', 2222, 'ssh-ed25519', ED), `[node1]:2222 ssh-ed25519 ${ED}`);
  const hashed = knownHostsLine('node1', 2222, 'ssh-ed25519', ED, Buffer.alloc(20, 1));
  const [entry] = parseKnownHosts(hashed, '/kh');
  assert.equal(checkHostKey([entry!], 'node1', 2222, 'ssh-ed25519', ED).status, 'known');
});

test('changed-key message follows OpenSSH', () => {
  const [e] = parseKnownHosts(`\n\n[n]:2222 ssh-ed25519 ${OTHER}`, '/root/.ssh/known_hosts');
  const m = changedHostKeyMessage('n', 2222, 'ssh-ed25519', 'SHA256:abc', [e!]);
  assert.match(m, /^@@@@.*\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\n/);
  assert.ok(m.includes('The fingerprint for the ED25519 key sent by the remote host is\nSHA256:abc.'));
  assert.ok(m.includes('Offending ED25519 key in /root/.ssh/known_hosts:3'));
  assert.ok(m.includes("ssh-keygen -f '/root/.ssh/known_hosts' -R '[n]:2222'"));
  assert.ok(m.endsWith('Host key verification failed.'));
  // Both fingerprints and the exact line to remove.
  assert.ok(m.includes(`[n]:2222 ssh-ed25519 ${OTHER}`), m);
  assert.match(m, /ED25519 key SHA256:[A-Za-z0-9+/]{43} in \/root\/.ssh\/known_hosts:3/);
});
