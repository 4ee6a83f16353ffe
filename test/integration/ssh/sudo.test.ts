import './pureJs';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
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
  sshd = await Sshd.start();
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
    assert.deepEqual(prompts.log.sudo, [{ host: '127.0.0.1', user: USER }]);
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
  const prompts = fakePrompts({ sudo: ['wrong-password', PASSWORD] });
  const pool = client.pool(prompts);
  const ex = pool.getExecutor('node-a');
  try {
    const r = await ex.run(raw('touch /tmp/kup-sudo-should-not-exist; id -u'), { sudo: true, timeoutMs: 20_000 });
    assert.equal(r.exitCode, null);
    assert.match(r.failure ?? '', /sudo on 127\.0\.0\.1 refused the password for kup-sudo-test \(wrong password\); the command did not run/);
    assert.equal(r.stdout, '');
    assert.ok(!r.stderr.includes('wrong-password'));
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
    const r = await ex.run(raw('sleep 30; echo not-stopped'), { sudo: true, timeoutMs: 1500 });
    assert.equal(r.exitCode, null);
    assert.match(r.failure ?? '', /timed out/);
    assert.ok(Date.now() - t0 < 7000);
    const ps = await ex.run(raw('ps -eo args | grep -c "^sleep 30$" || true'));
    assert.equal(ps.stdout.trim(), '0', 'the root sleep survived');
  } finally {
    pool.dispose();
  }
});
