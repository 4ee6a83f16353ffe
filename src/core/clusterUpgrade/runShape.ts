import { timeProblem, isKubeVersion, isObj, kindOf, missingString } from '../records/shape';

const RUN_STATUSES = new Set(['planned', 'running', 'paused', 'failed', 'cancelled', 'verify-failed', 'done']);
const NODE_STATUSES = new Set(['queued', 'running', 'done', 'failed', 'skipped', 'cancelled']);

/**
 * Why a parsed cluster-run file is not a cluster run (undefined when it is one): the Cluster Upgrade view, Resume
 * and the CLI's `resume` read every field below, so a record that lacks one is skipped with this reason.
 */
export function clusterRunProblem(x: unknown): string | undefined {
  if (!isObj(x)) return `not an object (${kindOf(x)})`;
  if (x['kind'] !== 'cluster-run') return `kind is ${JSON.stringify(x['kind'])}, not "cluster-run"`;
  const missing = missingString(x, ['id', 'cluster', 'maxUnavailable']);
  if (missing) return `no ${missing}`;
  if (!RUN_STATUSES.has(x['status'] as string)) return `unknown status ${JSON.stringify(x['status'])}`;
  if (!isKubeVersion(x['target'])) return 'no target version';
  if (!isObj(x['options'])) return 'no options';
  const time = timeProblem(x, ['createdAt', 'updatedAt']);
  if (time) return time;
  if (!Array.isArray(x['nodes'])) return 'no nodes';
  for (const n of x['nodes'] as unknown[]) {
    if (!isObj(n) || typeof n['name'] !== 'string' || typeof n['role'] !== 'string' || typeof n['stage'] !== 'string' || !NODE_STATUSES.has(n['status'] as string)) {
      return 'a node without name, role, stage or a known status';
    }
    const t = timeProblem(n, ['startedAt', 'endedAt'], true);
    if (t) return `node ${n['name']}: ${t}`;
  }
  for (const k of ['overrides', 'readinessNotes', 'plannedBatches']) if (!Array.isArray(x[k])) return `no ${k}`;
  return undefined;
}
