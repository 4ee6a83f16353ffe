/**
 * The one-upgrader-per-cluster rule, as pure decisions over a coordination.k8s.io/v1 Lease
 * (`kube-system/kubeadm-upgrade`). Every run, from the extension or the CLI, on any machine, takes this Lease
 * before it changes anything and renews it while it runs; a second run sees who holds it and since when.
 */

export const LOCK_NAMESPACE = 'kube-system';
export const LOCK_NAME = 'kubeadm-upgrade';
/** Long enough to ride out an apiserver restart during `kubeadm upgrade apply`; renewed every third of it. */
export const LOCK_DURATION_SECONDS = 90;

/** Who holds the lock. Stored in the Lease's holderIdentity and annotations, so `kubectl get lease -o yaml` shows it. */
export interface LockHolder {
  readonly user: string;
  readonly host: string;
  /** `vscode` or `cli`. */
  readonly tool: string;
  /** The run id (a node run or a cluster run): a resume of the same run may take its own lock back once it is dead. */
  readonly runId: string;
  /** The node(s) being upgraded right now, comma separated; empty between nodes. */
  readonly node: string;
  /**
   * The holding process: unique per process (pid and a random part), so a second process driving the same run — a
   * second terminal's `resume`, a second window — is never "mine". Empty in Leases written by older versions.
   */
  readonly process: string;
}

/** The Lease as the lock reads it; `undefined` fields were not set by the writer. */
export interface LeaseRecord {
  readonly holder: LockHolder | undefined;
  readonly holderIdentity: string | undefined;
  readonly acquireTime: Date | undefined;
  readonly renewTime: Date | undefined;
  readonly durationSeconds: number;
  readonly resourceVersion: string | undefined;
  readonly transitions: number;
}

/**
 * What one observer last saw of the Lease, and when by its own clock. As client-go's leader election does
 * (tools/leaderelection/leaderelection.go: observedRecord/observedTime, isLeaseValid), expiry is judged by when the
 * observer last saw the Lease change, never by the holder's own timestamps: a holder whose clock is 2 minutes slow
 * writes renewTimes that look expired right after it renewed.
 */
export interface LeaseObservation {
  /** resourceVersion, holder and renewTime as seen: any change means the holder (or someone) wrote it. */
  readonly seen: string;
  /** Milliseconds on the observer's clock when `seen` was first seen. */
  readonly since: number;
  readonly durationSeconds: number;
}

export type LockDecision =
  | { readonly kind: 'free' }
  /** This process holds it for this run already. */
  | { readonly kind: 'mine' }
  /**
   * Another process holds it and this observer has not seen it unchanged for a whole lease duration. `sameRun`: that
   * process drives the very run that wants the lock. `looksStale`: the holder's own timestamps say it stopped
   * renewing — a hint to offer watching it, never a reason to take it.
   */
  | { readonly kind: 'held'; readonly record: LeaseRecord; readonly sameRun: boolean; readonly looksStale: boolean }
  /** Seen unchanged for a whole lease duration by this observer's clock: its holder stopped renewing. */
  | { readonly kind: 'expired'; readonly record: LeaseRecord; readonly sameRun: boolean };

export function holderIdentity(h: LockHolder): string {
  return `${h.user}@${h.host}${h.process ? `:${h.process}` : ''}/${h.tool}/${h.runId}`;
}

/** The observation after reading `record` at `now` (the observer's clock): kept while the Lease is unchanged. */
export function observe(previous: LeaseObservation | undefined, record: LeaseRecord, now: Date): LeaseObservation {
  const seen = `${record.resourceVersion ?? ''}|${record.holderIdentity ?? ''}|${record.renewTime?.toISOString() ?? ''}`;
  if (previous && previous.seen === seen) return previous;
  return { seen, since: now.getTime(), durationSeconds: record.durationSeconds };
}

/** True once the observer has seen the Lease unchanged for its whole duration, by its own clock. */
export function observedExpired(o: LeaseObservation, now: Date): boolean {
  return now.getTime() - o.since >= o.durationSeconds * 1000;
}

/** What to do with the Lease as it is now, for a run that wants it; `observation` is this observer's view of `record`. */
export function decide(record: LeaseRecord | undefined, me: LockHolder, observation: LeaseObservation | undefined, now: Date): LockDecision {
  if (!record || !record.holderIdentity) return { kind: 'free' };
  if (record.holderIdentity === holderIdentity(me)) return { kind: 'mine' };
  const sameRun = record.holder?.runId === me.runId;
  if (observation && observedExpired(observation, now)) return { kind: 'expired', record, sameRun };
  return { kind: 'held', record, sameRun, looksStale: isExpired(record, now) };
}

/**
 * By the holder's own timestamps (renewTime + duration before `now`): the Lease looks abandoned. Clocks differ between
 * machines, so this is a hint (to offer watching it, or to word a message), never a reason to take the lock over.
 */
export function isExpired(record: LeaseRecord, now: Date): boolean {
  const last = record.renewTime ?? record.acquireTime;
  if (!last) return true;
  return now.getTime() > last.getTime() + record.durationSeconds * 1000;
}

/**
 * The holder's side: why it may no longer count on the lock when its last successful renewal (its own clock) is older
 * than the lease duration — others may have seen the Lease unchanged that long and taken it. Undefined while it is fine.
 */
export function renewalProblem(lastRenewedAt: number, now: Date, durationSeconds: number, lastError: string | undefined): string | undefined {
  const silent = now.getTime() - lastRenewedAt;
  if (silent <= durationSeconds * 1000) return undefined;
  return (
    `the cluster lock (Lease ${LOCK_NAMESPACE}/${LOCK_NAME}) could not be renewed for ${Math.round(silent / 1000)} s, longer than its ${durationSeconds} s duration` +
    `${lastError ? ` (last error: ${lastError})` : ''}, so another run may have taken it over`
  );
}

/** "alice@laptop (cli, run 2026…-cp-1, process 4242-1a2b, upgrading cp-2) since 2026-…Z, last renewed 12 s ago". */
export function describeHolder(record: LeaseRecord, now: Date): string {
  const h = record.holder;
  const who = h ? `${h.user}@${h.host} (${h.tool}, run ${h.runId}${h.process ? `, process ${h.process}` : ''}${h.node ? `, upgrading ${h.node}` : ''})` : (record.holderIdentity ?? 'unknown');
  const since = record.acquireTime ? ` since ${record.acquireTime.toISOString()}` : '';
  const renewed = record.renewTime ? `, last renewed ${Math.max(0, Math.round((now.getTime() - record.renewTime.getTime()) / 1000))} s ago` : '';
  return `${who}${since}${renewed}`;
}

/** Thrown when another process holds the lock (or holds one that looks abandoned and was not taken over). */
export class LockHeldError extends Error {
  constructor(
    readonly record: LeaseRecord,
    /** The holder looks (or was seen) dead: the message says how to take it over. */
    readonly expired: boolean,
    now: Date,
    /** Another process drives this very run. */
    readonly sameRun = false,
    /** Why, when it is not the plain refusal (e.g. "it was renewed while we watched"). */
    detail?: string,
  ) {
    super(
      (sameRun && !expired
        ? `This run is being driven by another live process: the Lease ${LOCK_NAMESPACE}/${LOCK_NAME} is held by ${describeHolder(record, now)}. Only one process may drive a run: let it finish there, or stop it there first.`
        : expired
          ? `The cluster upgrade lock (Lease ${LOCK_NAMESPACE}/${LOCK_NAME}) was held by ${describeHolder(record, now)} and has expired: that run probably died. Take it over only if you are sure it is not running.`
          : `Another upgrade is running on this cluster: the Lease ${LOCK_NAMESPACE}/${LOCK_NAME} is held by ${describeHolder(record, now)}. Wait for it to finish.`) +
        (detail ? ` ${detail}` : ''),
    );
  }
}

/** The Lease API refused us (403): the message says which verbs on which resource the user needs. */
export class LockForbiddenError extends Error {
  constructor(verb: string, detail: string) {
    super(
      `Cannot ${verb} the upgrade lock: RBAC does not allow this user to ${verb} Leases (coordination.k8s.io) in ${LOCK_NAMESPACE}. ` +
        `The upgrade needs get, create, update and delete on leases named ${LOCK_NAME} in ${LOCK_NAMESPACE} (kubeadm's admin.conf user has them). Server said: ${detail}`,
    );
  }
}

/**
 * How a run handles a lock that looks abandoned: ask the user (UI), or a flag (CLI). Yes means: watch the Lease for
 * its duration and take it over only if nobody renews it meanwhile.
 */
export type TakeOverExpired = (message: string) => Promise<boolean>;

/** The lock a run holds: set the node it is on, and release at the end. */
export interface HeldLock {
  readonly holder: LockHolder;
  /** Updates the node shown to others (best effort: a failure is reported, never fatal). */
  setNode(node: string): Promise<void>;
  /** Stops renewing and deletes the Lease if it is still ours. */
  release(): Promise<void>;
  /**
   * Why the run must stop at its next safe point: a renewal found the Lease taken by someone else, or renewals have
   * failed for longer than the lease duration (judged by this process's clock). Undefined while the lock is ours.
   */
  readonly lost: string | undefined;
  /**
   * The check at a safe point (before each node step): `lost`, except that when renewals have been failing it renews
   * once more first, so a lock that is still ours (nobody took it while the API was away) lets the run go on.
   */
  check(): Promise<string | undefined>;
}

/** The port: the adapter in src/adapters/k8s/leaseLock.ts implements it against the apiserver. */
export interface ClusterLock {
  /** `notice` hears what the lock is waiting for (watching a Lease that looks abandoned, up to its duration). */
  acquire(me: LockHolder, takeOverExpired: TakeOverExpired, notice?: (text: string) => void): Promise<HeldLock>;
  /** The current holder, for `status`-style messages; undefined when free. */
  peek(): Promise<LeaseRecord | undefined>;
}
