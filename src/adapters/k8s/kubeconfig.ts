import * as os from 'node:os';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';

export interface ContextEntry {
  readonly name: string;
  readonly server: string | undefined;
  /** A KubeConfig whose current context is this one: an in-memory copy, so the user's file is never changed. */
  readonly config: KubeConfig;
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

/** Every context in every file is one cluster in the tree. Files that do not exist are skipped (not an error). */
export function loadContexts(files: readonly string[]): { contexts: ContextEntry[]; errors: { file: string; message: string }[] } {
  const contexts: ContextEntry[] = [];
  const errors: { file: string; message: string }[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    if (!fs.existsSync(file)) continue;
    const kc = new KubeConfig();
    try {
      kc.loadFromFile(file);
    } catch (e) {
      errors.push({ file, message: (e as Error).message });
      continue;
    }
    for (const ctx of kc.getContexts()) {
      if (seen.has(ctx.name)) continue; // kubectl's merge rule: the first file that defines a name wins
      seen.add(ctx.name);
      contexts.push({ name: ctx.name, server: kc.getCluster(ctx.cluster)?.server, config: forContext(kc, ctx.name), file });
    }
  }
  return { contexts, errors };
}

export function forContext(kc: KubeConfig, name: string): KubeConfig {
  const copy = new KubeConfig();
  copy.loadFromOptions({ clusters: kc.clusters, users: kc.users, contexts: kc.contexts, currentContext: name });
  return copy;
}

/** The file's own current-context (read, never written). */
export function currentContextOf(file: string): string | undefined {
  const kc = new KubeConfig();
  kc.loadFromFile(file);
  return kc.getCurrentContext() || undefined;
}
