// `kubeadm upgrade plan -o json|yaml`.
//
// Two API versions exist (cmd/kubeadm/app/apis/output):
//   v1alpha2 (kubeadm 1.21-1.29): one `UpgradePlan` object *per available upgrade*, each with a flat
//     `components` list (kubelet current version in the count form `2 x v1.28.0`) and `configVersions`;
//     printed one after another: concatenated JSON objects, or YAML documents separated by `---`.
//   v1alpha3 (1.30+): a single `UpgradePlan` with `availableUpgrades: [{description, components}]`,
//     components carrying `nodeName`, and `configVersions`.
// Both are read by shape, not by apiVersion, so a hand-edited or future variant still parses.
import { parseAllDocuments } from 'yaml';

import type { AvailableUpgrade, ConfigVersion, PlanComponent } from './types';
import {
  applyCommandFor,
  canonicalComponentName,
  normalizeKubeVersion,
  parseCountCell,
  targetFromComponents,
} from './versions';

export type StructuredFormat = 'json' | 'yaml';

export interface StructuredResult {
  availableUpgrades: AvailableUpgrade[];
  configVersions: ConfigVersion[];
  clusterVersion: string | null;
  kubeadmVersion: string | null;
  /** Entries that were not of the expected shape, as compact JSON. */
  unparsed: string[];
  /** Lines around the JSON values that were not JSON (left for the text reader). */
  textLines: string[];
}

/** How a body that starts at `firstLine` is encoded, if it is structured at all. */
export function structuredKind(firstLine: string): StructuredFormat | null {
  const t = firstLine.trim();
  if (t.startsWith('{') || t === '[' || /^\[\s*[{\]]/.test(t)) return 'json';
  if (t === '---' || /^(apiVersion|kind|availableUpgrades|components|configVersions)\s*:/.test(firstLine)) return 'yaml';
  return null;
}

/** Parses `body`; null when it holds nothing that looks like an UpgradePlan (the caller reads it as text). */
export function parseStructured(body: string, kind: StructuredFormat): StructuredResult | null {
  const split = kind === 'json' ? splitJson(body) : splitYaml(body);
  if (!split.values) return null;
  const acc = new Collector();
  for (const v of split.values) acc.value(v);
  if (!acc.matched) return null;
  return {
    availableUpgrades: acc.upgrades,
    configVersions: acc.configVersions,
    clusterVersion: acc.clusterVersion,
    kubeadmVersion: acc.kubeadmVersion,
    unparsed: acc.unparsed,
    textLines: split.textLines,
  };
}

class Collector {
  matched = false;
  readonly upgrades: AvailableUpgrade[] = [];
  readonly configVersions: ConfigVersion[] = [];
  clusterVersion: string | null = null;
  kubeadmVersion: string | null = null;
  readonly unparsed: string[] = [];

  value(v: unknown): void {
    if (Array.isArray(v)) {
      for (const item of v) this.value(item);
      return;
    }
    if (!isRecord(v)) {
      if (v != null) this.unparsed.push(compact(v));
      return;
    }
    if (v['kind'] === 'List' && Array.isArray(v['items'])) {
      this.value(v['items']);
      return;
    }
    const isPlan =
      v['kind'] === 'UpgradePlan' || 'availableUpgrades' in v || 'components' in v || 'configVersions' in v;
    if (!isPlan) {
      this.unparsed.push(compact(v));
      return;
    }
    this.matched = true;
    if (Array.isArray(v['availableUpgrades'])) {
      for (const au of v['availableUpgrades']) {
        if (isRecord(au) && Array.isArray(au['components'])) this.upgrade(au['description'], au['components']);
        else this.unparsed.push(compact(au));
      }
    }
    // v1alpha2: the object itself is one available upgrade.
    if (Array.isArray(v['components'])) this.upgrade(undefined, v['components']);
    if (Array.isArray(v['configVersions'])) {
      for (const cv of v['configVersions']) this.configVersion(cv);
    }
  }

  private upgrade(description: unknown, entries: unknown[]): void {
    const components: PlanComponent[] = [];
    let kubeadm: { current: string; target: string } | null = null;
    for (const e of entries) {
      if (!isRecord(e) || !asString(e['name'])) {
        this.unparsed.push(compact(e));
        continue;
      }
      const name = canonicalComponentName(asString(e['name']));
      const current = asString(e['currentVersion']);
      const target = asString(e['newVersion']);
      // The text output never lists kubeadm itself; it turns a kubeadm change into the "Note:" line.
      // Doing the same keeps text and structured output of one plan equal.
      if (name === 'kubeadm') {
        kubeadm = { current, target };
        continue;
      }
      const counted = name === 'kubelet' ? parseCountCell(current) : null;
      components.push({
        name,
        node: asString(e['nodeName']) || null,
        count: counted ? counted.count : null,
        current: counted ? counted.version : current || null,
        target: target || null,
      });
    }

    const targetVersion = targetFromComponents(components);
    const desc = asString(description).trim();
    this.upgrades.push({
      description: desc ? `Upgrade to the latest ${desc}` : targetVersion ? `Upgrade to ${targetVersion}` : 'Available upgrade',
      targetVersion,
      applyCommand: targetVersion ? applyCommandFor(targetVersion) : null,
      note:
        kubeadm && kubeadm.target && kubeadm.target !== kubeadm.current
          ? `Before you can perform this upgrade, you have to update kubeadm to ${kubeadm.target}.`
          : null,
      components,
    });

    // kubeadm sets kube-proxy's current version to the cluster version; the API servers can differ per node.
    const proxy = components.find((c) => c.name === 'kube-proxy');
    const apiserver = components.find((c) => c.name === 'kube-apiserver');
    this.clusterVersion ??= normalizeKubeVersion(proxy?.current) ?? normalizeKubeVersion(apiserver?.current);
    if (kubeadm) this.kubeadmVersion ??= normalizeKubeVersion(kubeadm.current);
  }

  private configVersion(cv: unknown): void {
    if (!isRecord(cv) || !asString(cv['group'])) {
      this.unparsed.push(compact(cv));
      return;
    }
    const group = asString(cv['group']);
    // v1alpha2 repeats the same config list in every per-upgrade object.
    if (this.configVersions.some((c) => c.group === group)) return;
    this.configVersions.push({
      group,
      current: asString(cv['currentVersion']) || '-',
      preferred: asString(cv['preferredVersion']) || '-',
      manualUpgradeRequired: asBool(cv['manualUpgradeRequired']),
    });
  }
}

/**
 * JSON values one after another (v1alpha2 prints one object per upgrade, not an array). Anything between
 * values that is not JSON is handed back as text lines.
 */
function splitJson(body: string): { values: unknown[] | null; textLines: string[] } {
  const values: unknown[] = [];
  const textLines: string[] = [];
  let i = 0;
  while (i < body.length) {
    while (i < body.length && /\s/.test(body[i]!)) i++;
    if (i >= body.length) break;
    const lineEnd = body.indexOf('\n', i) < 0 ? body.length : body.indexOf('\n', i);
    if (structuredKind(body.slice(i, lineEnd)) === 'json') {
      const end = endOfValue(body, i);
      if (end > 0) {
        const segment = body.slice(i, end);
        try {
          values.push(JSON.parse(segment));
        } catch {
          textLines.push(...segment.split('\n'));
        }
        i = end;
        continue;
      }
      // Unbalanced: the output was cut off. What is left is not JSON we can read.
      textLines.push(...body.slice(i).split('\n'));
      break;
    }
    textLines.push(body.slice(i, lineEnd));
    i = lineEnd + 1;
  }
  return { values: values.length > 0 ? values : null, textLines };
}

/** Index just past the JSON object/array starting at `start`, or -1 if it never closes. */
function endOfValue(s: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < s.length; i++) {
    const ch = s[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/**
 * The YAML documents of `body`, and the text lines after them (an error kubeadm printed after the document,
 * say), which would otherwise make the whole stream invalid YAML.
 */
function splitYaml(body: string): { values: unknown[] | null; textLines: string[] } {
  const lines = body.split('\n');
  let end = lines.length;
  while (end > 0 && !isYamlLine(lines[end - 1]!)) end--;
  return { values: yamlValues(lines.slice(0, end).join('\n')), textLines: lines.slice(end) };
}

// Lines kubeadm's YAML printer produces: indented, list items, separators, or `key:` at the top level.
function isYamlLine(line: string): boolean {
  return /^(\s|- |---|\.\.\.|[A-Za-z_][\w-]*:(\s|$))/.test(line);
}

/**
 * YAML documents. The failsafe schema keeps every scalar a string, so versions like `1.10` are not read as
 * numbers. Documents pasted back to back without `---` are split where a top-level key repeats.
 */
function yamlValues(body: string): unknown[] | null {
  const whole = parseYaml(body);
  if (whole) return whole;
  const chunks = splitAtRepeatedTopLevelKey(body);
  if (chunks.length < 2) return null;
  const values: unknown[] = [];
  for (const chunk of chunks) {
    const docs = parseYaml(chunk);
    if (!docs) return null;
    values.push(...docs);
  }
  return values;
}

function parseYaml(text: string): unknown[] | null {
  const docs = parseAllDocuments(text, { schema: 'failsafe', uniqueKeys: true });
  const values: unknown[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) return null;
    const v: unknown = doc.toJS();
    if (v != null) values.push(v);
  }
  return values;
}

function splitAtRepeatedTopLevelKey(body: string): string[] {
  const chunks: string[][] = [[]];
  let seen = new Set<string>();
  for (const line of body.split('\n')) {
    const key = /^([A-Za-z_][\w-]*)\s*:/.exec(line)?.[1];
    if (key && seen.has(key)) {
      chunks.push([]);
      seen = new Set();
    }
    if (key) seen.add(key);
    chunks[chunks.length - 1]!.push(line);
  }
  return chunks.map((c) => c.join('\n')).filter((c) => c.trim() !== '');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function asString(v: unknown): string {
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number') return String(v);
  return '';
}

function asBool(v: unknown): boolean {
  return v === true || (typeof v === 'string' && v.trim().toLowerCase() === 'true');
}

function compact(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}
