import type { AuditEntry } from '../audit/entry';
import { decide, LockHeldError, type LeaseRecord, type LockHolder } from './lease';

/**
 * A manual operation (Drain, Cordon, Uncordon, a recovery step, a backups cleanup) is no run: it takes no Lease. It
 * looks at it, though: while another holder's Lease is live, someone is upgrading this cluster, and a drain or an
 * uncordon under its feet would fight the run. Such an operation is refused naming the holder (the CLI), or asked
 * about with the holder named and the answer audited (the extension).
 */
const MANUAL: LockHolder = { user: '', host: '', tool: 'manual', runId: '\u0000manual operation', node: '', process: '' };

/** Why `what` should not go ahead now (the holder, since when, last renewal), or undefined when no live Lease is held. */
export function liveLockRefusal(record: LeaseRecord | undefined, now: Date, what: string): string | undefined {
  // A manual operation does not watch the Lease for its duration (a run taking it over does): it judges by the
  // holder's own renewals, and a Lease not renewed within its duration is a dead run's, which does not stop it.
  const d = decide(record, MANUAL, undefined, now);
  if (d.kind !== 'held' || d.looksStale) return undefined;
  return `${what} refused: ${new LockHeldError(d.record, false, now).message}`;
}

/** The audit line of a manual operation done, or not, while another holder's Lease was live. */
export function lockAnswerEntry(o: { cluster: string; node: string; what: string; refusal: string; answer: string; where: string; now: Date }): AuditEntry {
  return { time: o.now.toISOString(), run: 'manual', cluster: o.cluster, node: o.node, phase: 'despite-lock', command: `${o.what}: ${o.answer} (${o.refusal})`, where: o.where, exitCode: o.answer.startsWith('went ahead') ? 0 : 1, durationMs: 0 };
}
