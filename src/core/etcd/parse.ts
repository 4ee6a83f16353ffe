/**
 * Parses `etcdctl endpoint status --cluster -w json` and `etcdctl endpoint health --cluster -w json`.
 * Member and cluster ids are uint64 and overflow a JS number, so long integers are read as strings before parsing
 * (the leader comparison would otherwise match the wrong member).
 */

export interface EndpointStatus {
  readonly endpoint: string;
  readonly memberId: string;
  /** header.cluster_id: one value across the members of one cluster. */
  readonly clusterId: string;
  readonly leader: string;
  readonly version: string;
  readonly dbSize: number;
  readonly dbSizeInUse?: number;
  readonly raftTerm?: number;
  readonly errors: readonly string[];
}

export interface EndpointHealth {
  readonly endpoint: string;
  readonly health: boolean;
  readonly took?: string;
  readonly error?: string;
}

function parseBigSafe(text: string): unknown {
  return JSON.parse(text.replace(/([:[,]\s*)(\d{16,})(?=\s*[,}\]])/g, '$1"$2"'));
}

function jsonArray(text: string): Record<string, unknown>[] {
  const start = text.indexOf('[');
  if (start < 0) throw new Error(`not etcdctl JSON: ${text.slice(0, 200)}`);
  const v = parseBigSafe(text.slice(start, text.lastIndexOf(']') + 1));
  if (!Array.isArray(v)) throw new Error('etcdctl JSON is not a list');
  return v as Record<string, unknown>[];
}

export function parseEndpointStatus(text: string): EndpointStatus[] {
  return jsonArray(text).map((e) => {
    const s = (e['Status'] ?? {}) as Record<string, unknown>;
    const header = (s['header'] ?? {}) as Record<string, unknown>;
    return {
      endpoint: String(e['Endpoint'] ?? ''),
      memberId: String(header['member_id'] ?? ''),
      clusterId: String(header['cluster_id'] ?? ''),
      leader: String(s['leader'] ?? ''),
      version: String(s['version'] ?? ''),
      dbSize: Number(s['dbSize'] ?? 0),
      ...(s['dbSizeInUse'] !== undefined ? { dbSizeInUse: Number(s['dbSizeInUse']) } : {}),
      ...(s['raftTerm'] !== undefined ? { raftTerm: Number(s['raftTerm']) } : {}),
      errors: Array.isArray(s['errors']) ? (s['errors'] as unknown[]).map(String) : [],
    };
  });
}

export function parseEndpointHealth(text: string): EndpointHealth[] {
  return jsonArray(text).map((e) => ({
    endpoint: String(e['endpoint'] ?? ''),
    health: e['health'] === true,
    ...(e['took'] !== undefined ? { took: String(e['took']) } : {}),
    ...(e['error'] ? { error: String(e['error']) } : {}),
  }));
}

/** `etcdutl snapshot status -w json` (and the older `etcdctl snapshot status -w json`). */
export interface SnapshotStatus {
  readonly hash: number;
  readonly revision: number;
  readonly totalKey: number;
  readonly totalSize: number;
  readonly version?: string;
}

export function parseSnapshotStatus(text: string): SnapshotStatus {
  const start = text.indexOf('{');
  if (start < 0) throw new Error(`not a snapshot status: ${text.trim().slice(0, 200) || '(no output)'}`);
  const v = JSON.parse(text.slice(start, text.lastIndexOf('}') + 1)) as Record<string, unknown>;
  const num = (k: string) => {
    const n = Number(v[k]);
    if (!Number.isFinite(n)) throw new Error(`snapshot status has no ${k}`);
    return n;
  };
  return {
    hash: num('hash'),
    revision: num('revision'),
    totalKey: num('totalKey'),
    totalSize: num('totalSize'),
    ...(v['version'] ? { version: String(v['version']) } : {}),
  };
}
