import * as fs from 'node:fs';
import * as path from 'node:path';
import { KubeConfig, type Cluster, type User } from '@kubernetes/client-node';

// What kubectl (client-go) reads in a kubeconfig that client-node 1.4 reads differently or not at all. Without this a
// kubeconfig that works for kubectl failed here: `server: http://…` (kubectl proxy) threw "HTTP protocol is not allowed
// when skipTLSVerify is not set", `tokenFile:` was ignored (client-node reads a `token-file` key, once, relative to the
// working folder), and an exec plugin named by a relative path (`./get-token`) was looked up relative to the working
// folder. client-go resolves every path in a kubeconfig relative to that file's own folder (clientcmd
// ResolveLocalPaths): certificate-authority, client-certificate, client-key, tokenFile, and exec.command when it holds
// a path separator (a bare name is looked up on PATH). client-node's loadFromFile already does the first three.

/** A user as client-node holds it, with kubectl's `tokenFile` (absolute) kept beside it for TokenFileAuth. */
export type UserWithTokenFile = User & { readonly tokenFile?: string };

/**
 * `kc` (loaded from `file` by client-node) with kubectl's reading of the fields above; `doc` is the same file parsed
 * as YAML, for the fields client-node drops.
 */
export function withKubectlFields(kc: KubeConfig, doc: Record<string, unknown>, file: string): KubeConfig {
  const dir = path.dirname(file);
  const raw = new Map<string, Record<string, unknown>>();
  for (const u of Array.isArray(doc['users']) ? (doc['users'] as unknown[]) : []) {
    const entry = u as { name?: unknown; user?: unknown } | null;
    if (entry && typeof entry.name === 'string' && entry.user && typeof entry.user === 'object') raw.set(entry.name, entry.user as Record<string, unknown>);
  }
  const users = kc.users.map((u): UserWithTokenFile => {
    const r = raw.get(u.name) ?? {};
    const tokenFile = typeof r['tokenFile'] === 'string' && r['tokenFile'] ? resolveIn(dir, r['tokenFile']) : undefined;
    return { ...u, ...(u.exec ? { exec: execFor(u.exec as Record<string, unknown>, dir) } : {}), ...(tokenFile ? { tokenFile } : {}) };
  });
  const copy = new KubeConfig();
  copy.loadFromOptions({ clusters: kc.clusters.map(plainHttpAllowed), users, contexts: kc.contexts, currentContext: kc.currentContext });
  return copy;
}

/**
 * A `http://` server is spoken to in plain HTTP, as kubectl does: client-node refuses it unless skipTLSVerify is set
 * (there is no TLS to verify), so it is set for such clusters only.
 */
function plainHttpAllowed(c: Cluster): Cluster {
  return c.server?.startsWith('http:') && !c.skipTLSVerify ? { ...c, skipTLSVerify: true } : c;
}

/**
 * The exec plugin as client-go runs it: a command with a path separator is relative to the kubeconfig's folder, and
 * the plugin gets KUBERNETES_EXEC_INFO (an ExecCredential with spec.interactive false: we never give it a terminal),
 * which client.authentication.k8s.io/v1 plugins may read.
 */
function execFor(exec: Record<string, unknown>, dir: string): Record<string, unknown> {
  const command = typeof exec['command'] === 'string' ? exec['command'] : '';
  const env = Array.isArray(exec['env']) ? (exec['env'] as { name: string; value: string }[]) : [];
  const apiVersion = typeof exec['apiVersion'] === 'string' ? exec['apiVersion'] : 'client.authentication.k8s.io/v1';
  const info = { name: 'KUBERNETES_EXEC_INFO', value: JSON.stringify({ apiVersion, kind: 'ExecCredential', spec: { interactive: false } }) };
  return {
    ...exec,
    ...(command.includes('/') ? { command: resolveIn(dir, command) } : {}),
    env: env.some((e) => e.name === info.name) ? env : [...env, info],
  };
}

function resolveIn(dir: string, p: string): string {
  return path.isAbsolute(p) ? p : path.join(dir, p);
}

/**
 * Bearer token from kubectl's `tokenFile`, read again when it is older than a minute (client-go's cached file token
 * source does the same: projected service-account tokens are rotated in place). One per KubeConfig; its cache is per
 * file, so users with different files never share a token. An inline `token` wins, as in client-go.
 */
export class TokenFileAuth {
  private readonly cache = new Map<string, { token: string; readAt: number }>();

  isAuthProvider(user: UserWithTokenFile): boolean {
    return !user.token && !!user.tokenFile;
  }

  async applyAuthentication(user: UserWithTokenFile, opts: { headers?: Record<string, string> }): Promise<void> {
    const file = user.tokenFile!;
    let cached = this.cache.get(file);
    if (!cached || Date.now() - cached.readAt > 60_000) {
      let text: string;
      try {
        text = await fs.promises.readFile(file, 'utf8');
      } catch (e) {
        throw new Error(`cannot read the tokenFile of user "${user.name}" (${file}): ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
      cached = { token: text.trim(), readAt: Date.now() };
      this.cache.set(file, cached);
    }
    (opts.headers ??= {})['Authorization'] = `Bearer ${cached.token}`;
  }
}
