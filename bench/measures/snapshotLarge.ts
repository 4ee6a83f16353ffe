// An etcd snapshot past 1 GiB (#24 item 2): the sandbox's real etcd grown past 1 GiB, `snapshot-etcd` in a process of
// its own (peak memory = its maxRSS, against the snapshot's size), the local copy verified by etcdutl and by sha256;
// its time against OpenSSH copying the same file off the node (`ssh cp-1 cat FILE > local`).
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { binaries } from '../../test/sandbox/lib/paths';
import type { Sandbox } from '../../test/integration/sandbox';
import { growEtcd } from '../lib/growEtcd';
import { row, type Row } from '../lib/report';
import { msSince, summarize } from '../lib/stats';

const ROOT = path.resolve(__dirname, '..', '..');
const MEMORY_GOAL_MIB = 150;

interface SnapshotRun {
  ms: number;
  maxRssMiB: number;
  record: { localPath: string; remotePath: string; sha256: string; status: { revision: number; totalSize: number } };
}

/**
 * `kubeadm-upgrade snapshot-etcd --json` as users run it: the production bundle (dist/cli.js, built by bench/run.ts)
 * in a process of its own, its peak memory reported by the preloaded bench/children/maxRss.cjs.
 */
function shippedSnapshot(sb: Sandbox, out: string): SnapshotRun {
  const rssFile = path.join(out, 'max-rss.json');
  const args = ['--require', path.join(ROOT, 'bench/children/maxRss.cjs'), path.join(ROOT, 'dist/cli.js'), 'snapshot-etcd', '--node', 'cp-1', '--out', out, '--json', '--kubeconfig', sb.kubeconfig, '--ssh-config', sb.sshConfig!, '--accept-new-host-keys'];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, env: { ...process.env, BENCH_RSS_FILE: rssFile }, encoding: 'utf8', maxBuffer: 64 << 20, timeout: 1_800_000 });
  const ms = msSince(t0);
  if (r.status !== 0) throw new Error(`snapshot-etcd exit ${r.status}: ${(r.stderr ?? '').slice(-2000)}`);
  const { maxRssMiB } = JSON.parse(fs.readFileSync(rssFile, 'utf8')) as { maxRssMiB: number };
  return { ms, maxRssMiB, record: JSON.parse(r.stdout) as SnapshotRun['record'] };
}

function sha256Of(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    fs.createReadStream(file).on('data', (d) => h.update(d)).on('end', () => resolve(h.digest('hex'))).on('error', reject);
  });
}

/** OpenSSH's copy of the same file: `ssh -F CONFIG NODE cat FILE > local`, timed. */
function opensshCopy(sb: Sandbox, node: string, remote: string, local: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const out = fs.openSync(local, 'w', 0o600);
    const child = spawn('ssh', ['-F', sb.sshConfig!, '-o', 'BatchMode=yes', node, `cat ${remote}`], { stdio: ['ignore', out, 'pipe'] });
    let err = '';
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => {
      fs.closeSync(out);
      if (code === 0) resolve(msSince(t0));
      else reject(new Error(`ssh cat: exit ${code} ${err.slice(-500)}`));
    });
  });
}

export async function snapshotLarge(sb: Sandbox, mib: number, say: (s: string) => void): Promise<Row[]> {
  const t0 = process.hrtime.bigint();
  await growEtcd(sb.name, mib, say);
  say(`etcd grown by ${mib} MiB in ${(msSince(t0) / 1000).toFixed(0)} s`);
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-snap-'));
  try {
    const ours = shippedSnapshot(sb, out);
    const r = ours.record;
    const sizeMiB = fs.statSync(r.localPath).size / (1 << 20);
    // The copy is what the node holds: sha256 of the local file = the record's = the node's; etcdutl reads it.
    const local = await sha256Of(r.localPath);
    const onNode = sb.ssh('cp-1', `sha256sum ${r.remotePath}`).stdout.split(/\s+/)[0];
    const status = spawnSync(binaries().etcdutl, ['snapshot', 'status', r.localPath, '-w', 'json'], { encoding: 'utf8', timeout: 600_000 });
    const verified = local === r.sha256 && onNode === r.sha256 && status.status === 0 && (JSON.parse(status.stdout) as { revision: number }).revision === r.status.revision;
    const theirsMs = await opensshCopy(sb, 'cp-1', r.remotePath, path.join(out, 'openssh-copy.db'));
    return [
      row({
        id: 'snapshot-1gib-mem',
        measure: `etcd snapshot of ${sizeMiB.toFixed(0)} MiB: peak memory of snapshot-etcd`,
        ours: summarize([ours.maxRssMiB], 'MiB'),
        baseline: summarize([sizeMiB], 'MiB'),
        baselineName: "the snapshot's size",
        goal: `≤ ${MEMORY_GOAL_MIB} MiB whatever the size`,
        pass: ours.maxRssMiB <= MEMORY_GOAL_MIB && sizeMiB >= 1024,
      }),
      row({
        id: 'snapshot-1gib-time',
        measure: `etcd snapshot of ${sizeMiB.toFixed(0)} MiB: save + verify + stream off the node`,
        ours: summarize([ours.ms], 'ms'),
        baseline: summarize([theirsMs], 'ms'),
        baselineName: 'OpenSSH `ssh cp-1 cat FILE > local` (the copy alone)',
        goal: '— (informational)',
      }),
      row({
        id: 'snapshot-1gib-verified',
        measure: 'the local copy: sha256 = the node\'s = the record\'s; etcdutl snapshot status reads it, same revision',
        ours: summarize([verified ? 1 : 0], 'count'),
        goal: '1 (verified)',
        pass: verified,
      }),
    ];
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}
