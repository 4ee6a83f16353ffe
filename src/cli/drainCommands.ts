import type { KubeConfig } from '@kubernetes/client-node';
import { describeFailure } from '../core/accessError';
import { ApiFailure, drainNode, setCordon, type DrainApi } from '../core/drain';
import { parseGoDuration } from '../core/drain/messages';
import type { DrainEvent, DrainOptions } from '../core/drain/types';
import { UnsafeValueError, validateNodeName } from '../core/exec/shell';
import { KubeDrainApi } from '../adapters/k8s/drain/kubeDrainApi';
import { failureFacts } from '../adapters/k8s/failure';
import { LeaseLock } from '../adapters/k8s/leaseLock';
import { auditedDrainApi, type AuditSink } from '../adapters/storage/audited';
import type { LeaseRecord } from '../core/lock/lease';
import { liveLockRefusal, lockAnswerEntry } from '../core/lock/manualOps';
import { contextFor } from './kubeContext';
import { cliAudit, cliStateDir } from './stateDir';
import { parse, UsageError } from './args';
import { classifyFailure } from './failure';
import { DRAIN_USAGE, CORDON_USAGE, UNCORDON_USAGE } from './usage';

export { DRAIN_USAGE, CORDON_USAGE, UNCORDON_USAGE };

type Out = (s: string) => void;
const stderr: Out = (s) => process.stderr.write(s + '\n');

/** For tests: how the commands reach a cluster (default: the kubeconfig's API server). */
export interface DrainCommandDeps {
  api?: (kc: KubeConfig) => DrainApi;
  /** Where cordon, uncordon, evictions and deletions are recorded; default: the CLI's audit log (not with an injected api). */
  audit?: AuditSink;
  retryDelayMs?: number;
  pollIntervalMs?: number;
  /** The cluster lock's Lease as it is now; default: read from the API (not with an injected api). */
  lease?: () => Promise<LeaseRecord | undefined>;
}

const connection = { kubeconfig: { type: 'string' }, context: { type: 'string' }, 'ignore-lock': { type: 'boolean', default: false } } as const;

/**
 * `kubeadm-upgrade drain NODE`: kubectl drain's output (stdout: progress; stderr: warnings, retries, errors).
 * Exit 0 only when the node is drained; 1 with the reason on stderr otherwise (a blocked drain names the pods
 * and the PodDisruptionBudgets holding them); 2 on bad input.
 */
export async function drainCommand(argv: string[], out: Out, err: Out = stderr, deps: DrainCommandDeps = {}): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...connection,
    timeout: { type: 'string' },
    'grace-period': { type: 'string' },
    'skip-wait-for-delete-timeout': { type: 'string' },
    force: { type: 'boolean', default: false },
    'delete-emptydir-data': { type: 'boolean', default: false },
    'disable-eviction': { type: 'boolean', default: false },
    // Always on here (kubectl's default is off); accepted so kubectl command lines work unchanged.
    'ignore-daemonsets': { type: 'boolean', default: true },
  });
  const node = nodeArg(positionals, DRAIN_USAGE);
  const options: Partial<DrainOptions> = {
    force: values.force,
    deleteEmptyDirData: values['delete-emptydir-data'],
    disableEviction: values['disable-eviction'],
    ignoreDaemonSets: true,
  };
  if (values.timeout !== undefined) {
    const ms = parseGoDuration(values.timeout);
    if (ms === undefined || ms < 0) throw new UsageError(`--timeout ${values.timeout}: expected a duration such as 90s, 5m or 0 (no limit)`);
    options.timeoutMs = ms;
  }
  if (values['grace-period'] !== undefined) options.gracePeriodSeconds = integer('--grace-period', values['grace-period']);
  if (values['skip-wait-for-delete-timeout'] !== undefined) {
    options.skipWaitForDeleteTimeoutSeconds = integer('--skip-wait-for-delete-timeout', values['skip-wait-for-delete-timeout']);
  }
  const { kc, context } = loadKubeconfig(values.kubeconfig, values.context);
  if (!(await lockAllows(kc, context, node, `Drain of ${node}`, values['ignore-lock'], err, deps))) return 1;
  const api = apiFor(kc, context, node, deps);

  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  try {
    const print = (e: DrainEvent) => {
      if (e.stream === 'out') out(e.message);
      else if (e.stream === 'err') err(e.message);
      else if (e.type === 'warning') err(`Warning: ${e.pod ? `pod ${e.pod}: ` : ''}${e.message}`);
    };
    const result = await drainNode(api, node, options, {
      onEvent: print,
      signal: abort.signal,
      ...(deps.retryDelayMs !== undefined ? { retryDelayMs: deps.retryDelayMs } : {}),
      ...(deps.pollIntervalMs !== undefined ? { pollIntervalMs: deps.pollIntervalMs } : {}),
    });
    if (result.ok) return 0;
    err('There are pending nodes to be drained:');
    err(` ${node}`);
    for (const e of result.errors) err(e);
    return 1;
  } catch (e) {
    return failed(e, context, kc, err);
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

/** `kubeadm-upgrade cordon NODE`: `node/NODE cordoned` or `node/NODE already cordoned`. */
export function cordonCommand(argv: string[], out: Out, err: Out = stderr, deps: DrainCommandDeps = {}): Promise<number> {
  return cordonOrUncordon(true, argv, out, err, deps);
}

/** `kubeadm-upgrade uncordon NODE`: `node/NODE uncordoned` or `node/NODE already uncordoned`. */
export function uncordonCommand(argv: string[], out: Out, err: Out = stderr, deps: DrainCommandDeps = {}): Promise<number> {
  return cordonOrUncordon(false, argv, out, err, deps);
}

async function cordonOrUncordon(desired: boolean, argv: string[], out: Out, err: Out, deps: DrainCommandDeps): Promise<number> {
  const { values, positionals } = parse(argv, { ...connection });
  const node = nodeArg(positionals, desired ? CORDON_USAGE : UNCORDON_USAGE);
  const { kc, context } = loadKubeconfig(values.kubeconfig, values.context);
  if (!(await lockAllows(kc, context, node, `${desired ? 'Cordon' : 'Uncordon'} of ${node}`, values['ignore-lock'], err, deps))) return 1;
  const api = apiFor(kc, context, node, deps);
  try {
    out((await setCordon(api, node, desired)).message);
    return 0;
  } catch (e) {
    return failed(e, context, kc, err);
  }
}

/**
 * While another holder's Lease is live (an upgrade is running on this cluster), a manual drain, cordon or uncordon is
 * refused naming the holder, unless --ignore-lock (audited). A Lease that cannot be read does not stop it: the API
 * answers the operation itself.
 */
async function lockAllows(kc: KubeConfig, context: string, node: string, what: string, ignore: boolean, err: Out, deps: DrainCommandDeps): Promise<boolean> {
  const read = deps.lease ?? (deps.api ? undefined : () => new LeaseLock(kc).peek());
  const record = read ? await read().catch(() => undefined) : undefined;
  const refusal = liveLockRefusal(record, new Date(), what);
  if (!refusal) return true;
  const sink = deps.audit ?? (deps.api ? undefined : cliAudit(cliStateDir()).sink);
  sink?.(lockAnswerEntry({ cluster: context, node, what, refusal, answer: ignore ? 'went ahead despite the lock (--ignore-lock)' : 'refused', where: 'cli', now: new Date() }));
  if (ignore) {
    err(`warning: ${refusal.replace(/ refused: /, ': ')} Going ahead (--ignore-lock, audited).`);
    return true;
  }
  err(`${refusal} Re-run with --ignore-lock to do it anyway (audited).`);
  return false;
}

/** The drain API, audited: one line per cordon, uncordon, eviction and deletion. */
function apiFor(kc: KubeConfig, context: string, node: string, deps: DrainCommandDeps): DrainApi {
  const api = (deps.api ?? ((k) => new KubeDrainApi(k)))(kc);
  const sink = deps.audit ?? (deps.api ? undefined : cliAudit(cliStateDir()).sink);
  return sink ? auditedDrainApi(api, sink, { cluster: context, node, where: `API ${kc.getCurrentCluster()?.server ?? ''}` }) : api;
}

function nodeArg(positionals: string[], usage: string): string {
  if (positionals.length !== 1) throw new UsageError(`give exactly one NODE\nusage: ${usage}`);
  try {
    return validateNodeName(positionals[0]!);
  } catch (e) {
    if (e instanceof UnsafeValueError) throw new UsageError(e.message);
    throw e;
  }
}

function integer(flag: string, text: string): number {
  if (!/^-?\d+$/.test(text)) throw new UsageError(`${flag} ${text}: expected a whole number of seconds`);
  return Number(text);
}

/** The failure's line and exit code: 2 when the API could not be reached or used (failure.ts), 1 otherwise. */
function failed(e: unknown, context: string, kc: KubeConfig, err: Out): number {
  const f = classifyFailure(e);
  err(f.reason === 'failed' ? failureText(e, context, kc) : `error: ${f.message}`);
  return f.exitCode;
}

/** kubectl's wording for API refusals (`Error from server (NotFound): nodes "x" not found`), ours for the rest. */
function failureText(e: unknown, context: string, kc: KubeConfig): string {
  if (e instanceof ApiFailure && e.status !== undefined) {
    return `Error from server${e.reason ? ` (${e.reason})` : ''}: ${e.message}`;
  }
  return `error: ${describeFailure(context, kc.getCurrentCluster()?.server, failureFacts(e)).message}`;
}

function loadKubeconfig(file: string | undefined, contextName: string | undefined): { kc: KubeConfig; context: string } {
  const ctx = contextFor(file, contextName);
  return { kc: ctx.config, context: ctx.name };
}
