import { formatVersion, type KubeVersion } from '../version';
import { CannotRun, ReadinessContext } from './context';
import * as apiserver from './checks/apiserver';
import * as certs from './checks/certs';
import { notRun, type Check } from './checks/check';
import * as drainCapacity from './checks/drainCapacity';
import * as etcd from './checks/etcd';
import * as nodeAccess from './checks/nodeAccess';
import * as nodeFacts from './checks/nodeFacts';
import * as nodes from './checks/nodes';
import * as removedApis from './checks/removedApis';
import * as versions from './checks/versions';
import * as workloads from './checks/workloads';
import * as zeroDowntime from './checks/zeroDowntime';
import type { ReadinessDeps } from './ports';
import { sortResults } from './report';
import { CHECK_IDS, type CheckId, type CheckResult, type ReadinessReport } from './types';

/** The modules whose exported `Check`s make the report: a new check in one of them needs only its id in CHECK_IDS. */
const CHECK_MODULES: readonly Record<string, unknown>[] = [apiserver, certs, drainCapacity, etcd, nodeAccess, nodeFacts, nodes, removedApis, versions, workloads, zeroDowntime];

function isCheck(v: unknown): v is Check {
  return typeof v === 'object' && v !== null && typeof (v as Check).id === 'string' && typeof (v as Check).run === 'function';
}

/** Every check, in CHECK_IDS's order (the report sorts by severity); an id without its check fails at load, loudly. */
export const CHECKS: readonly Check[] = (() => {
  const byId = new Map(CHECK_MODULES.flatMap((m) => Object.values(m)).filter(isCheck).map((c) => [c.id, c]));
  return CHECK_IDS.map((id) => {
    const c = byId.get(id);
    if (!c) throw new Error(`readiness check ${id} is listed in CHECK_IDS but no check module exports it`);
    return c;
  });
})();

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
