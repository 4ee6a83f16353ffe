// One node command round trip over the kept SSH connection (a no-op, `true`), against the OpenSSH client reusing a
// ControlMaster connection (ssh -O … ControlPersist: no handshake either), both to a real sshd on loopback. A second
// row compares ours with a bare ssh2 channel on a kept connection (TCP_NODELAY too): what our executor adds to the
// library's own round trip.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client as Ssh2Client } from 'ssh2';
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

/** A bare ssh2 connection (the library our executor uses), TCP_NODELAY on, as the floor of a round trip. */
async function bareSsh2(port: number, user: string, privateKeyFile: string): Promise<Ssh2Client> {
  const c = new Ssh2Client();
  await new Promise<void>((resolve, reject) => {
    c.once('ready', () => resolve()).once('error', reject);
    c.connect({ host: '127.0.0.1', port, username: user, privateKey: fs.readFileSync(privateKeyFile), hostVerifier: () => true });
    c.setNoDelay(true);
  });
  return c;
}

/** `true` on a new channel of `c`, until the channel closes. */
function bareRoundTrip(c: Ssh2Client): Promise<number> {
  const t0 = process.hrtime.bigint();
  return new Promise((resolve, reject) =>
    c.exec('true', (err, stream) => {
      if (err) return reject(err);
      stream.on('close', () => resolve(msSince(t0))).on('data', () => {});
      stream.stderr.on('data', () => {});
    }),
  );
}

export async function sshRoundTrip(runs: number): Promise<Row[]> {
  const sshd = await Sshd.start();
  const client = clientFor(sshd);
  const control = path.join(tmpDir('kup-bench-cm-'), 'cm');
  const pool = client.pool(fakePrompts());
  let bare: Ssh2Client | undefined;
  const openssh = ['-F', client.configFile, '-o', 'BatchMode=yes', '-o', 'ControlMaster=auto', '-o', `ControlPath=${control}`, '-o', 'ControlPersist=120', 'node-a', 'true'];
  try {
    const ours = pool.getExecutor('node-a');
    await ours.connect();
    bare = await bareSsh2(sshd.port, 'root', client.key.privateKey);
    const b = bare;
    // The master connection is made (and timed out of the measure) by this first call.
    await timeProcess('ssh', openssh);
    for (let i = 0; i < 3; i++) {
      await roundTrip(ours);
      await bareRoundTrip(b);
    }
    const [oursMs, base] = await alternate(runs, () => roundTrip(ours), () => timeProcess('ssh', openssh));
    const [oursMs2, bareMs] = await alternate(runs, () => roundTrip(ours), () => bareRoundTrip(b));
    const o = summarize(oursMs, 'ms');
    return [
      row({
        id: 'ssh-round-trip',
        measure: 'node command round trip, kept SSH connection (loopback)',
        ours: o,
        baseline: summarize(base, 'ms'),
        baselineName: 'OpenSSH client, ControlMaster',
        goal: '≤ 25 ms',
        pass: o.median <= 25,
      }),
      row({
        id: 'ssh-round-trip-bare',
        measure: 'same, against a bare ssh2 channel on a kept connection',
        ours: summarize(oursMs2, 'ms'),
        baseline: summarize(bareMs, 'ms'),
        baselineName: 'ssh2 exec, TCP_NODELAY',
        goal: 'informational: what the executor adds',
      }),
    ];
  } finally {
    pool.dispose();
    bare?.end();
    spawnSync('ssh', ['-F', client.configFile, '-o', `ControlPath=${control}`, '-O', 'exit', 'node-a'], { stdio: 'ignore' });
    await sshd.stop();
    client.cleanup();
  }
}
