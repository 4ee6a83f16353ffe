import * as os from 'node:os';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { withExecDeadline } from './execDeadline';
import { KubeConfig, type Cluster, type Context, type User } from '@kubernetes/client-node';
import { parse as parseYaml } from 'yaml';
import { TokenFileAuth, withKubectlFields } from './kubectlFields';

export interface ContextEntry {
  readonly name: string;
  readonly server: string | undefined;
  /** A KubeConfig whose current context is this one: an in-memory copy, so the user's file is never changed. */
  readonly config: KubeConfig;
  /** The first file that defines this context. */
  readonly file: string;
}

/** The kubeconfig files to read: the setting's, else $KUBECONFIG (path list), else ~/.kube/config. */
export function kubeconfigFiles(setting: readonly string[] = [], env = process.env): string[] {
  if (setting.length > 0) return setting.map(expandHome);
  const fromEnv = env['KUBECONFIG']?.split(path.delimiter).filter(Boolean) ?? [];
  if (fromEnv.length > 0) return fromEnv.map(expandHome);
  return [path.join(os.homedir(), '.kube', 'config')];
}

export function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? path.join(os.homedir(), p.slice(1)) : p;
}

export interface LoadedKubeconfig {
  /** Every context of the merged files, in file order. */
  readonly contexts: ContextEntry[];
  /** The merged current-context (the first file that sets one wins) and the file it came from. */
  readonly currentContext?: { readonly name: string; readonly file: string };
  /** Files that exist but are not kubeconfigs: path and parse error. */
  readonly errors: { file: string; message: string }[];
  /** Files that were read (missing ones are skipped, as kubectl does). */
  readonly files: string[];
  /**
   * Context names defined in more than one file: kubectl's merge keeps the first and hides the others silently
   * (every kubeadm admin.conf names its context kubernetes-admin@kubernetes). Each definition with its server.
   */
  readonly shadowed?: readonly ShadowedContext[];
}

export interface ShadowedContext {
  readonly name: string;
  /** Every file that defines it, the shown one first, with the server its own cluster entry names. */
  readonly definitions: readonly { readonly file: string; readonly server: string | undefined }[];
}

/** "kubernetes-admin@kubernetes is defined in 2 files; showing /a/admin.conf (https://10.0.0.1:6443); hidden: …". */
export function shadowedText(s: ShadowedContext): string {
  const [shown, ...hidden] = s.definitions;
  const where = (d: { file: string; server: string | undefined }) => `${d.file} (${d.server ?? 'no server'})`;
  return `${s.name} is defined in ${s.definitions.length} files; showing ${where(shown!)} — hidden by kubectl's merge rule: ${hidden.map(where).join(', ')}. Give each a context name of its own to see both.`;
}

/** The tree's short line on the shown context: `defined in 2 files: showing A.conf (https://…); hidden: B.conf (https://…)`. */
export function shadowedNote(s: ShadowedContext): string {
  const [shown, ...hidden] = s.definitions;
  const where = (d: { file: string; server: string | undefined }) => `${d.file} (${d.server ?? 'no server'})`;
  return `defined in ${s.definitions.length} files: showing ${where(shown!)}; hidden: ${hidden.map(where).join(', ')}`;
}

/**
 * Merges the files the way kubectl does (client-go's loading rules): for clusters, users and contexts the first file
 * that defines a name wins, and so does the first file that sets current-context. Missing files are skipped; a file
 * that is not a kubeconfig is reported with its path and the parse error. The CLI and the extension both use this.
 */
export function loadContexts(files: readonly string[], options: { showShadowed?: boolean } = {}): LoadedKubeconfig {
  const errors: { file: string; message: string }[] = [];
  const read: string[] = [];
  const clusters = new Map<string, Cluster>();
  const users = new Map<string, User>();
  const contexts = new Map<string, { context: Context; file: string }>();
  let current: { name: string; file: string } | undefined;
  const definitions = new Map<string, { file: string; server: string | undefined }[]>();
  for (const file of files) {
    if (!fs.existsSync(file)) continue;
    const kc = readOne(file, errors);
    if (!kc) continue;
    read.push(file);
    for (const c of kc.clusters) if (!clusters.has(c.name)) clusters.set(c.name, c);
    for (const u of kc.users) if (!users.has(u.name)) users.set(u.name, u);
    for (const c of kc.contexts) {
      if (!contexts.has(c.name)) contexts.set(c.name, { context: c, file });
      // Each file's own cluster entry: the server this file means by the name (kubectl would use the first file's).
      definitions.set(c.name, [...(definitions.get(c.name) ?? []), { file, server: kc.clusters.find((x) => x.name === c.cluster)?.server }]);
    }
    if (!current && kc.currentContext) current = { name: kc.currentContext, file };
  }
  const merged = new KubeConfig();
  merged.loadFromOptions({ clusters: [...clusters.values()], users: [...users.values()], contexts: [...contexts.values()].map((c) => c.context), currentContext: current?.name ?? '' });
  const entries = [...contexts.values()].map(({ context, file }) => ({ name: context.name, server: clusters.get(context.cluster)?.server, config: forContext(merged, context.name), file }));
  const shadowed = [...definitions].filter(([, d]) => d.length > 1).map(([name, d]) => ({ name, definitions: d }));
  // On request (kubeadm.showShadowedContexts), each hidden definition too, from its own file alone and
  // labelled by its server: `kubernetes-admin@kubernetes (https://10.0.0.2:6443)`. kubectl itself never reaches it.
  if (options.showShadowed) for (const s of shadowed) for (const d of s.definitions.slice(1)) entries.push(...hiddenEntry(s.name, d));
  return { contexts: entries, ...(current ? { currentContext: current } : {}), errors, files: read, ...(shadowed.length ? { shadowed } : {}) };
}

/** The label of a hidden definition: the context name and the server its own file names. */
export function shadowedLabel(name: string, server: string | undefined): string {
  return `${name} (${server ?? 'no server'})`;
}

function hiddenEntry(name: string, d: { file: string; server: string | undefined }): ContextEntry[] {
  const kc = readOne(d.file, []);
  if (!kc) return [];
  return [{ name: shadowedLabel(name, d.server), server: d.server, config: forContext(kc, name), file: d.file }];
}

/** One file, checked to be a kubeconfig (a mapping whose lists are lists) before client-node reads it. */
function readOne(file: string, errors: { file: string; message: string }[]): KubeConfig | undefined {
  try {
    const doc: unknown = parseYaml(fs.readFileSync(file, 'utf8'));
    if (doc === null || doc === undefined) return new KubeConfig(); // an empty file is an empty kubeconfig, as for kubectl
    if (typeof doc !== 'object' || Array.isArray(doc)) throw new Error(`not a kubeconfig (a YAML ${Array.isArray(doc) ? 'list' : typeof doc}, expected a mapping with clusters, users and contexts)`);
    const d = doc as Record<string, unknown>;
    if (d['kind'] !== undefined && d['kind'] !== 'Config') throw new Error(`not a kubeconfig (kind: ${String(d['kind'])}, expected Config)`);
    for (const key of ['clusters', 'users', 'contexts']) {
      if (d[key] !== undefined && d[key] !== null && !Array.isArray(d[key])) throw new Error(`not a kubeconfig (${key} is not a list)`);
    }
    const kc = new KubeConfig();
    kc.loadFromFile(file);
    return withKubectlFields(kc, d, file);
  } catch (e) {
    errors.push({ file, message: (e as Error).message.split('\n')[0]! });
    return undefined;
  }
}

export function forContext(kc: KubeConfig, name: string): KubeConfig {
  const copy = new KubeConfig();
  copy.loadFromOptions({ clusters: kc.clusters, users: kc.users, contexts: kc.contexts, currentContext: name });
  copy.addAuthenticator(new TokenFileAuth());
  // Every API request of this context: its exec credential plugin cannot hang it (execDeadline.ts).
  return withExecDeadline(copy);
}

/** Why no context could be chosen: the CLI exits 2 with it, the extension shows it. */
export class ContextResolutionError extends Error {}

/**
 * The context to talk to: the explicit one (--context), else the merged current-context. Never falls back to
 * another context: a name that does not exist, or no current-context at all, is an error that says which files were read.
 */
export function resolveContext(loaded: LoadedKubeconfig, explicit?: string): ContextEntry {
  const fileList = loaded.files.join(', ') || 'no kubeconfig file';
  const names = loaded.contexts.map((c) => c.name).join(', ') || 'none';
  const wanted = explicit ?? loaded.currentContext?.name;
  if (!wanted) throw new ContextResolutionError(`no current-context is set in ${fileList}: pass --context NAME (contexts: ${names})`);
  const found = loaded.contexts.find((c) => c.name === wanted);
  if (found) return found;
  const from = explicit !== undefined ? '--context' : `current-context in ${loaded.currentContext!.file}`;
  throw new ContextResolutionError(`context "${wanted}" (${from}) does not exist in ${fileList} (contexts: ${names})`);
}
