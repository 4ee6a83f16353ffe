import { gunzipSync } from 'node:zlib';
import type { HelmRelease } from '../../core/readiness';

/**
 * Helm 3's release storage (helm.sh/helm/v3 pkg/storage/driver): `encodeRelease` is JSON, gzip (BestCompression),
 * then base64 StdEncoding; `decodeRelease` base64-decodes and gunzips only when the gzip magic 1f 8b 08 is there
 * (releases stored before compression are plain JSON). The Secret driver stores that string as `data.release` bytes,
 * so the Secret's JSON carries it base64-encoded once more; the ConfigMap driver stores the string itself.
 * Labels on both: `owner=helm`, `name`, `status`, `version`; Secrets have type `helm.sh/release.v1`.
 */
export const HELM_SECRET_TYPE = 'helm.sh/release.v1';

interface StoredRelease {
  name?: string;
  namespace?: string;
  version?: number;
  manifest?: string;
  info?: { status?: string };
  chart?: { metadata?: { name?: string; version?: string } };
}

/** Helm's `decodeRelease`: base64, gunzip when gzipped, JSON. */
export function decodeHelmPayload(payload: string): StoredRelease {
  let bytes = Buffer.from(payload, 'base64');
  if (bytes.length > 3 && bytes[0] === 0x1f && bytes[1] === 0x8b && bytes[2] === 0x08) bytes = gunzipSync(bytes);
  const v = JSON.parse(bytes.toString('utf8')) as unknown;
  if (!v || typeof v !== 'object') throw new Error('the release is not a JSON object');
  return v as StoredRelease;
}

interface StorageObject {
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string> };
  data?: Record<string, string>;
}

/**
 * One stored release, from the Secret (`kind: 'Secret'`, data as the API returns it: base64) or ConfigMap. A payload
 * that does not decode gives a release with `error` set, named from the storage object's labels.
 */
export function helmReleaseFrom(kind: 'Secret' | 'ConfigMap', o: StorageObject): HelmRelease {
  const labels = o.metadata?.labels ?? {};
  const namespace = o.metadata?.namespace ?? '';
  const storage = `${kind}/${namespace}/${o.metadata?.name ?? '?'}`;
  const fallback = { name: labels['name'] ?? o.metadata?.name ?? '?', namespace, revision: Number(labels['version'] ?? 0), status: labels['status'] ?? 'unknown', storage, manifest: '' };
  const data = o.data?.['release'];
  if (!data) return { ...fallback, error: 'no data.release' };
  try {
    const r = decodeHelmPayload(kind === 'Secret' ? Buffer.from(data, 'base64').toString('utf8') : data);
    const chart = r.chart?.metadata;
    return {
      name: r.name ?? fallback.name,
      namespace: r.namespace ?? namespace,
      revision: r.version ?? fallback.revision,
      status: r.info?.status ?? fallback.status,
      storage,
      ...(chart?.name ? { chart: `${chart.name}${chart.version ? `-${chart.version}` : ''}` } : {}),
      manifest: r.manifest ?? '',
    };
  } catch (e) {
    return { ...fallback, error: (e as Error).message };
  }
}
