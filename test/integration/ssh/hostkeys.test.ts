import './pureJs';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { raw } from '../../../src/core/exec/shell';
import type { SshError } from '../../../src/core/ssh/errors';
import { cliPrompts } from '../../../src/cli/cliPrompts';
import { gatherNodeFacts } from '../../../src/core/upgrade/prepare';
import { clientFor, fakePrompts, type Client } from './fixture';
import { keygenFingerprint, makeKey, runSsh, Sshd } from './sshd';

let sshd: Sshd;
const clients: Client[] = [];

before(async () => {
  sshd = await Sshd.start();
});
after(async () => {
  await sshd?.stop();
  for (const c of clients) c.cleanup();
});

function client(o: Parameters<typeof clientFor>[1] = {}): Client {
  const c = clientFor(sshd, o);
  clients.push(c);
  return c;
}

/** Plain OpenSSH with strict checking against `knownHosts` only. */
function plainSsh(c: Client, knownHosts = c.knownHosts) {
  return runSsh([
    '-F', '/dev/null',
    '-o', 'BatchMode=yes',
    '-o', 'StrictHostKeyChecking=yes',
    '-o', `UserKnownHostsFile=${knownHosts}`,
    '-o', 'GlobalKnownHostsFile=/dev/null',
    '-o', 'IdentitiesOnly=yes',
    '-i', c.key.privateKey,
    '-p', String(sshd.port),
    'root@127.0.0.1',
    'echo plain-ssh-ok',
  ]);
}

test('unknown host: the prompt shows the SHA256 fingerprint ssh-keygen -lf gives; declined → refused, nothing recorded', async () => {
  const c = client({ trusted: false });
  const prompts = fakePrompts({ acceptHost: false });
  const pool = c.pool(prompts);
  try {
    const r = await pool.getExecutor('node-a').run(raw('echo should-not-run'));
    assert.equal(r.exitCode, null);
    assert.match(r.failure ?? '', /authenticity of host \[127\.0\.0\.1\]:\d+ was not confirmed/);
    assert.equal(prompts.log.unknownHost.length, 1);
    const q = prompts.log.unknownHost[0]!;
    assert.deepEqual([q.host, q.port, q.keyType], ['127.0.0.1', sshd.port, 'ssh-ed25519']);
    assert.equal(q.fingerprint, keygenFingerprint(sshd.hostKey.publicKey));
    assert.equal(q.details.knownHostsFile, c.knownHosts);
    assert.equal(fs.existsSync(c.knownHosts), false, 'a declined key must not be recorded');
    await assert.rejects(pool.getExecutor('node-a').connect(), (e: SshError) => e.kind === 'host-key-unknown');
  } finally {
    pool.dispose();
  }
});

test('unknown host accepted → recorded OpenSSH-style; plain ssh with StrictHostKeyChecking=yes accepts it; no second prompt', async () => {
  const c = client({ trusted: false });
  assert.notEqual(plainSsh(c).status, 0, 'plain ssh must refuse before we record the key');
  const prompts = fakePrompts({ acceptHost: true });
  const pool = c.pool(prompts);
  try {
    const r = await pool.getExecutor('node-a').run(raw('echo hi'));
    assert.equal(r.stdout, 'hi\n', r.failure);
    assert.equal(prompts.log.unknownHost.length, 1);
    const recorded = fs.readFileSync(c.knownHosts, 'utf8');
    assert.equal(recorded, `[127.0.0.1]:${sshd.port} ${sshd.hostKey.publicLine.split(' ').slice(0, 2).join(' ')}\n`);
    assert.equal((fs.statSync(c.knownHosts).mode & 0o777).toString(8), '600');
    const plain = plainSsh(c);
    assert.equal(plain.status, 0, plain.stderr);
    assert.equal(plain.stdout, 'plain-ssh-ok\n');
  } finally {
    pool.dispose();
  }
  const again = c.pool(prompts);
  try {
    assert.equal((await again.getExecutor('node-a').run(raw('true'))).exitCode, 0);
    assert.equal(prompts.log.unknownHost.length, 1, 'a recorded key is not asked about again');
  } finally {
    again.dispose();
  }
});

test('HashKnownHosts yes: the accepted key is written hashed, and plain ssh accepts it', async () => {
  const c = client({ trusted: false, extraConfig: ['Host node-a', '  HashKnownHosts yes'] });
  const pool = c.pool(fakePrompts({ acceptHost: true }));
  try {
    assert.equal((await pool.getExecutor('node-a').run(raw('true'))).exitCode, 0);
  } finally {
    pool.dispose();
  }
  const line = fs.readFileSync(c.knownHosts, 'utf8');
  assert.match(line, /^\|1\|[A-Za-z0-9+/=]+\|[A-Za-z0-9+/=]+ ssh-ed25519 \S+\n$/);
  assert.equal(plainSsh(c).status, 0);
});

test('changed host key → refused with OpenSSH\'s warning and the offending file:line; no prompt', async () => {
  const c = client({ trusted: false });
  const impostor = makeKey(c.home, 'other_host_key');
  fs.writeFileSync(c.knownHosts, `# comment\nexample.org ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n[127.0.0.1]:${sshd.port} ${impostor.publicLine.split(' ').slice(0, 2).join(' ')}\n`);
  const prompts = fakePrompts({ acceptHost: true });
  const pool = c.pool(prompts);
  try {
    const r = await pool.getExecutor('node-a').run(raw('echo should-not-run'));
    assert.equal(r.exitCode, null);
    assert.equal(r.stdout, '');
    const msg = r.failure ?? '';
    assert.match(msg, /WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!/);
    assert.ok(msg.includes(keygenFingerprint(sshd.hostKey.publicKey)), msg);
    assert.ok(msg.includes(`Offending ED25519 key in ${c.knownHosts}:3`), msg);
    assert.ok(msg.includes(`ssh-keygen -f '${c.knownHosts}' -R '[127.0.0.1]:${sshd.port}'`), msg);
    assert.match(msg, /Host key verification failed\.$/);
    assert.equal(prompts.log.unknownHost.length, 0, 'a changed key is never offered for acceptance');
    await assert.rejects(pool.getExecutor('node-a').connect(), (e: SshError) => e.kind === 'host-key-changed');
    // plain OpenSSH agrees that this known_hosts means "changed".
    assert.match(plainSsh(c).stderr, /REMOTE HOST IDENTIFICATION HAS CHANGED/);
  } finally {
    pool.dispose();
  }
});

test('hashed known_hosts entry (ssh-keygen -H) matches', async () => {
  const c = client(); // trusted with a plain entry …
  execFileSync('ssh-keygen', ['-q', '-H', '-f', c.knownHosts], { stdio: 'ignore' }); // … now hashed in place
  assert.match(fs.readFileSync(c.knownHosts, 'utf8'), /^\|1\|/);
  const prompts = fakePrompts({ acceptHost: false });
  const pool = c.pool(prompts);
  try {
    const r = await pool.getExecutor('node-a').run(raw('echo hashed-ok'));
    assert.equal(r.stdout, 'hashed-ok\n', r.failure);
    assert.equal(prompts.log.unknownHost.length, 0);
  } finally {
    pool.dispose();
  }
});

test('@revoked host key → refused', async () => {
  const c = client();
  fs.appendFileSync(c.knownHosts, `@revoked * ${sshd.hostKey.publicLine.split(' ').slice(0, 2).join(' ')}\n`);
  const pool = c.pool(fakePrompts({ acceptHost: true }));
  try {
    const r = await pool.getExecutor('node-a').run(raw('true'));
    assert.equal(r.exitCode, null);
    assert.match(r.failure ?? '', /REVOKED HOST KEY/);
  } finally {
    pool.dispose();
  }
});

test('StrictHostKeyChecking yes in ssh_config: unknown host refused without asking', async () => {
  const c = client({ trusted: false, extraConfig: ['Host node-a', '  StrictHostKeyChecking yes'] });
  const prompts = fakePrompts({ acceptHost: true });
  const pool = c.pool(prompts);
  try {
    const r = await pool.getExecutor('node-a').run(raw('true'));
    assert.match(r.failure ?? '', /StrictHostKeyChecking is yes/);
    assert.equal(prompts.log.unknownHost.length, 0);
  } finally {
    pool.dispose();
  }
});

test('a host key of another type is a CHANGED key: a second real sshd offering only RSA, known_hosts with an ed25519 line for its address → extension and CLI --accept-new-host-keys both refuse, known_hosts byte-identical', async () => {
  const rsaOnly = await Sshd.start([], 'rsa');
  const c = clientFor(rsaOnly, { trusted: false });
  clients.push(c);
  try {
    // The ed25519 key recorded for [127.0.0.1]:port is some other server's: the RSA server must not get a prompt.
    const recorded = makeKey(c.home, 'recorded_ed25519');
    const before = `# ours\n[127.0.0.1]:${rsaOnly.port} ${recorded.publicLine.split(' ').slice(0, 2).join(' ')}\n`;
    fs.writeFileSync(c.knownHosts, before);
    // Plain OpenSSH: the RSA key is not trusted.
    assert.notEqual(plainSsh(c).status, 0);

    // Extension path: SshPool → SshConnection, with a prompt that would accept anything it is asked.
    const prompts = fakePrompts({ acceptHost: true });
    const pool = c.pool(prompts);
    try {
      const err = await pool.getExecutor('node-a').connect().then(
        () => undefined,
        (e: SshError) => e,
      );
      assert.equal(err?.kind, 'host-key-changed', String(err));
      const msg = err!.message;
      assert.match(msg, /REMOTE HOST IDENTIFICATION HAS CHANGED/);
      assert.ok(msg.includes(keygenFingerprint(rsaOnly.hostKey.publicKey)), `presented RSA fingerprint: ${msg}`);
      assert.ok(msg.includes(keygenFingerprint(recorded.publicKey)), `recorded ed25519 fingerprint: ${msg}`);
      assert.ok(msg.includes(before.split('\n')[1]!), `the known_hosts line to remove: ${msg}`);
      assert.ok(msg.includes(`${c.knownHosts}:2`), msg);
      assert.equal(prompts.log.unknownHost.length, 0, 'never offered as a new host');
    } finally {
      pool.dispose();
    }
    assert.equal(fs.readFileSync(c.knownHosts, 'utf8'), before, 'nothing written');

    // CLI path: the prompts `upgrade-node --accept-new-host-keys` uses, and its first SSH step (fact gathering).
    const cliErr: string[] = [];
    const cliPool = c.pool(cliPrompts(true, (s) => cliErr.push(s)));
    try {
      await assert.rejects(gatherNodeFacts('node-a', cliPool.getExecutor('node-a')), /REMOTE HOST IDENTIFICATION HAS CHANGED/);
      assert.deepEqual(cliErr.filter((l) => /Adding unknown host key/.test(l)), [], 'accept-new must not add it');
    } finally {
      cliPool.dispose();
    }
    assert.equal(fs.readFileSync(c.knownHosts, 'utf8'), before, 'known_hosts byte-identical after the CLI too');
  } finally {
    await rsaOnly.stop();
  }
});
