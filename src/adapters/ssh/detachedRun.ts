import { randomBytes } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
import { attachScript, lostResult, readStatus, statusMarker, stepFiles } from '../../core/exec/detached';
import type { RunOptions, RunResult } from '../../core/exec/executor';
import type { ShellCommand } from '../../core/exec/shell';

/** Internal to the SSH adapter: a run's raw stdout bytes (for log offsets) and whether it ended because the connection went away. */
export interface RawHooks {
  onStdout?: (b: Buffer) => void;
  dropped?: boolean;
}

/** What following a detached step needs from the executor that runs it. */
export interface DetachedDeps {
  /** One command on the node, reporting raw stdout bytes and drops through the hooks. */
  run(command: ShellCommand, options: RunOptions, hooks: RawHooks): Promise<RunResult>;
  /** The node, as messages name it. */
  readonly target: string;
  /** The waits before each re-attach after a drop; when used up the step is left running for resume. */
  readonly delaysMs: readonly number[];
  disposed(): boolean;
}

/**
 * A detached step (RunOptions.detached): start it unless it ever started, follow its log; after a drop,
 * reconnect with backoff and follow on from the last byte received. Never stops the step.
 */
export async function followDetached(on: DetachedDeps, command: ShellCommand, options: RunOptions): Promise<RunResult> {
  const d = options.detached!;
  const marker = statusMarker(randomBytes(12).toString('hex'));
  const decoder = new StringDecoder('utf8');
  const delays = on.delaysMs;
  let offset = 0;
  let stdout = '';
  let stderr = '';
  const started = Date.now();
  const reminder = options.timeoutMs && options.onStillRunning ? setInterval(() => options.onStillRunning!(Date.now() - started), options.timeoutMs) : undefined;
  const hooks: RawHooks = {
    onStdout: (b) => {
      offset += b.length;
      const text = decoder.write(b);
      stdout += text;
      if (text) options.onOutput?.(text, 'stdout');
    },
  };
  try {
    for (let attempt = 0; ; attempt++) {
      hooks.dropped = false;
      const r = await on.run(attachScript(command, d, offset, marker), options.sudo ? { sudo: true } : {}, hooks);
      const { rc, lost, rest } = readStatus(r.stderr, marker);
      stderr += rest;
      if (rest) options.onOutput?.(rest, 'stderr');
      if (rc !== undefined) return { exitCode: rc, stdout: stdout + decoder.end(), stderr };
      if (lost) return { ...lostResult(d, lost, on.target), stdout: stdout + decoder.end(), stderr };
      if (!hooks.dropped) {
        const why = r.failure ?? (r.exitCode === 125 ? `the run folder ${stepFiles(d).dir} could not be created (root-only)` : `exit code ${r.exitCode}`);
        const still = attempt > 0 ? `; the step keeps running on the node (log: ${stepFiles(d).log}): resume the upgrade to re-attach` : '';
        return { exitCode: null, stdout, stderr, failure: `could not ${attempt > 0 ? 're-attach to' : 'start or follow'} the step on the node: ${why}${still}` };
      }
      const wait = delays[attempt];
      if (wait === undefined) {
        return {
          exitCode: null,
          stdout,
          stderr,
          failure: `connection lost (${r.failure ?? 'dropped'}) and not back after ${delays.length} tries; the step keeps running on the node (log: ${stepFiles(d).log}): resume the upgrade to re-attach`,
        };
      }
      options.onNotice?.(`Connection to ${on.target} lost (${r.failure ?? 'dropped'}). The step keeps running on the node; re-attaching in ${Math.round(wait / 1000)} s…`);
      // Cancel ends this wait (not the step): while the node is out of reach there is nothing to follow.
      if (!(await sleepUnlessAborted(wait, options.signal))) {
        return { exitCode: null, stdout, stderr, failure: `cancelled while reconnecting to ${on.target}; the step may still be running on the node (log: ${stepFiles(d).log}): resume the upgrade to re-attach` };
      }
      if (on.disposed()) return { exitCode: null, stdout, stderr, failure: 'the SSH executor was disposed; the step keeps running on the node: resume to re-attach' };
    }
  } finally {
    if (reminder) clearInterval(reminder);
  }
}

/** Waits `ms`; false when `signal` aborted first (at once when it already had). */
export function sleepUnlessAborted(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(ok);
    };
    const onAbort = () => done(false);
    const timer = setTimeout(() => done(true), ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
