import { LineCounter, isMap, isScalar, parseAllDocuments } from 'yaml';
import type { KubeVersion } from '../version';
import { API_LIFECYCLE } from './data/apiLifecycle';
import type { ApiLifecycle } from './data/apiLifecycleTypes';

export interface ApiVerdict {
  /** `removed`: the target's apiserver does not serve it; `deprecated`: it still does, with a removal scheduled. */
  readonly state: 'removed' | 'deprecated';
  readonly row: ApiLifecycle;
}

const minorOf = (s: string | undefined) => (s ? Number(s.split('.')[1]) : undefined);

/** `apiVersion` (`policy/v1beta1`, `v1`) and kind against the generated table, for a target version. */
export function apiVerdict(apiVersion: string, kind: string, target: KubeVersion): ApiVerdict | undefined {
  const slash = apiVersion.lastIndexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  const row = API_LIFECYCLE.find((r) => r.group === group && r.version === version && r.kind === kind);
  if (!row || target.major !== 1) return undefined;
  if (minorOf(row.removed)! <= target.minor) return { state: 'removed', row };
  const dep = minorOf(row.deprecated);
  if (dep !== undefined && dep <= target.minor) return { state: 'deprecated', row };
  return undefined;
}

export function apiRowName(row: ApiLifecycle): string {
  return `${row.group ? `${row.group}/` : ''}${row.version} ${row.kind}`;
}

/** The group/version/kinds of the table whose objects are worth reading for a target (deprecated or removed by it). */
export function kindsToScan(target: KubeVersion): ApiLifecycle[] {
  return API_LIFECYCLE.filter((r) => apiVerdict(`${r.group ? `${r.group}/` : ''}${r.version}`, r.kind, target) !== undefined);
}

export interface ManifestObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name?: string;
  readonly namespace?: string;
}

/**
 * The objects of a multi-document YAML manifest (a Helm release's rendered manifest, a last-applied-configuration in
 * JSON — JSON is YAML). Documents that are not mappings with apiVersion and kind are skipped; a `List` is opened.
 */
export function manifestObjects(text: string): ManifestObject[] {
  const out: ManifestObject[] = [];
  const visit = (v: unknown) => {
    if (!v || typeof v !== 'object' || Array.isArray(v)) return;
    const o = v as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown; namespace?: unknown }; items?: unknown };
    if (typeof o.kind === 'string' && o.kind.endsWith('List') && Array.isArray(o.items)) {
      for (const i of o.items) visit(i);
      return;
    }
    if (typeof o.apiVersion !== 'string' || typeof o.kind !== 'string') return;
    out.push({
      apiVersion: o.apiVersion,
      kind: o.kind,
      ...(typeof o.metadata?.name === 'string' ? { name: o.metadata.name } : {}),
      ...(typeof o.metadata?.namespace === 'string' ? { namespace: o.metadata.namespace } : {}),
    });
  };
  for (const doc of parseAllDocuments(text)) {
    if ('errors' in doc && doc.errors.length > 0) continue;
    visit(doc.toJS());
  }
  return out;
}

export interface ManifestApiFinding {
  /** 0-based line of the document's `apiVersion`. */
  readonly line: number;
  readonly apiVersion: string;
  readonly kind: string;
  readonly verdict: ApiVerdict;
}

/** The documents of a YAML file whose apiVersion/kind the target removes or deprecates, with the line of `apiVersion`. */
export function manifestApiFindings(text: string, target: KubeVersion): ManifestApiFinding[] {
  const lines = new LineCounter();
  const out: ManifestApiFinding[] = [];
  for (const doc of parseAllDocuments(text, { lineCounter: lines })) {
    if (!('contents' in doc) || !isMap(doc.contents)) continue;
    const pair = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === 'apiVersion');
    const apiVersion = isScalar(pair?.value) ? pair.value.value : undefined;
    const kind = doc.contents.get('kind');
    if (typeof apiVersion !== 'string' || typeof kind !== 'string') continue;
    const verdict = apiVerdict(apiVersion, kind, target);
    const offset = isScalar(pair?.key) ? pair.key.range?.[0] : undefined;
    if (verdict && offset !== undefined) out.push({ line: lines.linePos(offset).line - 1, apiVersion, kind, verdict });
  }
  return out;
}
