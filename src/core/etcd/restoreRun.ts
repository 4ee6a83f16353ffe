import { validateDetachedStep } from '../exec/detached';
import { succeeded, type NodeExecutor, type RunResult } from '../exec/executor';
import { parseEndpointStatus } from './parse';
import type { AuditEntry } from '../audit/entry';
import { planSteps, type RestorePlan, type RestoreStep } from './restorePlan';

/**
 * Runs a RestorePlan: every step in order, node by node, each through that node's own executor, as root, detached on
 * the node (a dropped connection does not stop a restore halfway), each audited when it starts and when it ends. The
 * caller asked for ONE confirmation of the whole plan before calling this. The first failing step stops the procedure
 * (an optional one — a worker's kubelet — is reported and passed); the outcome says what was done and how to go on.
 */

export type RestoreEvent =
  | { readonly type: 'step'; readonly index: number; readonly total: number; readonly step: RestoreStep }
  | { readonly type: 'output'; readonly text: string }
  | { readonly type: 'message'; readonly text: string };

export interface RestoreRunDeps {
  executorFor(node: string): Promise<NodeExecutor>;
  /**
   * Copies the local snapshot to `nodePath` on the node (root-owned, 0600), reporting bytes. Absent when the node's
   * executor cannot transfer files (a terminal): the step then fails saying to copy it there first.
   */
  upload?(node: string, executor: NodeExecutor, localPath: string, nodePath: string, onBytes: (done: number, total: number) => void): Promise<void>;
  audit(entry: AuditEntry): void;
  progress(event: RestoreEvent): void;
  now(): Date;
}

export interface RestoreOutcome {
  readonly ok: boolean;
  readonly runId: string;
  readonly done: readonly string[];
  readonly failed?: { readonly step: string; readonly node: string | null; readonly message: string };
  readonly warnings: readonly string[];
  /** From the etcd check: the restored cluster's id and members. */
  readonly etcd?: { readonly clusterId: string; readonly members: number };
  /** What to do after a failure: where things were left. */
  readonly recovery: readonly string[];
}

export class RestoreRefused extends Error {}

export async function runRestorePlan(plan: RestorePlan, deps: RestoreRunDeps): Promise<RestoreOutcome> {
  if (!plan.runnable) throw new RestoreRefused('this plan is for your own tooling (external etcd): copy its steps, nothing is run');
  const runId = validateDetachedStep({ runId: `restore-${plan.stamp}`, step: 'x' }).runId;
  const steps = planSteps(plan);
  const done: string[] = [];
  const warnings: string[] = [];
  let etcd: RestoreOutcome['etcd'];
  for (const [index, step] of steps.entries()) {
    deps.progress({ type: 'step', index, total: steps.length, step });
    const result = await runStep(plan, step, runId, deps).catch((e: unknown): StepResult => ({ error: e instanceof Error ? e.message : String(e) }));
    if (result.etcd) etcd = result.etcd;
    const failure = result.error;
    if (failure !== undefined) {
      if (step.optional) {
        warnings.push(`${step.node}: ${step.title}: ${failure}`);
        deps.progress({ type: 'message', text: `warning: ${step.node}: ${step.title} failed (${failure}); going on` });
        continue;
      }
      return { ok: false, runId, done, failed: { step: step.id, node: step.node, message: failure }, warnings, ...(etcd ? { etcd } : {}), recovery: recoveryAfter(plan, step) };
    }
    done.push(step.id);
  }
  return { ok: true, runId, done, warnings, ...(etcd ? { etcd } : {}), recovery: [] };
}

/** `error`: why the step failed; `etcd`: the etcd check's findings when it passed. */
interface StepResult {
  readonly error?: string;
  readonly etcd?: { readonly clusterId: string; readonly members: number };
}

async function runStep(plan: RestorePlan, step: RestoreStep, runId: string, deps: RestoreRunDeps): Promise<StepResult> {
  const node = step.node!;
  const executor = await deps.executorFor(node);
  const run = async (command: typeof step.command, phase: string, detachedStep: string | null): Promise<RunResult> => {
    const started = deps.now();
    const base = { time: started.toISOString(), run: runId, cluster: plan.cluster, node, phase, command, where: executor.description };
    deps.audit({ ...base, exitCode: null, durationMs: 0, failure: 'started' });
    const r = await executor.run(command, {
      sudo: true,
      timeoutMs: 600_000,
      onOutput: (text) => deps.progress({ type: 'output', text }),
      ...(detachedStep ? { detached: validateDetachedStep({ runId, step: detachedStep }), onNotice: (text: string) => deps.progress({ type: 'message', text }) } : {}),
    });
    deps.audit({ ...base, time: deps.now().toISOString(), exitCode: r.exitCode, durationMs: deps.now().getTime() - started.getTime(), ...(r.failure ? { failure: r.failure } : {}) });
    return r;
  };
  const why = (r: RunResult) => (r.exitCode === null ? r.failure ?? 'no exit code' : `exit code ${r.exitCode}`) + (lastLines(r.stderr || r.stdout) ? `: ${lastLines(r.stderr || r.stdout)}` : '');

  if (step.kind === 'stage-snapshot') {
    // A read-only check, not detached: run again after a copy.
    const present = await run(step.command, `restore-etcd: ${step.title}`, null);
    if (succeeded(present)) return {};
    if (present.exitCode !== 3) return { error: why(present) };
    const local = plan.snapshot.localPath;
    if (!local) return { error: `${plan.snapshot.nodePath} is not on ${node} and there is no local copy to send` };
    if (!deps.upload) return { error: `${plan.snapshot.nodePath} is not on ${node}, and ${executor.description} cannot copy files: copy ${local} there (root, 0600) and run again` };
    deps.progress({ type: 'message', text: `copying ${local} to ${node}:${plan.snapshot.nodePath}` });
    let shown = -1;
    await deps.upload(node, executor, local, plan.snapshot.nodePath, (doneBytes, total) => {
      const pct = total ? Math.floor((doneBytes / total) * 100) : 100;
      if (pct >= shown + 10 || doneBytes === total) {
        shown = pct;
        deps.progress({ type: 'message', text: `${node}: ${doneBytes} of ${total} bytes` });
      }
    });
    const again = await run(step.command, `restore-etcd: ${step.title} (after the copy)`, null);
    return succeeded(again) ? {} : { error: `the copy on ${node} does not have sha256 ${plan.snapshot.sha256}: ${why(again)}` };
  }

  const r = await run(step.command, `restore-etcd: ${step.title}`, step.id);
  if (!succeeded(r)) return { error: why(r) };
  if (step.kind !== 'check-etcd') return {};
  const checked = checkRestoredEtcd(r.stdout, plan.members.length);
  return typeof checked === 'string' ? { error: checked } : { etcd: checked };
}

/** One cluster id across every member, as many members as were restored, no member reporting errors. */
export function checkRestoredEtcd(statusJson: string, expectedMembers: number): string | { clusterId: string; members: number } {
  let statuses;
  try {
    statuses = parseEndpointStatus(statusJson);
  } catch (e) {
    return `could not read etcdctl endpoint status: ${(e as Error).message}`;
  }
  const ids = [...new Set(statuses.map((s) => s.clusterId))];
  if (ids.length !== 1 || !ids[0]) return `members report ${ids.length} cluster ids (${ids.join(', ') || 'none'}): not one cluster`;
  if (statuses.length !== expectedMembers) return `${statuses.length} member(s) answer, ${expectedMembers} were restored`;
  const errs = statuses.filter((s) => s.errors.length > 0);
  if (errs.length) return `member errors: ${errs.map((s) => `${s.endpoint}: ${s.errors.join('; ')}`).join(' | ')}`;
  return { clusterId: ids[0], members: statuses.length };
}

/** Where a stopped procedure left things, by how far it got. */
function recoveryAfter(plan: RestorePlan, failed: RestoreStep): string[] {
  const parked = `/var/lib/kubeadm-upgrade/restore/${plan.stamp}/manifests`;
  const order = plan.phases.map((p) => p.id);
  const at = order.indexOf(failed.phase);
  const out: string[] = [];
  if (at <= order.indexOf('prepare')) return ['Nothing was stopped: the cluster runs as before. Fix the cause and run again.'];
  if (at <= order.indexOf('restore')) {
    out.push(`Stopped components' manifests are parked in ${parked} on each control plane; the data dirs that were not yet restored are untouched.`);
    out.push(`To go back without restoring: move ${parked}/*.yaml back to /etc/kubernetes/manifests/ on every control plane (etcd first). To go on: fix the cause and run restore-etcd again with the same snapshot (a new run stops nothing twice and restores every member again).`);
  } else {
    out.push(`Every member was restored (previous data in <data-dir>/.before-restore-${plan.stamp}/member). Manifests still parked are in ${parked}: move them back to /etc/kubernetes/manifests/ (etcd before kube-apiserver), then check with etcdctl endpoint health --cluster and kubectl get nodes.`);
  }
  return out;
}

function lastLines(text: string, n = 3): string {
  return text.trim().split('\n').slice(-n).join(' ').trim();
}
