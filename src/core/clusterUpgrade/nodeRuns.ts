import { sameCluster } from '../identity/clusterIdentity';
import type { UpgradeRunState } from '../upgrade/state';
import { progressLabel } from '../upgrade/state';
import { formatVersion } from '../version';
import { isUnfinished, type ClusterRunState } from './state';

/**
 * How node runs and cluster runs relate, so there is one Resume: a node run that a cluster run started belongs to it,
 * and resuming it alone would leave the cluster run saying the node failed (and would skip the batch/health gates).
 */

/** The stopped cluster run a node run belongs to (one of its nodes names the run), if any. */
export function owningClusterRun(runs: readonly ClusterRunState[], nodeRunId: string): ClusterRunState | undefined {
  return runs.find((r) => isUnfinished(r) && r.nodes.some((n) => n.runId === nodeRunId));
}

/**
 * A pick item's words for a node run: which kind it is and when it stopped, so two unfinished runs of one node are
 * told apart ("part of the cluster upgrade … · stopped 2026-12-07 20:41 UTC" / "Upgrade Node run · …").
 */
export function nodeRunDescription(run: UpgradeRunState, owner: ClusterRunState | undefined): string {
  const kind = owner ? `part of the cluster upgrade of ${owner.cluster} to ${formatVersion(owner.target)} (resumed through it)` : 'Upgrade Node run';
  return `${kind} · ${progressLabel(run)} · ${run.status === 'running' ? 'started' : 'stopped'} ${utcMinute(run.status === 'running' ? run.createdAt : run.updatedAt)}`;
}

/** `2026-12-07 20:41 UTC`: a time an admin can compare at a glance (ISO without seconds). */
export function utcMinute(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * After a node run succeeded outside the cluster run (Upgrade Node on a node the stopped cluster run had not finished):
 * the cluster run takes it as done for that node, so the Cluster Upgrade view, the tree and a later Resume agree with
 * the cluster. Only for the same node, target and cluster; returns whether the run changed (to be saved).
 */
export function adoptSucceededNodeRun(cluster: ClusterRunState, nodeRun: UpgradeRunState): boolean {
  if (nodeRun.status !== 'done' || !isUnfinished(cluster)) return false;
  if (formatVersion(nodeRun.context.target) !== formatVersion(cluster.target)) return false;
  if (cluster.identity && nodeRun.identity && !sameCluster(cluster.identity, nodeRun.identity)) return false;
  if (!cluster.identity && nodeRun.context.cluster !== cluster.cluster) return false;
  const n = cluster.nodes.find((x) => x.name === nodeRun.context.node);
  if (!n || n.status === 'done' || n.status === 'skipped' || n.status === 'running') return false;
  n.status = 'done';
  n.runId = nodeRun.id;
  n.error = undefined;
  n.step = undefined;
  n.endedAt = nodeRun.updatedAt;
  n.detail = `upgraded by Upgrade Node (run ${nodeRun.id})`;
  // The run's own failure sentence was about this node: nothing left to say once it is done.
  if (cluster.nodes.every((x) => x.status !== 'failed')) {
    cluster.error = undefined;
    cluster.recovery = undefined;
  }
  cluster.updatedAt = nodeRun.updatedAt;
  return true;
}

/** The cluster item's note for a stopped cluster run: `cluster upgrade to v1.36.3 stopped: worker-1 failed (3/6 done)`. */
export function stoppedClusterRunNote(run: ClusterRunState): string | undefined {
  if (!isUnfinished(run)) return undefined;
  const done = run.nodes.filter((n) => n.status === 'done' || n.status === 'skipped').length;
  const failed = run.nodes.find((n) => n.status === 'failed');
  const how = run.status === 'paused' ? 'paused' : run.status === 'running' ? 'interrupted' : 'stopped';
  return `cluster upgrade to ${formatVersion(run.target)} ${how}${failed ? `: ${failed.name} failed` : ''} (${done}/${run.nodes.length} done)`;
}
