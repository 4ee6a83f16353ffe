import { blocked } from './pureJs';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { raw, sh } from '../../../src/core/exec/shell';
import { SshError } from '../../../src/core/ssh/errors';
import { clientFor, fakePrompts, type Client } from './fixture';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { SshPool } from '../../../src/adapters/ssh/sshPool';
import { descendants, freePort, makeKey, Sshd } from './sshd';

let sshd: Sshd;
let client: Client;

before(async () => {
  sshd = await Sshd.start();
  client = clientFor(sshd);
});
after(async () => {
  await sshd?.stop();
  client?.cleanup();
});

test('ssh2 runs on its pure-JS fallbacks (native helpers blocked, as in the bundle)', async () => {
  const pool = client.pool(fakePrompts());
  try {
    const r = await pool.getExecutor('node-a').run(raw('echo ok'));
    assert.equal(r.exitCode, 0, r.failure);
    assert.ok(blocked.some((b) => b.endsWith('sshcrypto.node')), `sshcrypto.node was not requested: ${blocked.join(', ')}`);
    assert.ok(!Object.keys(require.cache).some((k) => k.endsWith('.node')), 'a native module was loaded');
  } finally {
    pool.dispose();
  }
});

test('key auth: exit codes, stdout, stderr, streaming, quoted values', async () => {
  const pool = client.pool(fakePrompts());
  const ex = pool.getExecutor('node-a');
  try {
    assert.match(ex.description, /^ssh root@127\.0\.0\.1:\d+/);
    const r = await ex.run(sh`printf '%s\n' ${"it's $HOME"}; echo err >&2; exit 3`);
    assert.deepEqual(r, { exitCode: 3, stdout: "it's $HOME\n", stderr: 'err\n' });

    const chunks: [string, string][] = [];
    const s = await ex.run(raw('for i in 1 2 3; do echo line$i; sleep 0.2; done; echo e >&2'), { onOutput: (c, st) => chunks.push([st, c]) });
    assert.equal(s.exitCode, 0);
    assert.equal(s.stdout, 'line1\nline2\nline3\n');
    assert.ok(chunks.filter(([st]) => st === 'stdout').length >= 3, `expected streamed chunks, got ${JSON.stringify(chunks)}`);
    assert.deepEqual(chunks.filter(([st]) => st === 'stderr'), [['stderr', 'e\n']]);

    const stdin = await ex.run(raw('cat; echo after-eof'));
    assert.deepEqual(stdin, { exitCode: 0, stdout: 'after-eof\n', stderr: '' }, 'the command gets no stdin (EOF)');

    const root = await ex.run(raw('id -u'), { sudo: true });
    assert.equal(root.stdout.trim(), '0', 'root needs no sudo');
  } finally {
    pool.dispose();
  }
});

test('one connection per node, reused for every command; same executor for the same node', async () => {
  const pool = client.pool(fakePrompts());
  try {
    const ex = pool.getExecutor('node-a');
    assert.equal(pool.getExecutor('node-a'), ex);
    const pids = new Set<string>();
    for (let i = 0; i < 4; i++) {
      // $PPID of the command's shell is the sshd session process: one connection → one session process.
      const r = await ex.run(raw('ps -o ppid= -p $PPID'));
      assert.equal(r.exitCode, 0, r.stderr);
      pids.add(r.stdout.trim());
    }
    assert.equal(ex.connectCount, 1);
    assert.equal(pids.size, 1, `commands ran under several sshd sessions: ${[...pids].join(', ')}`);
  } finally {
    pool.dispose();
  }
});

test('node name → mapping / InternalIP when ssh_config does not name the node', async () => {
  const pool = client.pool(fakePrompts(), { hosts: { 'cp-1': `root@127.0.0.1:${sshd.port}` } });
  try {
    assert.equal(pool.resolve('cp-1').source, 'mapping');
    assert.equal(pool.resolve('node-a').source, 'ssh_config');
    const viaIp = pool.resolve('worker-9', { internalIP: '127.0.0.1' });
    assert.equal(viaIp.source, 'internalIP');
    assert.equal(viaIp.config.hostName, '127.0.0.1');
    const r = await pool.getExecutor('cp-1').run(raw('echo mapped'));
    assert.equal(r.stdout, 'mapped\n', r.failure);
    assert.throws(() => pool.getExecutor('Bad;Name'), SshError);
  } finally {
    pool.dispose();
  }
});

test('timeout: the remote command is stopped (TERM) and reported as a failure', async () => {
  const pool = client.pool(fakePrompts());
  const ex = pool.getExecutor('node-a');
  try {
    const duration = `30.${process.pid}`; // a unique command line to look for on this (local) sshd host
    const t0 = Date.now();
    const r = await ex.run(sh`sleep ${duration}`, { timeoutMs: 1000 });
    assert.equal(r.exitCode, null);
    assert.match(r.failure ?? '', /timed out after 1 s/);
    assert.ok(Date.now() - t0 < 6000, 'did not wait for the command');
    await new Promise((res) => setTimeout(res, 300));
    assert.deepEqual(processesWith(`sleep ${duration}`), [], 'the remote sleep is still running');
    const after = await ex.run(raw('echo still-usable'));
    assert.equal(after.stdout, 'still-usable\n', 'the connection survives a timed-out command');
    assert.equal(ex.connectCount, 1);
  } finally {
    pool.dispose();
  }
});

function processesWith(cmdline: string): number[] {
  return readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .filter((n) => {
      try {
        return readFileSync(`/proc/${n}/cmdline`, 'utf8').replace(/\0/g, ' ').trim() === cmdline;
      } catch {
        return false;
      }
    })
    .map(Number);
}

test('AbortSignal cancels a running command', async () => {
  const pool = client.pool(fakePrompts());
  try {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 500);
    const r = await pool.getExecutor('node-a').run(raw('sleep 30'), { signal: ac.signal });
    assert.deepEqual([r.exitCode, r.failure], [null, 'cancelled']);
  } finally {
    pool.dispose();
  }
});

test('auth failure (key not authorized) → clear error', async () => {
  const other = makeKey(client.home, 'id_unauthorized');
  const badConfig = `${client.configFile}.bad`;
  writeFileSync(badConfig, readFileSync(client.configFile, 'utf8').replace(client.key.privateKey, other.privateKey));
  const bad = new SshPool({ prompts: fakePrompts(), configFile: badConfig, env: { home: client.home, localUser: 'nobody-local' } });
  try {
    const r = await bad.getExecutor('node-a').run(raw('true'));
    assert.equal(r.exitCode, null);
    assert.match(r.failure ?? '', /SSH authentication failed for root@127\.0\.0\.1:\d+: permission denied \(tried key .*id_unauthorized\)/);
    await assert.rejects(bad.getExecutor('node-a').connect(), (e: SshError) => e.kind === 'auth');
  } finally {
    bad.dispose();
  }
});

test('connection refused / nothing listening → clear error', async () => {
  const port = await freePort();
  const pool = client.pool(fakePrompts(), { hosts: { 'gone-1': `root@127.0.0.1:${port}` } });
  try {
    const r = await pool.getExecutor('gone-1').run(raw('true'));
    assert.equal(r.exitCode, null);
    assert.match(r.failure ?? '', /cannot connect \(connect ECONNREFUSED 127\.0\.0\.1:\d+\)/);
  } finally {
    pool.dispose();
  }
});

test('sshd killed mid-command → connection dropped; next command reconnects once', async () => {
  const pool = client.pool(fakePrompts());
  const ex = pool.getExecutor('node-a');
  try {
    assert.equal((await ex.run(raw('true'))).exitCode, 0);
    setTimeout(() => void sshd.kill(), 700);
    const r = await ex.run(raw('sleep 20; echo finished'));
    assert.equal(r.exitCode, null);
    assert.match(r.failure ?? '', /^connection dropped/);
    assert.equal(r.stdout, '');

    await sshd.restart(); // same port, same host key
    const again = await ex.run(raw('echo back'));
    assert.equal(again.stdout, 'back\n', again.failure);
    assert.equal(ex.connectCount, 2);
  } finally {
    pool.dispose();
  }
});

test('keepalive: a node that stops answering (sshd frozen) → connection dropped, without waiting for the command', async () => {
  const pool = client.pool(fakePrompts(), { keepaliveIntervalMs: 300, keepaliveCountMax: 2 });
  const ex = pool.getExecutor('node-a');
  const frozen: number[] = [];
  try {
    assert.equal((await ex.run(raw('true'))).exitCode, 0);
    setTimeout(() => {
      for (const pid of [sshd.pid!, ...descendants(sshd.pid!)]) {
        try {
          process.kill(pid, 'SIGSTOP');
          frozen.push(pid);
        } catch {
          // exited meanwhile
        }
      }
    }, 300);
    const t0 = Date.now();
    const r = await ex.run(raw('sleep 20'));
    assert.equal(r.exitCode, null);
    assert.match(r.failure ?? '', /^connection dropped .*Keepalive timeout/);
    assert.ok(Date.now() - t0 < 8000);
  } finally {
    pool.dispose();
    for (const pid of frozen) {
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        // gone
      }
    }
    await sshd.restart();
  }
});

test('connect timeout: a server that accepts TCP but never speaks SSH → clear timeout error', async () => {
  const silent = createServer(() => undefined);
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  const port = (silent.address() as AddressInfo).port;
  const pool = client.pool(fakePrompts(), { hosts: { 'mute-1': `root@127.0.0.1:${port}` }, connectTimeoutMs: 800 });
  try {
    const t0 = Date.now();
    await assert.rejects(pool.getExecutor('mute-1').connect(), (e: SshError) => e.kind === 'timeout' && /timed out after 1 s while connecting/.test(e.message));
    assert.ok(Date.now() - t0 < 3000);
  } finally {
    pool.dispose();
    silent.close();
    silent.unref();
  }
});

test('more commands at once than sshd allows channels (MaxSessions 10): they wait for a channel, none fails', async () => {
  const pool = client.pool(fakePrompts());
  const ex = pool.getExecutor('node-a');
  try {
    const results = await Promise.all(Array.from({ length: 24 }, (_, i) => ex.run(sh`sleep 0.2; echo ${String(i)}`)));
    assert.deepEqual(results.map((r) => r.failure ?? r.exitCode), results.map(() => 0));
    assert.deepEqual(results.map((r) => r.stdout.trim()), results.map((_, i) => String(i)));
  } finally {
    pool.dispose();
  }
});
