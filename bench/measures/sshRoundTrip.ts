// One node command round trip over the kept SSH connection (a no-op, `true`), against the OpenSSH client reusing a
// ControlMaster connection (ssh -O … ControlPersist: no handshake either), both to a real sshd on loopback. A second
// row measures the same with TCP_NODELAY on the ssh2 socket: the one-line change proposed for src/adapters/ssh.
import { spawnSync } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import { sh } from '../../src/core/exec/shell';
import type { SshExecutor } from '../../src/adapters/ssh';
import { clientFor, fakePrompts } from '../../test/integration/ssh/fixture';
import { Sshd, tmpDir } from '../../test/integration/ssh/sshd';
import { timeProcess } from '../lib/proc';
import { row, type Row } from '../lib/report';
import { alternate, msSince, summarize } from '../lib/stats';

async function roundTrip(ex: SshExecutor): Promise<number> {
  const t0 = process.hrtime.bigint();
  const r = await ex.run(sh`true`, { timeoutMs: 30_000 });
  if (r.exitCode !== 0) throw new Error(`ssh run failed: ${r.failure ?? r.stderr}`);
  return msSince(t0);
}

/** Opens a connection whose socket gets setNoDelay(true) before it connects (what the proposed change does). */
async function withNoDelay<T>(fn: () => Promise<T>): Promise<T> {
  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    this.setNoDelay(true);
    return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof connect;
  try {
    return await fn();
  } finally {
    net.Socket.prototype.connect = connect;
  }
}

export async function sshRoundTrip(runs: number): Promise<Row[]> {
  const sshd = await Sshd.start();
  const client = clientFor(sshd);
  const control = path.join(tmpDir('kup-bench-cm-'), 'cm');
  const pools = [client.pool(fakePrompts()), client.pool(fakePrompts())];
  const openssh = ['-F', client.configFile, '-o', 'BatchMode=yes', '-o', 'ControlMaster=auto', '-o', `ControlPath=${control}`, '-o', 'ControlPersist=120', 'node-a', 'true'];
  try {
    const plain = pools[0]!.getExecutor('node-a');
    await plain.connect();
    const fast = pools[1]!.getExecutor('node-a');
    await withNoDelay(() => fast.connect());
    // The master connection is made (and timed out of the measure) by this first call.
    await timeProcess('ssh', openssh);
    for (let i = 0; i < 3; i++) {
      await roundTrip(plain);
      await roundTrip(fast);
    }
    const [ours, base] = await alternate(runs, () => roundTrip(plain), () => timeProcess('ssh', openssh));
    const [nodelay, base2] = await alternate(runs, () => roundTrip(fast), () => timeProcess('ssh', openssh));
    const o = summarize(ours, 'ms');
    const n = summarize(nodelay, 'ms');
    return [
      row({
        id: 'ssh-round-trip',
        measure: 'node command round trip, kept SSH connection (loopback)',
        ours: o,
        baseline: summarize(base, 'ms'),
        baselineName: 'OpenSSH client, ControlMaster',
        goal: '≤ 25 ms',
        pass: o.median <= 25,
        note: 'src/adapters/ssh as it is (no TCP_NODELAY)',
      }),
      row({
        id: 'ssh-round-trip-nodelay',
        measure: 'same, with TCP_NODELAY on the ssh2 socket (proposed one-line change)',
        ours: n,
        baseline: summarize(base2, 'ms'),
        baselineName: 'OpenSSH client, ControlMaster',
        goal: '≤ 25 ms',
        pass: n.median <= 25,
      }),
    ];
  } finally {
    for (const p of pools) p.dispose();
    spawnSync('ssh', ['-F', client.configFile, '-o', `ControlPath=${control}`, '-O', 'exit', 'node-a'], { stdio: 'ignore' });
    await sshd.stop();
    client.cleanup();
  }
}
