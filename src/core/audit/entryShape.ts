import { isIsoTime, isObj, kindOf } from '../records/shape';
import type { AuditEntry } from './entry';

/**
 * Why a parsed audit line is not an entry (undefined when it is one). The audit table and the backups view read
 * every line: one hand-edited or truncated line must not break them for all the others.
 */
export function auditEntryProblem(x: unknown): string | undefined {
  if (!isObj(x)) return `not an object (${kindOf(x)})`;
  if (!isIsoTime(x['time'])) return `time ${JSON.stringify(x['time'])} is not an ISO time`;
  const missing = ['run', 'cluster', 'node', 'phase', 'command', 'where'].find((k) => typeof x[k] !== 'string');
  if (missing) return `no ${missing}`;
  if (x['exitCode'] !== null && !Number.isInteger(x['exitCode'])) return `exitCode ${JSON.stringify(x['exitCode'])} is not a number or null`;
  if (typeof x['durationMs'] !== 'number' || !Number.isFinite(x['durationMs'])) return 'no durationMs';
  if (x['failure'] !== undefined && typeof x['failure'] !== 'string') return 'failure is not text';
  if (x['id'] !== undefined && typeof x['id'] !== 'string') return 'id is not text';
  if (x['stage'] !== undefined && x['stage'] !== 'start' && x['stage'] !== 'end') return `stage ${JSON.stringify(x['stage'])} is neither start nor end`;
  return undefined;
}

export function isAuditEntry(x: unknown): x is AuditEntry {
  return auditEntryProblem(x) === undefined;
}
