// Whole-cluster upgrade on `cluster-bench` (3 control planes + 12 workers, real apiserver and one real sshd per node,
// a spread workload whose budget allows 3 disruptions): `upgrade-cluster --max-unavailable 3` (ours) against
// `--max-unavailable 1` (baseline), A and B alternating, each run on a fresh sandbox. ~8 min a pair on 2 cores: only
// with --cluster. Control planes go one at a time either way, so 3 can at best turn 3 + 12 node-times into 3 + 4.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { upgradeClusterCommand } from '../../src/cli/upgradeClusterCommand';
import { startSandbox } from '../../test/integration/sandbox';
import { sandboxPrompts, TARGET } from '../../test/integration/clusterUpgrade/helpers';
import { row, type Row } from '../lib/report';
import { alternate, summarize } from '../lib/stats';

const say = (m: string) => process.stderr.write(`[bench] upgrade-cluster: ${m}\n`);

/** One `upgrade-cluster` on a fresh sandbox: its wall time (s) and the worker batches it reported. */
async function once(maxUnavailable: number): Promise<{ seconds: number; batches: number }> {
  const sb = await startSandbox('cluster-bench');
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kup-bench-cluster-'));
  try {
    const out: string[] = [];
    const err: string[] = [];
    const t0 = performance.now();
    const code = await upgradeClusterCommand(
      ['--to', TARGET, '--max-unavailable', String(maxUnavailable), '--skip-snapshot', '--yes', '--json', '--kubeconfig', sb.kubeconfig, '--ssh-config', sb.sshConfig!, '--state-dir', stateDir],
      (s) => out.push(s),
      (s) => err.push(s),
      { prompts: sandboxPrompts },
    );
    const seconds = (performance.now() - t0) / 1000;
    if (code !== 0) throw new Error(`upgrade-cluster --max-unavailable ${maxUnavailable} exited ${code}: ${err.slice(-10).join('\n')}`);
    const batches = out.filter((l) => l.startsWith('{"event":"batch"')).length;
    say(`--max-unavailable ${maxUnavailable}: ${seconds.toFixed(0)} s, ${batches} worker batches`);
    return { seconds, batches };
  } finally {
    await sb.down();
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
}

export async function upgradeCluster(runs: number): Promise<Row[]> {
  const batches = { 3: [] as number[], 1: [] as number[] };
  const [three, one] = await alternate(
    runs,
    async () => {
      const r = await once(3);
      batches[3].push(r.batches);
      return r.seconds;
    },
    async () => {
      const r = await once(1);
      batches[1].push(r.batches);
      return r.seconds;
    },
  );
  const o = summarize(three, 's');
  const b = summarize(one, 's');
  return [
    row({
      id: 'upgrade-cluster',
      measure: 'whole-cluster upgrade, --max-unavailable 3 vs 1 (3 cp + 12 workers)',
      ours: o,
      baseline: b,
      baselineName: '--max-unavailable 1',
      goal: '≥ 2× faster with 3 (ratio ≤ 0.50)',
      pass: o.median / b.median <= 0.5,
      note: `worker batches: ${batches[3].join('/')} with 3, ${batches[1].join('/')} with 1`,
    }),
  ];
}

export const UPGRADE_CLUSTER_SKIPPED = row({
  id: 'upgrade-cluster',
  measure: 'whole-cluster upgrade, --max-unavailable 3 vs 1 (3 cp + 12 workers)',
  goal: '≥ 2× faster with 3 (ratio ≤ 0.50)',
  skipped: 'run with --cluster (~8 min a pair of runs, most of the machine)',
});
