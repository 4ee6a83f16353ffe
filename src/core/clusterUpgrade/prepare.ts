import type { DrainPod } from '../drain/types';
import type { UpgradeContext, UpgradeOptions } from '../upgrade/phases';
import { buildContext, gatherNodeFacts } from '../upgrade/prepare';
import type { KubeVersion } from '../version';
import { budgetsFrom } from './batches';
import type { ClusterPorts } from './ports';
import { clusterOrder } from '../upgrade/clusterOrder';
import { buildClusterPlan, type ClusterPlan } from './plan';
import type { ReadinessGate } from './ports';

export interface PlanRequest {
  readonly cluster: string;
  readonly target: KubeVersion;
  readonly maxUnavailable: string;
  readonly options: UpgradeOptions;
  readonly overrides: readonly string[];
  readonly readiness: ReadinessGate;
  readonly now: Date;
}

/**
 * Reads everything the plan shows, changing nothing: the cluster, the readiness report, each node's package facts
 * (over its own connection, in parallel) and the live PodDisruptionBudgets.
 */
export async function prepareClusterPlan(ports: Pick<ClusterPorts, 'snapshot' | 'executorFor' | 'drainApi'>, req: PlanRequest): Promise<ClusterPlan> {
  const snapshot = await ports.snapshot();
  const order = clusterOrder(snapshot, req.target);
  const todo = order.filter((n) => !n.skip);
  const [readiness, contexts, pdbs, pods] = await Promise.all([
    req.readiness.run(req.target),
    Promise.all(
      todo.map(async (n) => {
        const facts = await gatherNodeFacts(n.name, await ports.executorFor(n.name));
        return [n.name, buildContext(req.cluster, snapshot, n.name, facts, req.target, req.options, req.now).context] as const;
      }),
    ),
    ports.drainApi.listPdbs(),
    Promise.all(order.filter((n) => n.stage === 'worker').map(async (n) => [n.name, await ports.drainApi.listPods(n.name)] as const)),
  ]);
  const byNode: Record<string, DrainPod[]> = Object.fromEntries(pods);
  return buildClusterPlan({
    cluster: req.cluster,
    snapshot,
    target: req.target,
    order,
    contexts: Object.fromEntries(contexts) as Record<string, UpgradeContext>,
    budgets: budgetsFrom(pdbs, byNode),
    maxUnavailable: req.maxUnavailable,
    readiness,
    overrides: req.overrides,
    options: req.options,
  });
}
