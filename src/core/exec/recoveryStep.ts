import { auditAround } from '../audit/record';
import type { AuditEntry } from '../audit/entry';
import { validateDetachedStep } from './detached';
import type { NodeExecutor, RunResult } from './executor';
import { validateNodeName, type ShellCommand } from './shell';

/** A recovery step the backups view offered ("Run…"), for one node. */
export interface RecoveryStep {
  readonly context: string;
  readonly node: string;
  readonly title: string;
  /** Exactly the text the view showed (the host checked it was offered). */
  readonly command: ShellCommand;
  readonly danger: 'safe' | 'restore';
}

export interface RecoveryDeps {
  /** The node's own executor: SSH, or a terminal the extension opened as an ssh session to that node. */
  readonly executor: NodeExecutor;
  /** Modal confirmation showing `detail` (where it runs and the exact command). */
  confirm(question: string, detail: string): Promise<boolean>;
  /** Streamed output, plus the header and the exit code line. */
  output(text: string): void;
  audit(entry: AuditEntry): void;
  now?(): Date;
}

/**
 * Runs a recovery step on its node, through that node's executor and nowhere else (never typed into whatever
 * terminal happens to carry the node's name: it may be a local shell). Asks first, streams the output, returns the
 * exit code, and writes an audit entry. As root (the commands carry their own `sudo`, which is a no-op for root);
 * detached on the node, so a dropped connection does not stop a restore or a `kubeadm upgrade` halfway.
 * undefined: not confirmed, nothing ran.
 */
let sequence = 0;

export async function runRecoveryStep(step: RecoveryStep, deps: RecoveryDeps): Promise<RunResult | undefined> {
  validateNodeName(step.node);
  const ex = deps.executor;
  const restore = step.danger === 'restore' ? 'This changes the node (files or services).\n' : '';
  const ok = await deps.confirm(`${step.title} on ${step.node}?`, `${restore}It runs on ${step.node} as root, through ${ex.description}.\n\n${step.command}`);
  if (!ok) return undefined;
  const now = deps.now ?? (() => new Date());
  const started = now();
  // Unique per click (two clicks in one second are two runs): the node never re-attaches one to the other.
  const runId = `recovery-${started.toISOString().replace(/[-:.]/g, '')}-${++sequence}-${step.node}`;
  deps.output(`$ ${step.command}   # on ${step.node} via ${ex.description}\n`);
  const r = await auditAround(
    (entry) => deps.audit(entry),
    { run: runId, cluster: step.context, node: step.node, phase: `recovery: ${step.title}`, command: step.command, where: ex.description },
    () => ex.run(step.command, { sudo: true, auditedByCaller: true, detached: validateDetachedStep({ runId, step: 'step' }), onOutput: (t) => deps.output(t) }),
    (result) => ({ exitCode: result.exitCode, failure: result.failure }),
    now,
  );
  deps.output(`\n${r.exitCode === null ? `no exit code: ${r.failure ?? 'unknown'}` : `exit code ${r.exitCode}`}\n`);
  return r;
}
