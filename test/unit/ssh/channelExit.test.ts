// A quick command's exit-status can reach ssh2 in the same read as the exec reply: ssh2 then emits 'exit' before the
// promise returned by SshConnection.exec has resolved. The connection must still know how the command ended (under
// load this made the readiness probe `sudo true` say "the command ended without an exit status").
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import type { Client, ClientChannel } from 'ssh2';
import { exitOf, SshConnection } from '../../../src/adapters/ssh/connection';
import { SshExecutor } from '../../../src/adapters/ssh/sshExecutor';
import type { ShellCommand } from '../../../src/core/exec/shell';
import type { SshHostConfig } from '../../../src/core/ssh/hostConfig';
import type { SshPrompts } from '../../../src/core/ssh/prompts';

type ExecCallback = (err: Error | undefined, channel: ClientChannel) => void;

/** An ssh2 client whose exec is `exec`: the server's side of the test. */
function fakeClient(exec: (command: string, cb: ExecCallback) => void): Client {
  return Object.assign(new EventEmitter(), { exec }) as unknown as Client;
}

/** A client whose server answers the exec, runs the command and reports its exit all in one read. */
function clientEmitting(...exitArgs: unknown[]): Client {
  return fakeClient((_command, cb) => {
    const channel = new EventEmitter() as unknown as ClientChannel;
    cb(undefined, channel);
    channel.emit('exit', ...exitArgs); // synchronously, as ssh2 does while parsing the same packet batch
  });
}

const config = { hostName: '127.0.0.1', port: 22, user: 'u' } as SshHostConfig;

test('an exit-status parsed together with the exec reply is kept for the channel', async () => {
  const conn = new SshConnection(clientEmitting(0), config, undefined);
  const channel = await conn.exec('true');
  assert.deepEqual(exitOf(channel), { code: 0 });
});

test('an exit-signal parsed together with the exec reply is kept with its signal', async () => {
  const conn = new SshConnection(clientEmitting(null, 'SIGKILL'), config, undefined);
  const channel = await conn.exec('sleep 100');
  assert.deepEqual(exitOf(channel), { code: null, signal: 'SIGKILL' });
});

test('a channel whose server sent no exit has none', async () => {
  const client = fakeClient((_c, cb) => cb(undefined, new EventEmitter() as unknown as ClientChannel));
  const channel = await new SshConnection(client, config, undefined).exec('true');
  assert.equal(exitOf(channel), undefined);
});

test('the executor reports the exit code of a command whose exit came in the same read as the exec reply', async () => {
  const client = fakeClient((_c, cb) => {
    const channel = Object.assign(new EventEmitter(), { stderr: new EventEmitter(), signal: () => undefined, end: () => undefined, close: () => undefined });
    cb(undefined, channel as unknown as ClientChannel);
    channel.emit('exit', 0);
    setImmediate(() => channel.emit('close')); // ssh2's 'close' comes from the stream machinery, later
  });
  const conn = new SshConnection(client, config, undefined);
  const executor = new SshExecutor({ config, prompts: {} as SshPrompts, open: async () => conn });
  const r = await executor.run('true' as ShellCommand);
  assert.equal(r.failure, undefined);
  assert.equal(r.exitCode, 0);
});
