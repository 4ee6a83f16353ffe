import { runCluster } from '../core/clusterUpgrade/orchestrator';
import { isUnfinished } from '../core/clusterUpgrade/state';
import { formatVersion } from '../core/version';
import { parse, UsageError } from './args';
import { CliSession, eventPrinter, SESSION_FLAGS, type SessionDeps } from './clusterSession';
import { report } from './upgradeClusterCommand';
import { RESUME_USAGE } from './usage';


/**
 * `kubeadm-upgrade resume`: continues this cluster's unfinished run from the failed step of the failed node (the
 * guards run again against the cluster as it is now), under the cluster lock, then verifies.
 */
export async function resumeCommand(argv: string[], out: (s: string) => void, err: (s: string) => void, deps: SessionDeps = {}): Promise<number> {
  const { values, positionals } = parse(argv, { ...SESSION_FLAGS, yes: { type: 'boolean', default: false } });
  if (positionals.length > 0) throw new UsageError(`unexpected ${positionals[0]}\nusage: ${RESUME_USAGE}`);
  const session = new CliSession(values, err, deps.prompts);
  try {
    const run = (await session.clusterRuns.list()).find((r) => r.cluster === session.ctx.name && isUnfinished(r));
    if (!run) {
      err(`kubeadm-upgrade resume: no unfinished cluster run for ${session.ctx.name} in ${session.stateDir}`);
      return 1;
    }
    err(`Resuming ${run.id}: ${run.cluster} → ${formatVersion(run.target)} (${run.status}${run.error ? `: ${run.error}` : ''})`);
    // The run's own id: a lock left behind by this same run (a crash) is ours to take back.
    const held = await session.acquire(run.id);
    if (!held) return 1;
    try {
      const result = await runCluster(run, session.ports(eventPrinter(values.json, out, err), held, run.id));
      return report(result, values.json, out, err, session.stateDir, session.nodeRuns);
    } finally {
      await held.release().catch((e: unknown) => err(`warning: could not release the cluster lock: ${(e as Error).message}`));
    }
  } finally {
    session.dispose();
  }
}
