import { offerAfterClusterRun } from '../clusterUpgrade/afterRun';
import type { ClusterRunState } from '../../core/clusterUpgrade/state';
import { formatVersion } from '../../core/version';
import type { Services } from '../services';
import type { CommandSpec } from './command';
import type { CommandContext } from './commandContext';

/** Kubeadm: Resume Cluster Upgrade — continues a stopped cluster run from the failed step of the failed node. */
export function resumeClusterUpgrade(services: Services): CommandSpec<ClusterRunState> {
  return {
    id: 'kubeadm.resumeClusterUpgrade',
    resolve: (c) => pickStoppedRun(services, c),
    failure: () => 'cannot resume',
    run: async (run) => offerAfterClusterRun(services, await services.clusterRuns!.run(run)),
  };
}

/** The run id given (from a notification), else the stopped runs of the named cluster (or of all): the only one, or a pick. */
async function pickStoppedRun(services: Services, c: CommandContext): Promise<ClusterRunState | undefined> {
  const runs = services.clusterRuns;
  if (!runs) return undefined;
  await runs.restore();
  const id = typeof c.arg === 'string' ? c.arg : undefined;
  const candidates = runs.unfinished(c.target.context).filter((r) => !id || r.id === id);
  if (candidates.length === 0) {
    c.ui.info('Kubeadm: no stopped cluster upgrade to resume.');
    return undefined;
  }
  if (candidates.length === 1) return candidates[0];
  return c.ui.pick(candidates.map((r) => ({ label: `${r.cluster} → ${formatVersion(r.target)}`, description: r.status, detail: r.error, value: r })), { title: 'Stopped cluster upgrades' });
}
