import type { AuditEntry } from './entry';

/** What an audited action is: everything of its lines but the times, the outcome and the pairing. */
export type AuditFields = Omit<AuditEntry, 'time' | 'exitCode' | 'durationMs' | 'failure' | 'id' | 'stage'>;

export interface AuditOutcome {
  readonly exitCode: number | null;
  readonly failure?: string | undefined;
}

let sequence = 0;

/** A new id for one action's two lines: its start time, a sequence in this process and a random part. */
export function auditId(at: Date): string {
  return `${at.getTime().toString(36)}-${(++sequence).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * Runs `action` between its two audit lines: the start, written before anything happens (so a crash, a kill or a
 * lost machine mid-action still leaves a trace), and the end with the exit code, duration and failure. Both carry
 * the same id and the start time. A throw is recorded as no exit code with its first line, then rethrown. When the
 * start line cannot be written the action does not run: nothing is done unaudited.
 */
export async function auditAround<R>(
  sink: (entry: AuditEntry) => void,
  fields: AuditFields,
  action: () => Promise<R>,
  outcome: (result: R) => AuditOutcome,
  clock: () => Date = () => new Date(),
): Promise<R> {
  const started = clock();
  const base = { ...fields, time: started.toISOString(), id: auditId(started) };
  const took = () => Math.max(0, clock().getTime() - started.getTime());
  sink({ ...base, stage: 'start', exitCode: null, durationMs: 0 });
  let result: R;
  try {
    result = await action();
  } catch (e) {
    sink({ ...base, stage: 'end', exitCode: null, durationMs: took(), failure: firstLine(e) });
    throw e;
  }
  const o = outcome(result);
  sink({ ...base, stage: 'end', exitCode: o.exitCode, durationMs: took(), ...(o.failure ? { failure: o.failure } : {}) });
  return result;
}

/** The ids whose end line is in `entries`: their start lines say nothing more and readers skip them. */
export function endedIds(entries: readonly { readonly id?: string | undefined; readonly stage?: string | undefined }[]): Set<string> {
  return new Set(entries.flatMap((e) => (e.stage === 'end' && e.id ? [e.id] : [])));
}

/** A start line whose end is also there (the action is read from its end line). */
export function isEndedStart(e: { readonly id?: string | undefined; readonly stage?: string | undefined }, ended: ReadonlySet<string>): boolean {
  return e.stage === 'start' && !!e.id && ended.has(e.id);
}

export function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0]!.slice(0, 500);
}
