import './pureJs';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { raw } from '../../../src/core/exec/shell';
import { SshPool } from '../../../src/adapters/ssh/sshPool';
import { clientFor, fakePrompts, type Client } from './fixture';
import { makeKey, Sshd } from './sshd';

let sshd: Sshd;
const clients: Client[] = [];
let agent: ChildProcess | undefined;

before(async () => {
  sshd = await Sshd.start();
});
after(async () => {
  agent?.kill('SIGTERM');
  await sshd?.stop();
  for (const c of clients) c.cleanup();
});

test('encrypted key: the passphrase is asked once per pool (several nodes), a wrong one is asked again', async () => {
  const c = clientFor(sshd, { passphrase: 'key pass', aliases: ['node-a', 'node-b'] });
  clients.push(c);
  const prompts = fakePrompts({ passphrase: ['not it', 'key pass'] });
  const pool = c.pool(prompts);
  try {
    const a = pool.getExecutor('node-a');
    const b = pool.getExecutor('node-b');
    assert.notEqual(a, b);
    assert.equal((await a.run(raw('echo a'))).stdout, 'a\n');
    assert.equal((await b.run(raw('echo b'))).stdout, 'b\n');
    assert.deepEqual(prompts.log.passphrase, [
      { keyPath: c.key.privateKey, retry: false },
      { keyPath: c.key.privateKey, retry: true },
    ]);
  } finally {
    pool.dispose();
  }
});

test('ssh-agent: a key held only by the agent logs in', async () => {
  const c = clientFor(sshd);
  clients.push(c);
  const agentKey = makeKey(c.home, 'id_agent_only');
  sshd.authorize(agentKey);
  const sock = path.join(c.home, 'agent.sock');
  agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
  for (let i = 0; i < 100 && !fs.existsSync(sock); i++) await new Promise((r) => setTimeout(r, 50));
  execFileSync('ssh-add', ['-q', agentKey.privateKey], { env: { ...process.env, SSH_AUTH_SOCK: sock }, stdio: 'ignore' });
  fs.rmSync(agentKey.privateKey); // only the agent has it now
  const config = path.join(c.home, 'agent_config');
  fs.writeFileSync(
    config,
    [`Host node-agent`, '  HostName 127.0.0.1', `  Port ${sshd.port}`, '  User root', '  IdentityFile /nonexistent/key', `  UserKnownHostsFile ${c.knownHosts}`, '  GlobalKnownHostsFile /dev/null', ''].join('\n'),
  );
  const pool = new SshPool({ prompts: fakePrompts(), configFile: config, env: { home: c.home, localUser: 'x', authSock: sock } });
  try {
    const r = await pool.getExecutor('node-agent').run(raw('echo via-agent'));
    assert.equal(r.stdout, 'via-agent\n', r.failure);
  } finally {
    pool.dispose();
    agent.kill('SIGTERM');
    agent = undefined;
  }
});

test('ProxyJump with one hop (forwardOut through the jump host)', async () => {
  const c = clientFor(sshd, {
    aliases: ['jumpbox'],
    extraConfig: ['Host behind-jump', '  HostName 127.0.0.1', `  Port ${sshd.port}`, '  User root', '  ProxyJump jumpbox'],
  });
  clients.push(c);
  const pool = c.pool(fakePrompts());
  try {
    const ex = pool.getExecutor('behind-jump');
    const r = await ex.run(raw('echo jumped'));
    assert.equal(r.stdout, 'jumped\n', r.failure);
    assert.match(ex.description, /^ssh root@127\.0\.0\.1:\d+ via root@127\.0\.0\.1:\d+$/);
  } finally {
    pool.dispose();
  }
});

test('ProxyJump with two hops or ProxyCommand → clear "not supported"', async () => {
  const c = clientFor(sshd, {
    aliases: [],
    extraConfig: [
      'Host two-hops',
      '  HostName 127.0.0.1',
      '  ProxyJump a,b',
      'Host proxied',
      '  HostName 127.0.0.1',
      '  ProxyCommand nc %h %p',
    ],
  });
  clients.push(c);
  const pool = c.pool(fakePrompts());
  try {
    assert.match((await pool.getExecutor('two-hops').run(raw('true'))).failure ?? '', /only one jump host is supported/);
    assert.match((await pool.getExecutor('proxied').run(raw('true'))).failure ?? '', /ProxyCommand .* is not supported/);
  } finally {
    pool.dispose();
  }
});
