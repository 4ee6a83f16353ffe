import type { ClusterIdentity } from '../identity/clusterIdentity';
import type { Phase, PhaseId, UpgradeContext } from './phases';

export type PhaseStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

export interface PhaseState {
  readonly id: PhaseId;
  readonly title: string;
  status: PhaseStatus;
  startedAt?: string;
  endedAt?: string;
  /** The end of the step's output, kept for the failure report and resume. */
  outputTail?: string;
  error?: string;
  /** Node steps: the exit code of the last try (null: none was reported, e.g. the connection was lost). */
  exitCode?: number | null;
  /**
   * Detached node steps: which try this is (1 when absent). The node refuses to start a (run, step, attempt) twice,
   * so a resume re-attaches to a step that was still running, and only a step that ended with an exit code is
   * started again (as attempt + 1).
   */
  attempt?: number;
  /** The last try ended without an exit status (the node rebooted, its process was killed): the next one is a new try. */
  lost?: boolean;
}

/** `interrupted`: found `running` after a window reload or a crash, with nothing running it any more. */
export type RunStatus = 'running' | 'failed' | 'done' | 'cancelled' | 'interrupted';

/** One node's upgrade, persisted after every step so a failure or a window reload can resume from the failed step. */
export interface UpgradeRunState {
  readonly id: string;
  /**
   * The cluster it upgrades (src/core/identity), recorded before its first step; every step checks the cluster
   * reached is still this one. Absent in runs saved by older versions (not resumed once started: see claimRun).
   */
  identity?: ClusterIdentity;
  /** Refined while running: a glob package version is replaced by the exact build the repo offers. */
  context: UpgradeContext;
  readonly phases: PhaseState[];
  status: RunStatus;
  /** True once the drain started: from then on a failure leaves the node cordoned, and says so. */
  cordoned: boolean;
  error?: string;
  readonly createdAt: string;
  updatedAt: string;
}

export function newRunState(id: string, context: UpgradeContext, phases: readonly Phase[], now: Date): UpgradeRunState {
  return {
    id,
    context,
    phases: phases.map((p) => ({ id: p.id, title: p.title, status: 'pending' })),
    status: 'running',
    cordoned: false,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
}

/**
 * Lines the saved step states up with the steps as laid out now, by step id (a newer version of the extension may
 * have added, removed or reordered steps): known steps keep their state, new ones are pending.
 */
export function alignPhases(state: UpgradeRunState, phases: readonly Phase[]): void {
  const byId = new Map(state.phases.map((p) => [p.id, p]));
  const aligned = phases.map((p): PhaseState => byId.get(p.id) ?? { id: p.id, title: p.title, status: 'pending' });
  state.phases.splice(0, state.phases.length, ...aligned);
}

/** Index of the step a resume starts at: the failed one (kubeadm upgrade and package installs are idempotent). */
export function resumeIndex(state: UpgradeRunState, phases: readonly Phase[] = []): number {
  const finished = new Set(state.phases.filter((p) => p.status === 'done' || p.status === 'skipped').map((p) => p.id));
  const list = phases.length > 0 ? phases.map((p) => p.id) : state.phases.map((p) => p.id);
  const i = list.findIndex((id) => !finished.has(id));
  return i === -1 ? list.length : i;
}

/**
 * A run read back after a window reload or a crash: `running` there means nothing runs it any more, so it is
 * `interrupted` (resumable) rather than "upgrading" forever. The file itself is left as it is.
 */
export function asRestored(state: UpgradeRunState): UpgradeRunState {
  return state.status === 'running' ? { ...state, status: 'interrupted' } : state;
}

/** `upgrading 4/9` in the tree. */
export function progressLabel(state: UpgradeRunState): string {
  const done = state.phases.filter((p) => p.status === 'done' || p.status === 'skipped').length;
  const word = state.status === 'running' ? 'upgrading' : state.status === 'failed' ? 'upgrade failed at' : state.status === 'cancelled' ? 'upgrade cancelled at' : state.status === 'interrupted' ? 'upgrade interrupted at' : 'upgraded';
  return state.status === 'done' ? `${word} ${state.phases.length}/${state.phases.length}` : `${word} ${Math.min(done + 1, state.phases.length)}/${state.phases.length}`;
}

export function tail(text: string, max = 4000): string {
  return text.length <= max ? text : `…${text.slice(text.length - max)}`;
}
