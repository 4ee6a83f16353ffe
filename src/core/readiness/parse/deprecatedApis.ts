/**
 * Reads the apiserver's `apiserver_requested_deprecated_apis` gauge from `/metrics` (Prometheus text). It has one
 * series per deprecated group/version/resource that was requested since that apiserver started, with the release
 * that removes it (`removed_release`, empty when no removal is scheduled).
 */

export interface DeprecatedApiUse {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly subresource: string;
  /** `1.22`, or undefined when no removal is scheduled. */
  readonly removedRelease?: { major: number; minor: number };
}

const SERIES = /^apiserver_requested_deprecated_apis\{([^}]*)\}\s+(\S+)/;

function labels(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) out[m[1]!] = m[2]!;
  return out;
}

export function parseDeprecatedApis(metrics: string): DeprecatedApiUse[] {
  const seen = new Set<string>();
  const out: DeprecatedApiUse[] = [];
  for (const line of metrics.split('\n')) {
    const m = SERIES.exec(line);
    if (!m || Number(m[2]) === 0) continue;
    const l = labels(m[1]!);
    const key = `${l['group']}/${l['version']}/${l['resource']}/${l['subresource']}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const rr = /^(\d+)\.(\d+)$/.exec(l['removed_release'] ?? '');
    out.push({
      group: l['group'] ?? '',
      version: l['version'] ?? '',
      resource: l['resource'] ?? '',
      subresource: l['subresource'] ?? '',
      ...(rr ? { removedRelease: { major: Number(rr[1]), minor: Number(rr[2]) } } : {}),
    });
  }
  return out;
}

export function apiName(u: DeprecatedApiUse): string {
  return `${u.group ? `${u.group}/` : ''}${u.version} ${u.resource}${u.subresource ? `/${u.subresource}` : ''}`;
}
