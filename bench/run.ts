// npm run bench [-- --large] [--large-snapshot [--snapshot-mib N]] [--cluster] [--runs N] [--drain-runs N] [--cluster-runs N] [--only group,group] [--no-sandbox]
// groups: tree, startup, ssh, sandbox (= drain, ready, tree-requests), upgrade-cluster
// Every row: ours against a baseline run in the same invocation, alternating, medians with min–max. One table,
// written to bench/results/latest.json and compared with the previous run. See bench/README.md.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { binaries } from '../test/sandbox/lib/paths';
import { startSandbox, type Sandbox } from '../test/integration/sandbox';
import { drainMeasure } from './measures/drain';
import { readyTail } from './measures/readyTail';
import { skewLarge } from './measures/skewLarge';
import { snapshotLarge } from './measures/snapshotLarge';
import { sshRoundTrip } from './measures/sshRoundTrip';
import { startup } from './measures/startup';
import { treeItems } from './measures/treeItems';
import { treeRequests } from './measures/treeRequests';
import { upgradeCluster, UPGRADE_CLUSTER_SKIPPED } from './measures/upgradeCluster';
import { row, saveAndCompare, table, type Row } from './lib/report';

const ROOT = path.resolve(__dirname, '..');
const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
const value = (name: string, fallback: number) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const runs = value('--runs', 9);
const drainRuns = value('--drain-runs', 2);
const clusterRuns = value('--cluster-runs', 1);
const only = argv.includes('--only') ? new Set(argv[argv.indexOf('--only') + 1]!.split(',')) : undefined;
const want = (group: string) => !only || only.has(group);
const say = (m: string) => process.stderr.write(`[bench] ${m}\n`);

async function guarded(name: string, ids: string[], fn: () => Promise<Row[]>): Promise<Row[]> {
  say(`${name}…`);
  const t0 = Date.now();
  try {
    const rows = await fn();
    say(`${name}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return rows;
  } catch (e) {
    say(`${name} failed: ${(e as Error).stack ?? e}`);
    return ids.map((id) => row({ id, measure: name, goal: '—', pass: false, skipped: `failed: ${String((e as Error).message).split('\n')[0]}` }));
  }
}

function sandboxReady(): string | undefined {
  const missing = Object.values(binaries()).filter((b) => !fs.existsSync(b));
  return missing.length ? `sandbox binaries missing (${missing.map((m) => path.basename(m)).join(', ')}): node scripts/setup.mjs sandbox` : undefined;
}

async function withSandbox(scenario: string, fn: (sb: Sandbox) => Promise<Row[]>): Promise<Row[]> {
  say(`sandbox ${scenario} up…`);
  const sb = await startSandbox(scenario);
  try {
    return await fn(sb);
  } finally {
    await sb.down();
  }
}

async function main() {
  const started = new Date();
  say('building the production bundles (node esbuild.js --production)');
  const b = spawnSync(process.execPath, ['esbuild.js', '--production'], { cwd: ROOT, stdio: 'inherit' });
  if (b.status !== 0) throw new Error('esbuild failed');
  const rows: Row[] = [];
  if (want('tree')) rows.push(...(await guarded('snapshot → tree items', ['tree-items'], () => treeItems(runs))));
  if (want('startup')) rows.push(...(await guarded('start-up', ['activation-require', 'activation-size', 'cli-help'], () => startup(runs))));
  if (want('ssh')) rows.push(...(await guarded('SSH round trip', ['ssh-round-trip', 'ssh-round-trip-bare'], () => sshRoundTrip(Math.max(runs, 21)))));
  const sandboxIds = ['drain-200', 'drain-requests', 'ready-tail', 'tree-requests'];
  const sub = (g: string) => want('sandbox') || want(g);
  if (['drain', 'ready', 'tree-requests'].some(sub) && !flag('--no-sandbox')) {
    const why = sandboxReady();
    if (why) rows.push(...sandboxIds.map((id) => row({ id, measure: id, goal: '—', skipped: why })));
    else
      rows.push(
        ...(await guarded('sandbox (apt scenario)', sandboxIds, () =>
          withSandbox('apt', async (sb) => [
            ...(sub('tree-requests') ? await guarded('requests to draw the tree', ['tree-requests'], () => treeRequests(sb)) : []),
            ...(sub('ready') ? await guarded('wait-for-Ready tail', ['ready-tail'], () => readyTail(sb, 'worker-2', Math.min(runs, 7))) : []),
            ...(sub('drain') ? await guarded('drain of 200 pods', ['drain-200', 'drain-requests'], () => drainMeasure(sb, 'worker-2', drainRuns)) : []),
          ]),
        )),
      );
  }
  if (want('upgrade-cluster')) {
    const why = sandboxReady();
    if (!flag('--cluster')) rows.push(UPGRADE_CLUSTER_SKIPPED);
    else if (why) rows.push(row({ id: 'upgrade-cluster', measure: 'whole-cluster upgrade', goal: '—', skipped: why }));
    else rows.push(...(await guarded('whole-cluster upgrade', ['upgrade-cluster'], () => upgradeCluster(clusterRuns))));
  }
  const largeIds = ['skew-large', 'skew-large-paged', 'skew-large-kubectl', 'skew-large-mem', 'skew-large-2n', 'skew-large-mem-2n', 'skew-large-mem-growth', 'skew-large-mem-paged'];
  if (flag('--large')) {
    const why = sandboxReady();
    if (why) rows.push(...largeIds.map((id) => row({ id, measure: id, goal: '—', skipped: why })));
    else rows.push(...(await guarded('skew on the large scenario', largeIds, () => withSandbox('large', (sb) => skewLarge(sb, Math.min(runs, 3))))));
  } else {
    rows.push(row({ id: 'skew-large', measure: 'skew, 5,000 nodes (large scenario)', goal: '≤ 1.3× plain https + JSON.parse', skipped: 'run with --large (~10 min, most of the machine)' }));
  }

  const snapIds = ['snapshot-1gib-mem', 'snapshot-1gib-time', 'snapshot-1gib-verified'];
  if (flag('--large-snapshot')) {
    const why = sandboxReady();
    if (why) rows.push(...snapIds.map((id) => row({ id, measure: id, goal: '—', skipped: why })));
    else rows.push(...(await guarded('etcd snapshot past 1 GiB', snapIds, () => withSandbox('apt', (sb) => snapshotLarge(sb, value('--snapshot-mib', 1100), say)))));
  } else {
    rows.push(row({ id: 'snapshot-1gib-mem', measure: 'etcd snapshot past 1 GiB: peak memory', goal: `≤ 150 MiB`, skipped: 'run with --large-snapshot (~5–10 min, writes ~4 GiB to disk)' }));
  }

  console.log(table(rows));
  const record = { startedAt: started.toISOString(), durationS: (Date.now() - started.getTime()) / 1000, node: process.version, cpus: os.cpus().length, loadavg: os.loadavg(), args: argv, rows };
  for (const line of saveAndCompare(path.join(ROOT, 'bench', 'results'), record)) console.log(line);
  const failed = rows.filter((r) => r.pass === false);
  console.log(failed.length ? `\n${failed.length} row(s) miss their goal: ${failed.map((r) => r.id).join(', ')}` : '\nevery judged row meets its goal');
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
