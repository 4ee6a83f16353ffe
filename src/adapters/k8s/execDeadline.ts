import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import type { KubeConfig } from '@kubernetes/client-node';

/**
 * How long a kubeconfig's exec credential plugin (`users[].user.exec`: aws, gke-gcloud-auth-plugin, kubelogin…) may
 * take to print its credential. client-node runs it with no deadline at all, so a plugin that hangs (waiting for a
 * browser login nobody sees, a network call that never returns) hung every API request, and the CLI, for ever.
 */
export const EXEC_PLUGIN_TIMEOUT_MS = 60_000;

/** A credential plugin that ran out of time: the command cannot use the cluster (CLI exit 2, src/cli/failure.ts). */
export class ExecPluginTimeoutError extends Error {
  override readonly name = 'ExecPluginTimeoutError';
}

/** The message of a plugin that ran out of time: names the command, says what was done and what to try. */
export function execPluginTimeoutMessage(command: string, args: readonly string[], ms: number): string {
  const line = [command, ...args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
  return `the kubeconfig's exec credential plugin \`${line}\` gave no credential within ${Math.round(ms / 1000)} s: it was stopped and nothing was sent to the API. Run it yourself to see why (it may be waiting for a login, or for a network that does not answer).`;
}

/**
 * Gives `kc`'s exec credential plugins a deadline: past `ms` the plugin is killed (its whole process group) and the
 * request fails with execPluginTimeoutMessage instead of waiting. client-node spawns the plugin through its ExecAuth's
 * `execFn` (client-node 1.4, exec_auth.js; ExecAuth is not exported, so it is found by that field) and rejects with an
 * 'error' event's error, so the wrapper reports there. Throws when no such authenticator is found (another client-node
 * layout): a deadline silently missing is what this exists to prevent.
 */
export function withExecDeadline(kc: KubeConfig, ms = EXEC_PLUGIN_TIMEOUT_MS): KubeConfig {
  const authenticators = (kc as unknown as { authenticators?: unknown[] }).authenticators ?? [];
  const exec = authenticators.filter((a): a is { execFn: unknown } => typeof a === 'object' && a !== null && typeof (a as { execFn?: unknown }).execFn === 'function');
  if (exec.length === 0) throw new Error('@kubernetes/client-node changed: no exec credential authenticator to give a deadline (src/adapters/k8s/execDeadline.ts)');
  for (const a of exec) a.execFn = (command: string, args: readonly string[] | undefined, options: SpawnOptions | undefined) => spawnWithDeadline(command, args, options, ms);
  return kc;
}

function spawnWithDeadline(command: string, args: readonly string[] | undefined, options: SpawnOptions | undefined, ms: number): ChildProcess {
  // Its own process group, so a plugin that is a script (a shell running the real binary) is stopped whole.
  const child = spawn(command, args ?? [], { ...(options ?? {}), detached: true });
  const timer = setTimeout(() => {
    child.emit('error', new ExecPluginTimeoutError(execPluginTimeoutMessage(command, args ?? [], ms)));
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  }, ms);
  timer.unref?.();
  child.once('exit', () => clearTimeout(timer));
  child.once('error', () => clearTimeout(timer));
  return child;
}
