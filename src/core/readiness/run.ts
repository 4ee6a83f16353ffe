import { formatVersion, type KubeVersion } from '../version';
import { CannotRun, ReadinessContext } from './context';
import { controlPlaneHealth, deprecatedApiInUse, skewPath } from './checks/apiserver';
import { certificateExpiry } from './checks/certs';
import { notRun, type Check } from './checks/check';
import { etcdHealth } from './checks/etcd';
import { nodeAccessCheck, packageRepo } from './checks/nodeAccess';
import { cgroupV1, swapEnabled } from './checks/nodeFacts';
import { nodesReady, singleControlPlane } from './checks/nodes';
import { cniAddons, pdbBlocksDrain, podsStuckTerminating, webhookUnavailable } from './checks/workloads';
import { drainCapacity } from './checks/drainCapacity';
import { removedApiInUse } from './checks/removedApis';
import { addonCompatibility, adminConf, supportWindow } from './checks/versions';
import { imagesAvailable, manifestDrift } from './checks/manifests';
import { evictedPods, singleReplica, webhookDrainResilience } from './checks/zeroDowntime';
import type { ReadinessDeps } from './ports';
import { sortResults } from './report';
import type { CheckId, CheckResult, ReadinessReport } from './types';

/** Every check, in the order of the table (the report sorts by severity). */
export const CHECKS: readonly Check[] = [
  nodesReady, controlPlaneHealth, etcdHealth, pdbBlocksDrain, podsStuckTerminating, webhookUnavailable, deprecatedApiInUse,
  certificateExpiry, nodeAccessCheck, packageRepo, swapEnabled, cgroupV1, skewPath, singleControlPlane, cniAddons,
  removedApiInUse, addonCompatibility, drainCapacity, singleReplica, webhookDrainResilience, evictedPods, supportWindow, adminConf,
  manifestDrift, imagesAvailable,
];

export interface ReadinessOptions {
  /** Only these checks (default: all). */
  readonly only?: readonly CheckId[];
  /** Called as each check finishes (progress in the UI). */
  readonly onCheck?: (id: CheckId, results: readonly CheckResult[]) => void;
}

/**
 * The Upgrade Readiness report for `target`. All checks run in parallel; a check that throws (RBAC 403, unreachable
 * node, missing tool) becomes a "could not run" result with the reason, never ok and never dropped. Read-only: no
 * command run here changes a node or the cluster. The caller disposes executors it handed out.
 */
export async function runReadiness(deps: ReadinessDeps, target: KubeVersion, options: ReadinessOptions = {}): Promise<ReadinessReport> {
  const ctx = new ReadinessContext(deps, target);
  const checks = CHECKS.filter((c) => !options.only || options.only.includes(c.id));
  const results = await Promise.all(
    checks.map(async (c) => {
      let r: CheckResult[];
      try {
        r = await c.run(ctx);
      } catch (e) {
        const reason = e instanceof CannotRun || e instanceof Error ? e.message : String(e);
        r = [notRun(c.id, null, reason, c.id === 'node-access')];
      }
      options.onCheck?.(c.id, r);
      return r;
    }),
  );
  return { target: formatVersion(target), generatedAt: deps.now.toISOString(), checks: sortResults(results.flat()) };
}
