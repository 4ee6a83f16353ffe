import { timeProblem, isObj, kindOf, missingString } from '../records/shape';
import type { SnapshotRecord } from './snapshot';

/**
 * Why a parsed `<file>.db.json` is not a snapshot record (undefined when it is one). Checked before use: the backups
 * view builds restore steps from the record's paths and stamps its time into folder names, so a record with a
 * non-ISO `takenAt`, a missing path or no status would otherwise break the whole list.
 */
export function snapshotRecordProblem(x: unknown): string | undefined {
  if (!isObj(x)) return `not an object (${kindOf(x)})`;
  if (x['kind'] !== 'etcd-snapshot') return `kind is ${JSON.stringify(x['kind'])}, not "etcd-snapshot"`;
  const missing = missingString(x, ['cluster', 'node', 'remotePath', 'localPath', 'sha256']);
  if (missing) return `no ${missing}`;
  const time = timeProblem(x, ['takenAt']);
  if (time) return time;
  const s = x['status'];
  if (!isObj(s) || !['hash', 'revision', 'totalKey', 'totalSize'].every((k) => Number.isFinite(s[k]))) return 'no snapshot status (hash, revision, totalKey, totalSize)';
  return undefined;
}

export function isSnapshotRecord(x: unknown): x is SnapshotRecord {
  return snapshotRecordProblem(x) === undefined;
}
