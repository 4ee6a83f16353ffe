import './pureJs';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, statSync, writeFileSync } from 'node:fs';
import { raw, sh } from '../../../src/core/exec/shell';
import { clientFor, fakePrompts, type Client } from './fixture';
import { createSudoUser, Sshd } from './sshd';

const USER = 'kup-sudo-test';
const PASSWORD = 'S3cret pass\'word';
let sshd: Sshd;
let client: Client;
let removeUser: (() => void) | undefined;

before(async () => {
  removeUser = createSudoUser(USER, PASSWORD);
  sshd = await Sshd.start(['PasswordAuthentication yes']);
  client = clientFor(sshd, { user: USER });
});
after(async () => {
  await sshd?.stop();
  client?.cleanup();
  removeUser?.();
});

test('sudo as a non-root login: the password prompt is answered once per connection and never shown', async () => {
  const prompts = fakePrompts({ sudo: [PASSWORD] });
  const pool = client.pool(prompts);
  const ex = pool.getExecutor('node-a');
  const seen: string[] = [];
  try {
    const plain = await ex.run(raw('id -un'));
    assert.equal(plain.stdout, `${USER}\n`);
    const r = await ex.run(sh`id -u; echo to-stderr >&2; test -w /etc/shadow && echo root-can-write`, { sudo: true, onOutput: (c) => seen.push(c) });
    assert.deepEqual(r, { exitCode: 0, stdout: '0\nroot-can-write\n', stderr: 'to-stderr\n' });
    // The prompt names the node (as the user knows it), not the address it is reached at.
    assert.deepEqual(prompts.log.sudo, [{ host: 'node-a', user: USER }]);
    // sudoers says timestamp_timeout=0: sudo asks again, answered from memory.
    const again = await ex.run(raw('id -u; exit 4'), { sudo: true });
    assert.deepEqual(again, { exitCode: 4, stdout: '0\n', stderr: '' });
    assert.equal(prompts.log.sudo.length, 1, 'asked once for the connection');
    const all = seen.join('') + r.stdout + r.stderr + again.stdout + again.stderr;
    assert.ok(!all.includes('kubeadm-upgrade sudo'), 'the sudo prompt marker leaked into the output');
    assert.ok(!all.includes(PASSWORD), 'the password leaked into the output');
  } finally {
    pool.dispose();
  }
});

test('sudo: wrong password → clear error, the command does not run, the next run asks again', async () => {
  const rejected: string[] = [];
  const prompts = { ...fakePrompts({ sudo: ['wrong-password', PASSWORD] }), sudoPasswordRejected: (h: string, u: string) => rejected.push(`${u}@${h}`) };
  const pool = client.pool(prompts);
  const ex = pool.getExecutor('node-a');
  try {
    const r = await ex.run(raw('touch /tmp/kup-sudo-should-not-exist; id -u'), { sudo: true, timeoutMs: 20_000 });
    assert.equal(r.exitCode, null);
    assert.match(r.failure ?? '', /sudo on 127\.0\.0\.1 refused the password for kup-sudo-test \(wrong password\); the command did not run/);
    assert.equal(r.stdout, '');
    assert.ok(!r.stderr.includes('wrong-password'));
    assert.deepEqual(rejected, [`${USER}@127.0.0.1`]);
    const ok = await ex.run(raw('id -u'), { sudo: true });
    assert.equal(ok.stdout, '0\n', ok.failure);
    assert.equal(prompts.log.sudo.length, 2);
  } finally {
    pool.dispose();
  }
});

test('sudo: prompt cancelled → failure, nothing run', async () => {
  const pool = client.pool(fakePrompts({ sudo: [undefined] }));
  try {
    const r = await pool.getExecutor('node-a').run(raw('id -u'), { sudo: true, timeoutMs: 20_000 });
    assert.equal(r.exitCode, null);
    assert.match(r.failure ?? '', /^cancelled: no sudo password/);
    assert.equal(r.stdout, '');
  } finally {
    pool.dispose();
  }
});

test('sudo: a timed-out root command is stopped too', async () => {
  const pool = client.pool(fakePrompts({ sudo: [PASSWORD] }));
  const ex = pool.getExecutor('node-a');
  try {
    const t0 = Date.now();
    const duration = `30.${process.pid}`; // unique: other processes on this machine may sleep too
    const r = await ex.run(sh`sleep ${duration}; echo not-stopped`, { sudo: true, timeoutMs: 1500 });
    assert.equal(r.exitCode, null);
    assert.match(r.failure ?? '', /timed out/);
    assert.ok(Date.now() - t0 < 7000);
    await new Promise((res) => setTimeout(res, 300));
    const ps = await ex.run(sh`ps -eo args | grep -c ${`^sleep ${duration}$`} || true`);
    assert.equal(ps.stdout.trim(), '0', 'the root sleep survived');
  } finally {
    pool.dispose();
  }
});

test('login password (askLoginPassword) when no key is accepted; a wrong one → auth error', async () => {
  const { SshPool } = await import('../../../src/adapters/ssh/sshPool');
  const mk = (password: string) => {
    const prompts = { ...fakePrompts(), askLoginPassword: async (host: string, user: string) => (asked.push(`${user}@${host}`), password) };
    return new SshPool({ prompts, hosts: { 'pw-node': `${USER}@127.0.0.1:${sshd.port}` }, env: { home: client.home, localUser: 'x' }, configFile: `${client.home}/.ssh/none` });
  };
  const asked: string[] = [];
  writeFileSync(`${client.home}/.ssh/none`, `Host *\n  UserKnownHostsFile ${client.knownHosts}\n  GlobalKnownHostsFile /dev/null\n  IdentityFile /nonexistent\n`);
  const good = mk(PASSWORD);
  try {
    const r = await good.getExecutor('pw-node').run(raw('id -un'));
    assert.equal(r.stdout, `${USER}\n`, r.failure);
    assert.deepEqual(asked, [`${USER}@127.0.0.1`]);
  } finally {
    good.dispose();
  }
  const bad = mk('nope');
  try {
    const r = await bad.getExecutor('pw-node').run(raw('true'));
    assert.match(r.failure ?? '', /SSH authentication failed for kup-sudo-test@127\.0\.0\.1:\d+: permission denied \(tried password/);
  } finally {
    bad.dispose();
  }
});

test('sudo + detached step: the sudo password is answered, the step runs as root in a root-only run folder, nothing leaks', async () => {
  const prompts = fakePrompts({ sudo: [PASSWORD] });
  const pool = client.pool(prompts);
  const runId = `it-sudo-detached-${process.pid}`;
  try {
    const r = await pool.getExecutor('node-a').run(raw('id -u; echo warn >&2; exit 2'), { sudo: true, detached: { runId, step: 's-1' } });
    assert.deepEqual(r, { exitCode: 2, stdout: '0\nwarn\n', stderr: '' });
    assert.equal(prompts.log.sudo.length, 1);
    const st = statSync(`/var/lib/kubeadm-upgrade/runs/${runId}`);
    assert.deepEqual([st.uid, (st.mode & 0o777).toString(8)], [0, '700']);
  } finally {
    pool.dispose();
    rmSync(`/var/lib/kubeadm-upgrade/runs/${runId}`, { recursive: true, force: true });
  }
});
