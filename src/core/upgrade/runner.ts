import { auditAround } from '../audit/record';
import { succeeded, type RunResult } from '../exec/executor';
import { compareVersions, formatVersion, parseVersion } from '../version';
import { parseAvailableVersions } from './packages';
import { phasesFor, type Phase, type PhaseId, type UpgradeContext } from './phases';
import type { UpgradeHooks } from './ports';
import { alignPhases, resumeIndex, tail, type PhaseState, type UpgradeRunState } from './state';

/**
 * Steps that run detached on the node (src/core/exec/detached.ts): interrupting them halfway is what hurts, so a
 * dropped connection, a reload or a timeout never does; Cancel waits for them to finish.
 */
const DETACHED_STEPS: ReadonlySet<PhaseId> = new Set<PhaseId>(['switch-repo', 'install-kubeadm', 'kubeadm-upgrade', 'install-kubelet', 'restart-kubelet']);
import { ReadyWaitFailed, waitNodeReady } from './waitReady';
import { confirmNodeHost, HOST_FACTS_COMMAND } from './nodeHost';

export class StepFailed extends Error {}

/**
 * Runs (or resumes) one node's upgrade from its first unfinished step. Stops at the first failure and leaves the
 * node cordoned once the drain has started; cancellation is honoured between steps (a running kubeadm or package
 * manager is never killed halfway) and inside drain and the wait for Ready, which are safe to interrupt.
 * Long node steps run detached on the node (DETACHED_STEPS): a resume of a step that was running re-attaches to it.
 */
export async function runUpgrade(state: UpgradeRunState, hooks: UpgradeHooks, signal?: AbortSignal): Promise<UpgradeRunState> {
  let phases = phasesFor(state.context);
  const now = () => (hooks.now ? hooks.now() : new Date());
  state.status = 'running';
  state.error = undefined;
  await persist();

  // Steps are matched by id, not position, so a run saved by an older layout resumes at the right step.
  alignPhases(state, phases);
  // Nothing runs on a host that is not this Node (an ssh_config pointing cp-2 at cp-3's address).
  const wrongHost = await checkHost(state, hooks);
  if (wrongHost) return finish('failed', wrongHost);
  await drainAgainIfUncordoned(state, hooks);
  const start = resumeIndex(state, phases);
  for (let i = start; i < phases.length; i++) {
    const phase = phases[i]!;
    alignPhases(state, phases);
    const ps = state.phases.find((p) => p.id === phase.id)!;
    // A step done before a repeated drain (see drainAgainIfUncordoned) stays done.
    if (i > start && ps.status === 'done') continue;
    if (signal?.aborted) return finish('cancelled', `Cancelled before "${phase.title}".${cordonNote()}`);
    const stop = await hooks.stopReason?.();
    if (stop) return finish('failed', `${stop}${cordonNote()}`);
    if (phase.confirm && !(await hooks.confirm(phase.confirm, phase, state.context))) {
      return finish('cancelled', `Not confirmed: "${phase.title}".${cordonNote()}`);
    }
    hooks.progress({ type: 'phase', index: i, total: phases.length, phase });
    // A try that ended with an exit code, or without one for good (`lost`: the node rebooted, its process was
    // killed), is over: running the step again is a new try. A step still 'running' (reload, crash) or that lost its
    // connection keeps its try, so the node re-attaches instead of restarting it.
    if (ps.status === 'failed' && (typeof ps.exitCode === 'number' || ps.lost)) ps.attempt = (ps.attempt ?? 1) + 1;
    ps.exitCode = undefined;
    ps.lost = undefined;
    ps.status = 'running';
    ps.startedAt = now().toISOString();
    ps.error = undefined;
    await persist();
    try {
      const context = state.context;
      ps.outputTail = await runPhase(phase, ps, state, hooks, signal);
      // The package check may have pinned the exact build (a new context): only then do the later steps change.
      if (state.context !== context) phases = phasesFor(state.context);
      ps.status = 'done';
      ps.endedAt = now().toISOString();
      await persist();
    } catch (e) {
      ps.status = 'failed';
      ps.endedAt = now().toISOString();
      ps.error = (e as Error).message;
      if (signal?.aborted) return finish('cancelled', `Cancelled during "${phase.title}".${cordonNote()}`);
      return finish('failed', `Step ${i + 1}/${phases.length} "${phase.title}" failed: ${ps.error}${cordonNote()}`);
    }
  }
  return finish('done');

  function cordonNote(): string {
    return state.cordoned ? ` ${state.context.node} is left cordoned (SchedulingDisabled): resume the upgrade, or uncordon it once it is healthy.` : '';
  }

  async function finish(status: UpgradeRunState['status'], error?: string): Promise<UpgradeRunState> {
    state.status = status;
    state.error = error;
    if (error) hooks.progress({ type: 'message', text: error });
    await persist();
    return state;
  }

  async function persist(): Promise<void> {
    state.updatedAt = now().toISOString();
    await hooks.save(state);
  }
}

/** The host check before the first step (when the API can say what the Node's host is): the refusal, or undefined. */
async function checkHost(state: UpgradeRunState, hooks: UpgradeHooks): Promise<string | undefined> {
  const node = state.context.node;
  const facts = await hooks.cluster.nodeHostFacts?.(node);
  if (!facts) return undefined;
  const r = await confirmNodeHost(hooks.executor, node, facts);
  hooks.audit({
    time: (hooks.now ? hooks.now() : new Date()).toISOString(),
    run: state.id,
    cluster: state.context.cluster,
    node,
    phase: 'confirm-host',
    command: HOST_FACTS_COMMAND,
    where: hooks.executor.description,
    exitCode: r.exitCode,
    durationMs: r.durationMs,
    ...(r.problem ? { failure: r.problem } : {}),
  });
  return r.problem;
}

/**
 * Resuming after the drain and before the uncordon: a node found schedulable again was uncordoned by hand (pods may
 * be back on it), so it is drained again before its next step.
 */
async function drainAgainIfUncordoned(state: UpgradeRunState, hooks: UpgradeHooks): Promise<void> {
  const drain = state.phases.find((p) => p.id === 'drain');
  const uncordon = state.phases.find((p) => p.id === 'uncordon');
  if (drain?.status !== 'done' || uncordon?.status === 'done') return;
  const status = await hooks.cluster.nodeStatus(state.context.node);
  if (!status || status.unschedulable) return;
  drain.status = 'pending';
  state.cordoned = false;
  hooks.progress({ type: 'message', text: `${state.context.node} is schedulable again since its drain (uncordoned by hand?): it is drained again before the next step.` });
}

async function runPhase(phase: Phase, ps: PhaseState, state: UpgradeRunState, hooks: UpgradeHooks, signal?: AbortSignal): Promise<string> {
  const ctx = state.context;
  const action = phase.action;
  switch (action.kind) {
    case 'node': {
      const detached = DETACHED_STEPS.has(phase.id);
      // Node commands are never killed by Cancel; for a detached step say so at once.
      const onAbort = () => hooks.progress({ type: 'message', text: `"${phase.title}" cannot stop safely now; it will finish, then the run stops.` });
      if (detached) signal?.addEventListener('abort', onAbort, { once: true });
      // Audited here, with the run id and the step: a start line before the command (a crash mid-`apply` leaves it)
      // and an end line after. The injected clock, as for the step times: tests and the audit log see the same time.
      // `again`: the try to start when this one provably never started (its end line says so).
      const once = (again: number | undefined) =>
        auditAround(
          (entry) => hooks.audit(entry),
          { run: state.id, cluster: ctx.cluster, node: ctx.node, phase: phase.id, command: action.command, where: hooks.executor.description },
          () =>
            hooks.executor.run(action.command, {
              sudo: action.sudo,
              timeoutMs: action.timeoutMs,
              auditedByCaller: true,
              onOutput: (text) => hooks.progress({ type: 'output', text }),
              ...(detached
                ? {
                    detached: { runId: state.id, step: `${phase.id}-${ps.attempt ?? 1}` },
                    onStillRunning: (ms: number) => stillRunning(phase, Math.round(ms / 60_000), hooks),
                    onNotice: (text: string) => hooks.progress({ type: 'message', text }),
                    // Never stops the step: only the wait to reconnect to a node that is out of reach (executor.ts).
                    ...(signal ? { signal } : {}),
                  }
                : {}),
            }),
          (result) => ({ exitCode: result.exitCode, failure: result.neverStarted && again ? startingAgain(result, again) : result.failure }),
          () => (hooks.now ? hooks.now() : new Date()),
        );
      let r: RunResult;
      try {
        const first = (ps.attempt ?? 1) + 1;
        r = await once(detached ? first : undefined);
        // A try that provably never started (the kill came between its folder and its start: no pid file, no log,
        // nothing runs it) did nothing: it is started again as a new try now, once, rather than reported as a failure
        // that would need another resume. Saved before it starts, so a crash now re-attaches to the new try.
        if (detached && r.neverStarted) {
          hooks.progress({ type: 'message', text: startingAgain(r, first) });
          ps.attempt = first;
          await hooks.save(state);
          r = await once(undefined);
        }
      } finally {
        signal?.removeEventListener('abort', onAbort);
      }
      ps.exitCode = r.exitCode;
      if (r.lost) ps.lost = true;
      const output = tail(`${r.stdout}${r.stderr ? `\n${r.stderr}` : ''}`);
      if (!succeeded(r)) {
        const last = lastLines(r.stderr || r.stdout, 3);
        throw new StepFailed(r.exitCode === null ? `${r.failure ?? 'no exit code was reported'}${last ? `: ${last}` : ''}` : `exit code ${r.exitCode}${last ? `: ${last}` : ''}`);
      }
      if (action.expect === 'kubeadm-version') checkKubeadmVersion(r.stdout, ctx);
      if (action.expect === 'package-available') {
        const exact = checkPackageAvailable(r.stdout, ctx);
        if (ctx.packageVersion.includes('*')) state.context = { ...ctx, packageVersion: exact };
      }
      return output;
    }
    case 'drain':
      state.cordoned = true;
      await hooks.save(state);
      await hooks.cluster.drain(ctx.node, ctx.options.drain, (text) => hooks.progress({ type: 'message', text }), signal);
      return '';
    case 'wait-ready':
      return waitReady(ctx, hooks, signal);
    case 'uncordon':
      await hooks.cluster.uncordon(ctx.node);
      state.cordoned = false;
      return '';
  }
}

/** The never-started try's report and what happens next (the progress message and its audit end line). */
function startingAgain(r: RunResult, attempt: number): string {
  return `${r.failure ?? 'the step never started'}: starting it again as try ${attempt}`;
}

function stillRunning(phase: Phase, minutes: number, hooks: UpgradeHooks): void {
  if (hooks.stillRunning) hooks.stillRunning(phase, minutes);
  else hooks.progress({ type: 'message', text: `"${phase.title}" is still running after ${minutes} min; it is not stopped (waiting for it to finish).` });
}

function checkKubeadmVersion(stdout: string, ctx: UpgradeContext): void {
  const v = parseVersion(stdout.trim().split(/\s+/).pop());
  if (!v || compareVersions(v, ctx.target) !== 0) {
    throw new StepFailed(`kubeadm reports ${stdout.trim() || 'nothing'}, expected ${formatVersion(ctx.target)}: the package did not install the target version.`);
  }
}

/** The exact package version of the target in the repo's listing; throws when the repo does not offer it. */
function checkPackageAvailable(stdout: string, ctx: UpgradeContext): string {
  const available = parseAvailableVersions(stdout, 'kubeadm');
  const match = available.find((p) => compareVersions(p.version, ctx.target) === 0);
  if (match) return match.packageVersion;
  const list = available.slice(0, 8).map((p) => p.packageVersion).join(', ') || 'none';
  throw new StepFailed(`the package repository does not offer kubeadm ${formatVersion(ctx.target)} (available: ${list}). Check the repo file's minor and run the package index refresh.`);
}

async function waitReady(ctx: UpgradeContext, hooks: UpgradeHooks, signal?: AbortSignal): Promise<string> {
  try {
    return await waitNodeReady({
      node: ctx.node,
      target: ctx.target,
      timeoutSeconds: ctx.options.readyTimeoutSeconds,
      cluster: hooks.cluster,
      progress: (text) => hooks.progress({ type: 'message', text }),
      ...(hooks.sleep ? { sleep: hooks.sleep } : {}),
      ...(signal ? { signal } : {}),
    });
  } catch (e) {
    throw e instanceof ReadyWaitFailed ? new StepFailed(e.message) : e;
  }
}

function lastLines(text: string, n: number): string {
  return text.trim().split('\n').slice(-n).join(' | ').slice(0, 600);
}
