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
  /** The run id (a node run or a cluster run): a resume of the same run may take its own lock back. */
  readonly runId: string;
  /** The node(s) being upgraded right now, comma separated; empty between nodes. */
  readonly node: string;
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

export type LockDecision =
  | { readonly kind: 'free' }
  | { readonly kind: 'mine' }
  | { readonly kind: 'held'; readonly record: LeaseRecord }
  | { readonly kind: 'expired'; readonly record: LeaseRecord };

export function holderIdentity(h: LockHolder): string {
  return `${h.user}@${h.host}/${h.tool}/${h.runId}`;
}

/** What to do with the Lease as it is now, for a run that wants it. */
export function decide(record: LeaseRecord | undefined, me: LockHolder, now: Date): LockDecision {
  if (!record || !record.holderIdentity) return { kind: 'free' };
  if (record.holder?.runId === me.runId || record.holderIdentity === holderIdentity(me)) return { kind: 'mine' };
  return isExpired(record, now) ? { kind: 'expired', record } : { kind: 'held', record };
}

export function isExpired(record: LeaseRecord, now: Date): boolean {
  const last = record.renewTime ?? record.acquireTime;
  if (!last) return true;
  return now.getTime() > last.getTime() + record.durationSeconds * 1000;
}

/** "alice@laptop (cli, run 2026…-cp-1, upgrading cp-2) since 2026-…Z, last renewed 12 s ago". */
export function describeHolder(record: LeaseRecord, now: Date): string {
  const h = record.holder;
  const who = h ? `${h.user}@${h.host} (${h.tool}, run ${h.runId}${h.node ? `, upgrading ${h.node}` : ''})` : (record.holderIdentity ?? 'unknown');
  const since = record.acquireTime ? ` since ${record.acquireTime.toISOString()}` : '';
  const renewed = record.renewTime ? `, last renewed ${Math.max(0, Math.round((now.getTime() - record.renewTime.getTime()) / 1000))} s ago` : '';
  return `${who}${since}${renewed}`;
}

/** Thrown when another run holds the lock (or holds an expired one the user did not take over). */
export class LockHeldError extends Error {
  constructor(
    readonly record: LeaseRecord,
    readonly expired: boolean,
    now: Date,
  ) {
    super(
      expired
        ? `The cluster upgrade lock (Lease ${LOCK_NAMESPACE}/${LOCK_NAME}) was held by ${describeHolder(record, now)} and has expired: that run probably died. Take it over only if you are sure it is not running.`
        : `Another upgrade is running on this cluster: the Lease ${LOCK_NAMESPACE}/${LOCK_NAME} is held by ${describeHolder(record, now)}. Wait for it to finish.`,
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

/** How a run handles an expired lock: ask the user (UI), or a flag (CLI). */
export type TakeOverExpired = (message: string) => Promise<boolean>;

/** The lock a run holds: set the node it is on, and release at the end. */
export interface HeldLock {
  readonly holder: LockHolder;
  /** Updates the node shown to others (best effort: a failure is reported, never fatal). */
  setNode(node: string): Promise<void>;
  /** Stops renewing and deletes the Lease if it is still ours. */
  release(): Promise<void>;
  /** Set when a renewal found the Lease taken by someone else: the run must stop at its next safe point. */
  readonly lost: string | undefined;
}

/** The port: the adapter in src/adapters/k8s/leaseLock.ts implements it against the apiserver. */
export interface ClusterLock {
  acquire(me: LockHolder, takeOverExpired: TakeOverExpired): Promise<HeldLock>;
  /** The current holder, for `status`-style messages; undefined when free. */
  peek(): Promise<LeaseRecord | undefined>;
}
