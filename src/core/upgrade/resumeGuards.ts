import type { ClusterSnapshot } from '../snapshot/model';
import { checkUpgrade, type Guard } from './guards';
import type { UpgradeRunState } from './state';

/**
 * The guards again, against the cluster as it is now, before a stopped run continues: the cluster may have moved
 * since the run started (another node upgraded, a kubelet replaced by hand, the node gone or NotReady).
 * "Already at the target" is not asked once the run has done steps: the run itself may have put the node there.
 */
export function resumeGuards(snapshot: ClusterSnapshot, run: UpgradeRunState): Guard[] {
  const started = run.phases.some((p) => p.status === 'done');
  const { guards } = checkUpgrade(snapshot, run.context.node, run.context.target);
  return guards.filter((g) => !(started && g.code === 'already-at-target'));
}
