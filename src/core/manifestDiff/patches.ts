import { parseAllDocuments } from 'yaml';

/**
 * kubeadm's patches folder (`--patches DIR`, kubeadm cmd/kubeadm/app/util/patches): files named
 * `target[suffix][+patchtype].{json,yaml}` with target `kube-apiserver`, `kube-controller-manager`, `kube-scheduler`,
 * `etcd`, `kubeletconfiguration` or `corednsdeployment` and patchtype `strategic` (default), `merge` or `json`,
 * applied in the order of their file names. `kubeadm upgrade diff` does not read patches, so the diff with a patches
 * folder is computed here: kubeadm's manifest with the folder's patches applied, against the live one.
 */

export type PatchType = 'strategic' | 'merge' | 'json';

export interface PatchFile {
  readonly name: string;
  readonly target: string;
  readonly type: PatchType;
  readonly content: string;
}

const NAME = /^(etcd|kube-apiserver|kube-controller-manager|kube-scheduler|kubeletconfiguration|corednsdeployment)([^+.]*)(?:\+(strategic|merge|json))?\.(json|ya?ml)$/;

/** A file of the folder as a patch, or undefined when kubeadm would skip its name. */
export function patchFile(name: string, content: string): PatchFile | undefined {
  const m = NAME.exec(name);
  return m ? { name, target: m[1]!, type: (m[3] as PatchType | undefined) ?? 'strategic', content } : undefined;
}

/** Separator printed between files by `head -v`: `==> path <==`. */
export function parseHeadListing(text: string): { name: string; path: string; content: string }[] {
  const out: { name: string; path: string; content: string }[] = [];
  const parts = text.replace(/\r/g, '').split(/^==> (.+) <==\n/m);
  for (let i = 1; i + 1 < parts.length; i += 2) out.push({ name: parts[i]!.split('/').pop()!, path: parts[i]!, content: parts[i + 1]!.replace(/\n$/, '') });
  return out;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** Merge keys of the Pod fields kubeadm's patches touch (k8s.io/api core/v1 `patchMergeKey`). */
const MERGE_KEYS: Record<string, string> = { containers: 'name', initContainers: 'name', volumes: 'name', env: 'name', volumeMounts: 'mountPath', ports: 'containerPort' };

function mergePatch(target: unknown, patch: unknown, strategic: boolean, field = ''): unknown {
  if (!isObj(patch)) {
    if (strategic && Array.isArray(patch) && Array.isArray(target) && MERGE_KEYS[field]) {
      const key = MERGE_KEYS[field]!;
      const out = clone(target) as unknown[];
      for (const item of patch) {
        if (!isObj(item)) continue;
        const at = out.findIndex((o) => isObj(o) && o[key] === item[key]);
        if (item['$patch'] === 'delete') { if (at >= 0) out.splice(at, 1); continue; }
        if (at >= 0) out[at] = mergePatch(out[at], item, strategic);
        else out.push(item);
      }
      return out;
    }
    return clone(patch);
  }
  const out: Obj = isObj(target) ? clone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v, strategic, k);
  }
  return out;
}

function pointer(path: string): string[] {
  return path.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function jsonPatch(target: unknown, ops: unknown): unknown {
  const doc = { root: clone(target) } as Obj;
  for (const op of Array.isArray(ops) ? ops : []) {
    if (!isObj(op) || typeof op['path'] !== 'string') throw new Error(`not a JSON patch operation: ${JSON.stringify(op)}`);
    const keys = ['root', ...pointer(op['path'])];
    const last = keys.pop()!;
    let parent: unknown = doc;
    for (const k of keys) parent = Array.isArray(parent) ? parent[Number(k)] : (parent as Obj)[k];
    if (parent === undefined || parent === null) throw new Error(`JSON patch path ${op['path']} does not exist`);
    const kind = op['op'];
    if (Array.isArray(parent)) {
      const i = last === '-' ? parent.length : Number(last);
      if (kind === 'add') parent.splice(i, 0, clone(op['value']));
      else if (kind === 'replace') parent[i] = clone(op['value']);
      else if (kind === 'remove') parent.splice(i, 1);
      else throw new Error(`JSON patch op ${String(kind)} is not supported here`);
    } else {
      const p = parent as Obj;
      if (kind === 'add' || kind === 'replace') p[last] = clone(op['value']);
      else if (kind === 'remove') delete p[last];
      else throw new Error(`JSON patch op ${String(kind)} is not supported here`);
    }
  }
  return doc['root'];
}

/** `object` with every patch of `patches` whose target is `target` applied, in file-name order. */
export function applyPatches(target: string, object: unknown, patches: readonly PatchFile[]): { result: unknown; applied: string[] } {
  let out = object;
  const applied: string[] = [];
  for (const p of [...patches].filter((x) => x.target === target).sort((a, b) => a.name.localeCompare(b.name))) {
    for (const d of parseAllDocuments(p.content)) {
      const body = d.toJS() as unknown;
      if (body === null || body === undefined) continue;
      out = p.type === 'json' ? jsonPatch(out, body) : mergePatch(out, body, p.type === 'strategic');
    }
    applied.push(p.name);
  }
  return { result: out, applied };
}
