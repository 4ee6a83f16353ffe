import { runCluster } from '../core/clusterUpgrade/orchestrator';
import { isUnfinished } from '../core/clusterUpgrade/state';
import { claimRun, describeIdentity, sameCluster } from '../core/identity/clusterIdentity';
import { formatVersion } from '../core/version';
import { parse, UsageError } from './args';
import { CliSession, eventPrinter, SESSION_FLAGS, type SessionDeps } from './clusterSession';
import { overridesFrom, report } from './upgradeClusterCommand';
import { RESUME_USAGE } from './usage';


/**
 * `kubeadm-upgrade resume`: continues this cluster's unfinished run from the failed step of the failed node (the
 * guards run again against the cluster as it is now), under the cluster lock, then verifies.
 */
export async function resumeCommand(argv: string[], out: (s: string) => void, err: (s: string) => void, deps: SessionDeps = {}): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...SESSION_FLAGS,
    yes: { type: 'boolean', default: false },
    'skip-deleted-nodes': { type: 'boolean', default: false },
    override: { type: 'string', multiple: true, default: [] },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected ${positionals[0]}\nusage: ${RESUME_USAGE}`);
  // Validated as upgrade-cluster's: an unknown check id is bad input (exit 2) before anything is read.
  const overrides = overridesFrom(values.override);
  const session = new CliSession(values, err, deps.prompts);
  try {
    // Runs are found by the cluster the context reaches (its kube-system uid), never by the context's name: every
    // kubeadm admin.conf names its context kubernetes-admin@kubernetes.
    const unfinished = (await session.clusterRuns.list()).filter(isUnfinished).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
    // Nothing unfinished at all: said without reaching the API (it may be the very thing that is down).
    if (unfinished.length === 0) {
      err(`kubeadm-upgrade resume: no unfinished cluster run for ${session.ctx.name} in ${session.stateDir}`);
      return 1;
    }
    const reached = await session.identity();
    const run = unfinished.find((r) => r.identity && sameCluster(r.identity, reached));
    if (!run) {
      // Same name, other (or unknown) cluster: refused, naming both, so nobody wonders where their run went.
      const named = unfinished.filter((r) => r.cluster === session.ctx.name);
      for (const r of named) {
        const claim = claimRun(r.identity, reached, { started: true, what: `The unfinished cluster run ${r.id} (${r.cluster} → ${formatVersion(r.target)})`, context: session.ctx.name });
        if ('refused' in claim) err(`refused: ${claim.refused}`);
      }
      if (named.length === 0) err(`kubeadm-upgrade resume: no unfinished cluster run for the cluster ${describeIdentity(reached)} (context ${session.ctx.name}) in ${session.stateDir}`);
      return 1;
    }
    err(`Resuming ${run.id}: ${run.cluster} → ${formatVersion(run.target)} (${run.status}${run.error ? `: ${run.error}` : ''})`);
    // The run's own id: a lock left behind by this same run (a crash) is ours to take back.
    const held = await session.acquire(run.id);
    if (!held) return 1;
    // Readiness blockers overridden now (audited), for a resume against a cluster that changed since the run stopped.
    const extra = overrides.filter((o) => !run.overrides.includes(o));
    for (const id of extra) session.audit.append({ time: new Date().toISOString(), run: run.id, cluster: session.ctx.name, node: '-', phase: 'readiness-override', command: `--override ${id}`, where: 'cli', exitCode: 0, durationMs: 0 });
    if (extra.length > 0) Object.assign(run, { overrides: [...run.overrides, ...extra] });
    try {
      const result = await runCluster(run, session.ports(eventPrinter(values.json, out, err), held, run.id, values['skip-deleted-nodes']));
      return report(result, values.json, out, err, session.stateDir, session.nodeRuns);
    } finally {
      await held.release().catch((e: unknown) => err(`warning: could not release the cluster lock: ${(e as Error).message}`));
    }
  } finally {
    session.dispose();
  }
}
