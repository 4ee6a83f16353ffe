import { ExecPluginTimeoutError } from '../adapters/k8s/execDeadline';
import { describeFailure } from '../core/accessError';
import { ApiFailure } from '../core/drain/ports';
import { ClusterAccessError, type AccessErrorKind } from '../core/snapshot/source';
import { SshError } from '../core/ssh/errors';
import { failureFacts } from '../adapters/k8s/failure';
import { UsageError } from './args';
import { versioned } from './jsonOutput';

/**
 * One cause, one exit code, in every command (the README's table):
 *   0  done: nothing found, nothing failed
 *   1  it ran and the answer is no: findings or blockers, verification not passed, a step or run failed or was
 *      cancelled, a refusal (the lock is held, a guard)
 *   2  it could not run: bad input (arguments, files, kubeconfig, context), or the API could not be used — cannot
 *      reach it (refused, no answer in time, DNS), TLS, 401, 403
 * With --json, stdout carries a JSON object for a failure too (cliFailureJson), never nothing.
 */
export const EXIT = { ok: 0, failed: 1, cannotRun: 2 } as const;

export type FailureReason = 'usage' | 'api-unreachable' | 'api-access' | 'failed';

export interface CliFailure {
  readonly exitCode: number;
  readonly reason: FailureReason;
  readonly message: string;
}

let server: string | undefined;
let context: string | undefined;

/** The API server the command talks to and its context (set when the context is resolved), for "cannot reach the API at …". */
export function setApiServer(url: string | undefined, contextName?: string): void {
  server = url;
  context = contextName;
}

const UNREACHABLE: readonly AccessErrorKind[] = ['unreachable', 'timeout'];
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN', 'EPIPE']);

/** Whatever a command threw, as an exit code, a reason and one line. */
export function classifyFailure(e: unknown): CliFailure {
  if (e instanceof UsageError) return { exitCode: EXIT.cannotRun, reason: 'usage', message: e.message };
  // The kubeconfig's credential plugin hung: nothing reached the API; its own message names the plugin.
  if (e instanceof ExecPluginTimeoutError) return { exitCode: EXIT.cannotRun, reason: 'api-access', message: e.message };
  if (e instanceof ApiFailure && (e.status === 401 || e.status === 403)) return { exitCode: EXIT.cannotRun, reason: 'api-access', message: `the API refused the credentials (${e.status}): ${e.message}` };
  const access = e instanceof ClusterAccessError ? e.access : isApiTransportError(e) ? describeFailure('the cluster', server, failureFacts(e)) : undefined;
  if (access && UNREACHABLE.includes(access.kind)) {
    return { exitCode: EXIT.cannotRun, reason: 'api-unreachable', message: `cannot reach the API at ${server ?? 'the kubeconfig\'s server'}${context ? ` (context ${context})` : ''}: ${reasonOnly(access.detail || access.message)}` };
  }
  // The cluster could not be read at all (TLS, 401, 403, an error answer to the snapshot's reads): could not run.
  if (access && (e instanceof ClusterAccessError || access.kind !== 'other')) return { exitCode: EXIT.cannotRun, reason: 'api-access', message: access.message };
  return { exitCode: EXIT.failed, reason: 'failed', message: (e as Error)?.message ?? String(e) };
}

/**
 * An error from talking to the API that never got an answer (or only a TLS/auth refusal): client-node's ApiException
 * for 401/403, node-fetch's FetchError/AbortError, our deadlines (ETIMEDOUT), a socket's own codes. Never an SSH
 * error (those say which node).
 */
function isApiTransportError(e: unknown): boolean {
  if (!e || typeof e !== 'object' || e instanceof SshError) return false;
  const x = e as { name?: unknown; code?: unknown; body?: unknown; cause?: unknown };
  if (x.name === 'ApiTimeoutError' || x.name === 'FetchError' || x.name === 'AbortError') return true;
  if (typeof x.code === 'number') return x.code === 401 || x.code === 403;
  const code = typeof x.code === 'string' ? x.code : (x.cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && (SOCKET_CODES.has(code) || /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code));
}

/** `{"apiVersion":…,"kind":"Error","message":…,"exitCode":…,"reason":…}` on one line (an NDJSON line for streaming commands). */
export function cliFailureJson(f: CliFailure): string {
  return JSON.stringify(versioned('Error', { message: f.message, exitCode: f.exitCode, reason: f.reason }));
}

/** node-fetch's "request to URL failed, reason: X" is X here: the URL's server is said already. */
function reasonOnly(detail: string): string {
  return detail.replace(/^request to \S+ failed, reason: /, '');
}
