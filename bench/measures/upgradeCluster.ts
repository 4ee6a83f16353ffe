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
import { fmt, row, type Row } from '../lib/report';
import { alternate, summarize } from '../lib/stats';

const say = (m: string) => process.stderr.write(`[bench] upgrade-cluster: ${m}\n`);

/** Where a cluster run's time went (s): before the first node, control planes, workers, after the last node. */
interface ClusterPhases {
  readonly before: number;
  readonly controlPlanes: number;
  readonly workers: number;
  readonly after: number;
}

/** Phases from the `--json` node-start/node-done lines, each stamped (ms since the run's start) as it arrived. */
function clusterPhases(lines: readonly { at: number; line: string }[], totalMs: number): ClusterPhases {
  const events = lines.flatMap(({ at, line }) => {
    try {
      return [{ at, e: JSON.parse(line) as { event?: string; node?: string; role?: string } }];
    } catch {
      return [];
    }
  });
  const roleOf = new Map(events.filter((x) => x.e.event === 'node-start').map((x) => [x.e.node, x.e.role]));
  const span = (cp: boolean) => {
    // Roles: first-control-plane, control-plane, worker.
    const mine = events.filter((x) => (x.e.event === 'node-start' || x.e.event === 'node-done') && (roleOf.get(x.e.node) !== 'worker') === cp);
    return { from: mine[0]?.at ?? NaN, to: mine.at(-1)?.at ?? NaN };
  };
  const cps = span(true);
  const workers = span(false);
  return { before: cps.from / 1000, controlPlanes: (cps.to - cps.from) / 1000, workers: (workers.to - workers.from) / 1000, after: (totalMs - workers.to) / 1000 };
}

/** One `upgrade-cluster` on a fresh sandbox: its wall time (s), the worker batches it reported and its phases. */
async function once(maxUnavailable: number): Promise<{ seconds: number; batches: number; phases: ClusterPhases }> {
  const sb = await startSandbox('cluster-bench');
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kup-bench-cluster-'));
  try {
    const out: { at: number; line: string }[] = [];
    const err: string[] = [];
    const t0 = performance.now();
    const code = await upgradeClusterCommand(
      ['--to', TARGET, '--max-unavailable', String(maxUnavailable), '--skip-snapshot', '--yes', '--json', '--kubeconfig', sb.kubeconfig, '--ssh-config', sb.sshConfig!, '--state-dir', stateDir],
      (s) => out.push({ at: performance.now() - t0, line: s }),
      (s) => err.push(s),
      { prompts: sandboxPrompts },
    );
    const totalMs = performance.now() - t0;
    const seconds = totalMs / 1000;
    if (code !== 0) {
      // The verification's failed checks (its `verify` line) say why, where the exit code alone does not.
      const verify = out.map((l) => l.line).find((l) => l.startsWith('{"event":"verify"'));
      throw new Error(`upgrade-cluster --max-unavailable ${maxUnavailable} exited ${code}${verify ? ` (${verify})` : ''}: ${err.slice(-10).join('\n')}`);
    }
    const batches = out.filter((l) => l.line.startsWith('{"event":"batch"')).length;
    const phases = clusterPhases(out, totalMs);
    say(`--max-unavailable ${maxUnavailable}: ${seconds.toFixed(0)} s, ${batches} worker batches, ${JSON.stringify(phases)}`);
    return { seconds, batches, phases };
  } finally {
    await sb.down();
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
}

export async function upgradeCluster(runs: number): Promise<Row[]> {
  const batches = { 3: [] as number[], 1: [] as number[] };
  const phases = { 3: [] as ClusterPhases[], 1: [] as ClusterPhases[] };
  const run = (m: 1 | 3) => async () => {
    const r = await once(m);
    batches[m].push(r.batches);
    phases[m].push(r.phases);
    return r.seconds;
  };
  const [three, one] = await alternate(runs, run(3), run(1));
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
    ...(['before', 'controlPlanes', 'workers', 'after'] as const).map((k) =>
      row({
        id: `upgrade-cluster-phase-${k}`,
        measure: `whole-cluster phase: ${PHASE_NAMES[k]}${k === 'workers' ? ` (${batches[3].join('/')} batches with 3)` : ''}`,
        ours: summarize(phases[3].map((p) => p[k]), 's'),
        // Shown beside ours, not divided: only the workers phase is meant to shrink.
        baselineName: `--max-unavailable 1: ${fmt(summarize(phases[1].map((p) => p[k]), 's'))}`,
        goal: 'informational',
      }),
    ),
  ];
}

const PHASE_NAMES: Record<keyof ClusterPhases, string> = {
  before: 'plan, readiness, lock (before the first node)',
  controlPlanes: 'control planes (one at a time either way)',
  workers: 'workers',
  after: 'verification (after the last node)',
};

export const UPGRADE_CLUSTER_SKIPPED = row({
  id: 'upgrade-cluster',
  measure: 'whole-cluster upgrade, --max-unavailable 3 vs 1 (3 cp + 12 workers)',
  goal: '≥ 2× faster with 3 (ratio ≤ 0.50)',
  skipped: 'run with --cluster (~8 min a pair of runs, most of the machine)',
});
