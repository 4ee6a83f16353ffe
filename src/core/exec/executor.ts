import type { DetachedStep } from './detached';
import type { ShellCommand } from './shell';

export interface RunResult {
  /** null when the command did not report one (killed, connection lost, terminal without shell integration). */
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Why there is no exit code, in words for the user ("connection dropped", "timed out after 300 s"). */
  readonly failure?: string;
  /**
   * A detached step that ended without an exit status: the node rebooted or its process was killed (readStatus's
   * `lost`). It will never report one, so running the step again is a new try, not a re-attach.
   */
  readonly lost?: boolean;
  /**
   * With `lost`: the step provably never started (no pid file, no log, no process runs it): nothing of it ran on the
   * node, so it is started again as a new try at once rather than reported as a failure.
   */
  readonly neverStarted?: boolean;
}

export interface RunOptions {
  /** Run as root: adds sudo when the login is not root (the executor knows how to answer its prompt). */
  readonly sudo?: boolean;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly onOutput?: (chunk: string, stream: 'stdout' | 'stderr') => void;
  /**
   * Run detached on the node (src/core/exec/detached.ts): the step outlives the connection; after a drop the
   * executor reconnects (bounded backoff) and re-attaches to the same step; running the same step again (resume
   * after a reload) re-attaches instead of starting it twice. Such a step is never stopped: `signal` and
   * `timeoutMs` do not kill it; `timeoutMs` becomes the interval of `onStillRunning` reminders; `signal` only ends
   * the wait to reconnect after a drop. Its end is always seen: its exit status, or `lost` within seconds of its
   * process's death (a reboot, a kill), or the connection not back after the reconnect delays.
   * Executors that cannot detach (the local shell) run the command as usual, without the kill on timeout.
   */
  readonly detached?: DetachedStep;
  /** With `detached`: the step has been running `elapsedMs` (called every `timeoutMs`). */
  readonly onStillRunning?: (elapsedMs: number) => void;
  /** With `detached`: what the executor is doing about the connection ("connection dropped; reconnecting in 2 s"). */
  readonly onNotice?: (text: string) => void;
  /**
   * The caller writes this command's audit lines itself, with more to say (the upgrade runner: run id and step): an
   * audit wrapper around the executor (AuditedExecutor) then writes none, so nothing is logged twice.
   */
  readonly auditedByCaller?: boolean;
}

/**
 * Runs commands on one node. Implemented over SSH (src/adapters/ssh), in a VS Code terminal
 * (src/adapters/terminal), and by a local shell for tests. One executor per node, reused for every step.
 */
export interface NodeExecutor {
  /** Where commands run, for logs and the audit file: `ssh root@10.0.0.11:22`, `terminal cp-1`. */
  readonly description: string;
  run(command: ShellCommand, options?: RunOptions): Promise<RunResult>;
  /**
   * Streams a root-readable file's bytes from `offset` to its end (as root), each chunk to `onChunk` as it arrives:
   * the file is never held in memory. A drop ends the run with `exitCode: null`; the caller resumes from the bytes it
   * got. Executors that cannot carry bytes (a terminal) leave this out.
   */
  readFile?(path: string, offset: number, onChunk: (chunk: Uint8Array) => void, options?: { readonly signal?: AbortSignal; readonly timeoutMs?: number }): Promise<RunResult>;
  /** Copies a local file to `remotePath` on the node (root-owned, mode 0600), reporting bytes sent. Throws on failure. */
  writeFile?(localPath: string, remotePath: string, onBytes?: (done: number, total: number) => void): Promise<void>;
  dispose(): void;
}

/** A run counts as success only with exit code 0: a missing exit code is a failure, never a success. */
export function succeeded(r: RunResult): boolean {
  return r.exitCode === 0;
}
