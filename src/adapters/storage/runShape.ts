import { isClusterIdentity } from '../../core/identity/clusterIdentity';
import { timeProblem } from '../../core/records/shape';
import type { UpgradeRunState } from '../../core/upgrade/state';

const RUN_STATUSES = new Set(['running', 'failed', 'done', 'cancelled', 'interrupted']);
const PHASE_STATUSES = new Set(['pending', 'running', 'done', 'failed', 'skipped']);

/**
 * Why a parsed run file is not a run (undefined when it is one). A file that parses as JSON but holds `null`, an
 * array or a half-written object must not break Resume for every other run, so it is checked before use.
 */
export function runShapeProblem(x: unknown): string | undefined {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return `not an object (${x === null ? 'null' : Array.isArray(x) ? 'an array' : typeof x})`;
  const r = x as Record<string, unknown>;
  if (typeof r['id'] !== 'string' || !r['id']) return 'no id';
  if (typeof r['status'] !== 'string' || !RUN_STATUSES.has(r['status'])) return `unknown status ${JSON.stringify(r['status'])}`;
  const time = timeProblem(r, ['createdAt', 'updatedAt']);
  if (time) return time;
  if (typeof r['cordoned'] !== 'boolean') return 'no cordoned flag';
  if (r['identity'] !== undefined && !isClusterIdentity(r['identity'])) return 'a cluster identity without server, CA fingerprint or kube-system uid';
  const c = r['context'] as Record<string, unknown> | null | undefined;
  if (typeof c !== 'object' || c === null) return 'no context';
  if (typeof c['cluster'] !== 'string' || typeof c['node'] !== 'string' || typeof c['role'] !== 'string') return 'context without cluster, node or role';
  const t = c['target'] as Record<string, unknown> | null | undefined;
  if (typeof t !== 'object' || t === null || !['major', 'minor', 'patch'].every((k) => Number.isInteger(t[k]))) return 'context without a target version';
  if (typeof c['options'] !== 'object' || c['options'] === null) return 'context without options';
  if (!Array.isArray(r['phases'])) return 'no phases';
  for (const p of r['phases'] as unknown[]) {
    const ph = p as Record<string, unknown> | null;
    if (typeof ph !== 'object' || ph === null || typeof ph['id'] !== 'string' || typeof ph['title'] !== 'string' || !PHASE_STATUSES.has(ph['status'] as string)) {
      return 'a step without id, title or a known status';
    }
    const t = timeProblem(ph, ['startedAt', 'endedAt'], true);
    if (t) return `step ${ph['id']}: ${t}`;
  }
  return undefined;
}

export function isRunState(x: unknown): x is UpgradeRunState {
  return runShapeProblem(x) === undefined;
}
