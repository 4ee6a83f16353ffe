import type { CommandContext } from './commandContext';
import type { CommandId } from './ids';

/**
 * One command, the way the wrapper runs it (GitLens' command base is the model: the argument is parsed once into a
 * context, then the command runs): `resolve` finds what it acts on from its argument (tree item, palette, webview),
 * `run` does its one job, and an error from either is reported here, once, as `Kubeadm: <failure>: <error>`.
 */
export interface CommandSpec<T> {
  readonly id: CommandId;
  /** What the command acts on; undefined when there is nothing to do (the user cancelled, or was told why). */
  resolve(c: CommandContext): Promise<T | undefined>;
  run(target: T, c: CommandContext): Promise<void>;
  /** What could not be done, for the error message: `cannot upgrade cp-1`. Default: `<id> failed`. */
  failure?(target: T): string;
}

/** For commands that act on nothing in particular (Refresh all, Choose Kubeconfig…). */
export const NO_TARGET = (): Promise<null> => Promise.resolve(null);

/** An error that names what could not be done itself; reported as `Kubeadm: <what>: <cause>`. */
export class CommandFailure extends Error {
  constructor(what: string, cause: unknown) {
    super(`${what}: ${messageOf(cause)}`);
  }
}

/** Resolves the target, runs the command, and reports what failed; never rejects (VS Code would show its own toast). */
export async function runCommand<T>(spec: CommandSpec<T>, c: CommandContext): Promise<void> {
  let target: T | undefined;
  try {
    target = await spec.resolve(c);
    if (target === undefined) return;
    await spec.run(target, c);
  } catch (e) {
    if (e instanceof CommandFailure) c.ui.error(`Kubeadm: ${e.message}`);
    else c.ui.error(`Kubeadm: ${target !== undefined && spec.failure ? spec.failure(target) : `${spec.id} failed`}: ${messageOf(e)}`);
  }
}

export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
