/**
 * kubectl's waitForDelete, for every pod of a drain at once: one LIST of the node's pods per interval (instead of
 * one GET per pod per interval), each waited pod matched by UID — a pod with the same name but a new UID (a
 * StatefulSet's replacement) is a different pod, and the evicted one counts as gone.
 */
import type { DrainPod } from './types';

export type WaitOutcome = { kind: 'gone' } | { kind: 'skipped' } | { kind: 'error'; message: string };

export interface DeletionWaiterDeps {
  /** The node's pods (fieldSelector spec.nodeName), one request. */
  list(): Promise<DrainPod[]>;
  /** Sleeps one interval (resolves early when cancelled). */
  sleep(): Promise<void>;
  /** Why to stop waiting (cancelled, deadline), or undefined to go on. */
  stopped(): string | undefined;
  /** kubectl's skip-wait-for-delete-timeout: true when this still-present pod need not be waited for. */
  skip(current: DrainPod): boolean;
}

interface Waiter {
  readonly uid: string | undefined;
  readonly resolve: (o: WaitOutcome) => void;
}

export class DeletionWaiter {
  private waiters: Waiter[] = [];
  private running = false;
  constructor(private readonly deps: DeletionWaiterDeps) {}

  /** Resolves when `pod` (by UID) is no longer on the node, should be skipped, or the wait stops. */
  wait(pod: DrainPod): Promise<WaitOutcome> {
    return new Promise((resolve) => {
      this.waiters.push({ uid: pod.metadata?.uid, resolve });
      if (!this.running) void this.loop();
    });
  }

  private settleAll(o: WaitOutcome) {
    const all = this.waiters;
    this.waiters = [];
    for (const w of all) w.resolve(o);
  }

  private async loop(): Promise<void> {
    this.running = true;
    try {
      while (this.waiters.length > 0) {
        let pods: DrainPod[];
        try {
          pods = await this.deps.list();
        } catch (e) {
          this.settleAll({ kind: 'error', message: (e as Error).message });
          return;
        }
        const byUid = new Map<string | undefined, DrainPod>();
        for (const p of pods) byUid.set(p.metadata?.uid, p);
        // Every waiter is checked, including those added while the LIST was in flight: a UID missing from the answer
        // is gone for good (UIDs are never reused), and one still present is simply checked again next interval.
        this.waiters = this.waiters.filter((w) => {
          const current = byUid.get(w.uid);
          if (current === undefined) w.resolve({ kind: 'gone' });
          else if (this.deps.skip(current)) w.resolve({ kind: 'skipped' });
          else return true;
          return false;
        });
        if (this.waiters.length === 0) return;
        const why = this.deps.stopped();
        if (why !== undefined) return this.settleAll({ kind: 'error', message: why });
        await this.deps.sleep();
      }
    } finally {
      this.running = false;
    }
  }
}
