// An ssh_config edited while a pool exists is read again (a node's Port moved), and a node that cannot be reached is
// reported as such — never as "no apt-get, dnf or yum found". Two real sshd on loopback.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { raw } from '../../../src/core/exec/shell';
import { gatherNodeFacts } from '../../../src/core/upgrade/prepare';
import { clientFor, fakePrompts, type Client } from './fixture';
import { freePort, Sshd } from './sshd';

let a: Sshd;
let b: Sshd;
let client: Client;

before(async () => {
  [a, b] = await Promise.all([Sshd.start(), Sshd.start()]);
  client = clientFor(a);
  b.authorize(client.key);
  // Both host keys trusted: the test is about where the pool connects, not about host keys.
  writeFileSync(client.knownHosts, `${readFileSync(client.knownHosts, 'utf8')}[127.0.0.1]:${b.port} ${b.hostKey.publicLine.split(' ').slice(0, 2).join(' ')}\n`);
});
after(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  client?.cleanup();
});

const setPort = (port: number) => writeFileSync(client.configFile, readFileSync(client.configFile, 'utf8').replace(/^ {2}Port \d+$/m, `  Port ${port}`));

test('a changed Port in ssh_config is used by the pool that already exists', async () => {
  const pool = client.pool(fakePrompts());
  try {
    const first = pool.getExecutor('node-a');
    assert.match(first.description, new RegExp(`:${a.port}\\b`));
    assert.equal((await first.run(raw('echo one'))).exitCode, 0);

    setPort(b.port);
    const moved = pool.getExecutor('node-a');
    assert.match(moved.description, new RegExp(`:${b.port}\\b`), 'the edited file was read again');
    const r = await moved.run(raw('echo two'));
    assert.equal(r.exitCode, 0, r.failure);
    assert.equal(r.stdout, 'two\n');

    assert.equal(pool.getExecutor('node-a'), moved, 'unchanged file: the same executor (one connection per node)');
  } finally {
    setPort(a.port);
    pool.dispose();
  }
});

test('an unreachable node is an SSH failure, not a missing package manager', async () => {
  const closed = await freePort();
  setPort(closed);
  const pool = client.pool(fakePrompts());
  try {
    const ex = pool.getExecutor('node-a');
    await assert.rejects(gatherNodeFacts('node-a', ex), (e: Error) => {
      assert.match(e.message, /^cannot run commands on node-a \(ssh root@127\.0\.0\.1:\d+/);
      assert.match(e.message, new RegExp(`ECONNREFUSED|refused`));
      assert.match(e.message, new RegExp(`${closed}`), 'names the port it used');
      assert.doesNotMatch(e.message, /apt-get|dnf|yum/);
      return true;
    });
  } finally {
    setPort(a.port);
    pool.dispose();
  }
});
