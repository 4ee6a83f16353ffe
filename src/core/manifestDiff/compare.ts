import { parse as parseYaml } from 'yaml';
import type { FileDiff } from './unifiedDiff';

/**
 * What differs between a live static Pod manifest and the one kubeadm would write, by meaning: the image, the
 * command's flags, volumes and volume mounts, and any other field (resources, probes…) by its path.
 */
export interface ManifestChange {
  readonly component: string;
  readonly path: string;
  readonly image?: { readonly from: string; readonly to: string };
  readonly flags: {
    readonly added: readonly Flag[];
    readonly removed: readonly Flag[];
    readonly changed: readonly { readonly name: string; readonly from: string; readonly to: string }[];
  };
  /** Volumes (`name: hostPath`) and mounts (`name → mountPath`) only in the new manifest / only in the live one. */
  readonly volumes: { readonly added: readonly string[]; readonly removed: readonly string[] };
  /** Other fields that differ, as `containers[kube-apiserver].resources.limits.memory: 1Gi → (none)`. */
  readonly other: readonly string[];
  /** Changed lines that could not be read by meaning (the diff did not hold the whole files). */
  readonly rawLines: readonly string[];
}

export interface Flag {
  readonly name: string;
  readonly value: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `--name=value` (or `--name` alone) as kubeadm writes command lines; anything else is an argument. */
export function parseFlag(arg: string): Flag | undefined {
  const m = /^--([^=\s]+)(?:=(.*))?$/.exec(arg);
  return m ? { name: m[1]!, value: m[2] ?? '' } : undefined;
}

function flagMap(command: unknown): Map<string, string> {
  const out = new Map<string, string>();
  for (const a of Array.isArray(command) ? command : []) {
    const f = typeof a === 'string' ? parseFlag(a) : undefined;
    if (f) out.set(f.name, f.value);
  }
  return out;
}

function volumeText(v: Obj): string {
  const src = Object.entries(v).find(([k]) => k !== 'name');
  const hostPath = isObj(v['hostPath']) ? String(v['hostPath']['path']) : undefined;
  return `${String(v['name'])}: ${hostPath ? `hostPath ${hostPath}` : src ? src[0] : '?'}`;
}
function mountText(m: Obj): string {
  return `${String(m['name'])} → ${String(m['mountPath'])}${m['readOnly'] ? ' (read-only)' : ''}`;
}

const short = (v: unknown) => (v === undefined ? '(none)' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** Leaf-by-leaf differences of two values, lists of objects with `name` matched by name. */
function leafDiffs(a: unknown, b: unknown, at: string, out: string[]): void {
  if (JSON.stringify(a) === JSON.stringify(b)) return;
  if (isObj(a) && isObj(b)) {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) leafDiffs(a[k], b[k], at ? `${at}.${k}` : k, out);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && [...a, ...b].every((x) => isObj(x) && typeof x['name'] === 'string')) {
    const names = [...new Set([...a, ...b].map((x) => (x as Obj)['name'] as string))];
    for (const n of names) leafDiffs(a.find((x) => (x as Obj)['name'] === n), b.find((x) => (x as Obj)['name'] === n), `${at}[${n}]`, out);
    return;
  }
  out.push(`${at}: ${short(a)} → ${short(b)}`);
}

function byName<T extends Obj>(list: unknown, key: (o: Obj) => string): Map<string, T> {
  return new Map((Array.isArray(list) ? list : []).filter(isObj).map((o) => [key(o), o as T]));
}

/** Compares the live manifest (`live`) with kubeadm's (`generated`), both Pod YAML. */
export function compareManifests(component: string, path: string, live: string, generated: string): ManifestChange {
  const a = parseYaml(live) as Obj;
  const b = parseYaml(generated) as Obj;
  const specA = (isObj(a?.['spec']) ? a['spec'] : {}) as Obj;
  const specB = (isObj(b?.['spec']) ? b['spec'] : {}) as Obj;
  const containersA = byName<Obj>(specA['containers'], (o) => String(o['name']));
  const containersB = byName<Obj>(specB['containers'], (o) => String(o['name']));
  // The component's own container (kubeadm writes one, named after the component).
  const ca = containersA.get(component) ?? [...containersA.values()][0] ?? {};
  const cb = containersB.get(component) ?? [...containersB.values()][0] ?? {};

  const fa = flagMap(ca['command']);
  const fb = flagMap(cb['command']);
  const added = [...fb].filter(([k]) => !fa.has(k)).map(([name, value]) => ({ name, value }));
  const removed = [...fa].filter(([k]) => !fb.has(k)).map(([name, value]) => ({ name, value }));
  const changed = [...fa].filter(([k, v]) => fb.has(k) && fb.get(k) !== v).map(([name, from]) => ({ name, from, to: fb.get(name)! }));

  const volsA = byName<Obj>(specA['volumes'], (o) => volumeText(o));
  const volsB = byName<Obj>(specB['volumes'], (o) => volumeText(o));
  const mntA = byName<Obj>(ca['volumeMounts'], (o) => mountText(o));
  const mntB = byName<Obj>(cb['volumeMounts'], (o) => mountText(o));
  const only = (x: Map<string, Obj>, y: Map<string, Obj>, label: string) => [...x.keys()].filter((k) => !y.has(k)).map((k) => `${label} ${k}`);

  const other: string[] = [];
  const rest = (c: Obj) => Object.fromEntries(Object.entries(c).filter(([k]) => !['command', 'image', 'volumeMounts'].includes(k)));
  leafDiffs(rest(ca), rest(cb), `containers[${component}]`, other);
  const specRest = (s: Obj) => Object.fromEntries(Object.entries(s).filter(([k]) => !['containers', 'volumes'].includes(k)));
  leafDiffs(specRest(specA), specRest(specB), 'spec', other);
  leafDiffs(a?.['metadata'], b?.['metadata'], 'metadata', other);
  // Other containers (a sidecar added by hand): compared whole.
  for (const n of new Set([...containersA.keys(), ...containersB.keys()])) if (n !== component) leafDiffs(containersA.get(n), containersB.get(n), `containers[${n}]`, other);

  const imgA = typeof ca['image'] === 'string' ? ca['image'] : '';
  const imgB = typeof cb['image'] === 'string' ? cb['image'] : '';
  return {
    component,
    path,
    ...(imgA !== imgB ? { image: { from: imgA, to: imgB } } : {}),
    flags: { added, removed, changed },
    volumes: { added: [...only(volsB, volsA, 'volume'), ...only(mntB, mntA, 'mount')], removed: [...only(volsA, volsB, 'volume'), ...only(mntA, mntB, 'mount')] },
    other,
    rawLines: [],
  };
}

/**
 * The change one file's diff describes. With both manifests whole (kubeadm run with a large `--context-lines`), by
 * meaning; otherwise only what single lines say (`image:` and `- --flag=value` lines), the rest kept as raw lines.
 */
export function changeOf(file: FileDiff): ManifestChange {
  if (file.whole) return compareManifests(file.component, file.path, file.whole.live, file.whole.generated);
  const flagOf = (l: string) => {
    const m = /^\s*- (--\S.*)$/.exec(l);
    return m ? parseFlag(m[1]!) : undefined;
  };
  const imageOf = (ls: readonly string[]) => ls.map((l) => /^\s*image: (\S+)/.exec(l)?.[1]).find(Boolean);
  const fa = new Map(file.removed.map(flagOf).filter((f): f is Flag => !!f).map((f) => [f.name, f.value]));
  const fb = new Map(file.added.map(flagOf).filter((f): f is Flag => !!f).map((f) => [f.name, f.value]));
  const from = imageOf(file.removed);
  const to = imageOf(file.added);
  const known = (l: string) => !!flagOf(l) || /^\s*image: /.test(l);
  return {
    component: file.component,
    path: file.path,
    ...(from && to && from !== to ? { image: { from, to } } : {}),
    flags: {
      added: [...fb].filter(([k]) => !fa.has(k)).map(([name, value]) => ({ name, value })),
      removed: [...fa].filter(([k]) => !fb.has(k)).map(([name, value]) => ({ name, value })),
      changed: [...fa].filter(([k, v]) => fb.has(k) && fb.get(k) !== v).map(([name, f]) => ({ name, from: f, to: fb.get(name)! })),
    },
    volumes: { added: [], removed: [] },
    other: [],
    rawLines: [...file.removed.filter((l) => !known(l)).map((l) => `-${l}`), ...file.added.filter((l) => !known(l)).map((l) => `+${l}`)],
  };
}

/** True when the change holds nothing at all. */
export function isEmptyChange(c: ManifestChange): boolean {
  return !c.image && c.flags.added.length + c.flags.removed.length + c.flags.changed.length + c.volumes.added.length + c.volumes.removed.length + c.other.length + c.rawLines.length === 0;
}
