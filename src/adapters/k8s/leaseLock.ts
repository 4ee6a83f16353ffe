import * as os from 'node:os';
import { randomBytes } from 'node:crypto';
import { CoordinationV1Api, V1MicroTime, type KubeConfig, type V1Lease } from '@kubernetes/client-node';
import {
  decide,
  holderIdentity,
  observe,
  renewalProblem,
  LOCK_DURATION_SECONDS,
  LOCK_NAME,
  LOCK_NAMESPACE,
  LockForbiddenError,
  LockHeldError,
  type ClusterLock,
  type HeldLock,
  type LeaseObservation,
  type LeaseRecord,
  type LockHolder,
  type TakeOverExpired,
} from '../../core/lock/lease';
import type { AuditEntry } from '../../core/audit/entry';
import { failureFacts } from './failure';
import { makeApiClient } from './apiClient';

const ANNOTATION = 'kubeadm-upgrade.io/';
const FIELDS = ['user', 'host', 'tool', 'runId', 'node', 'process'] as const;

/** This process as a lock holder: made once per process, so no other process (window, terminal) is ever "mine". */
export const PROCESS_ID = `${process.pid}-${randomBytes(4).toString('hex')}`;

/**
 * True only when the holder is known to be dead: it ran on this machine (same host name) and its process (the pid in
 * its process id) no longer exists. Anything else — another host, an old Lease without a process, a pid that exists
 * (maybe reused) — is not known dead.
 */
export function holderProcessGone(holder: LockHolder | undefined): boolean {
  if (!holder?.process || holder.host !== os.hostname()) return false;
  const pid = Number(holder.process.split('-')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** The Lease calls the lock makes (CoordinationV1Api's); unit tests give an in-memory one. */
export type LeaseApi = Pick<CoordinationV1Api, 'readNamespacedLease' | 'createNamespacedLease' | 'replaceNamespacedLease' | 'deleteNamespacedLease'>;

/** What the lock writes to the audit log: every create, renew, take-over and delete of the Lease. */
export type LockAudit = (action: string, detail: string) => void;

/** Lock actions as audit lines (an API action: no exit code of a node command, no duration). */
export function lockAuditTo(append: (entry: AuditEntry) => void, cluster: string, run = '-', node = '-'): LockAudit {
  return (action, detail) => append({ time: new Date().toISOString(), run, cluster, node, phase: action, command: detail, where: 'api', exitCode: 0, durationMs: 0 });
}

/**
 * The cluster lock as a real Lease. Creation is atomic (409 when someone else created it first) and every update is
 * a replace with the resourceVersion we read (409 when someone else wrote in between), so two runs racing for the
 * lock can never both win.
 */
export class LeaseLock implements ClusterLock {
  private readonly api: LeaseApi;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    kc: KubeConfig | undefined,
    private readonly audit: LockAudit = () => {},
    private readonly durationSeconds = LOCK_DURATION_SECONDS,
    private readonly now: () => Date = () => new Date(),
    /** Tests: an in-memory Lease API and a sleep that moves a fake clock. */
    deps: { readonly api?: LeaseApi; readonly sleep?: (ms: number) => Promise<void>; readonly processGone?: (h: LockHolder | undefined) => boolean } = {},
  ) {
    if (!deps.api && !kc) throw new Error('LeaseLock needs a kubeconfig');
    this.api = deps.api ?? makeApiClient(kc!, CoordinationV1Api);
    this.sleep = deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.processGone = deps.processGone ?? holderProcessGone;
  }

  private readonly processGone: (h: LockHolder | undefined) => boolean;

  async peek(): Promise<LeaseRecord | undefined> {
    const lease = await this.read();
    return lease ? toRecord(lease) : undefined;
  }

  /**
   * Free: created. Ours (this process, this run): renewed. Held by another process: refused at once, naming it, while
   * its own timestamps look alive. When they look abandoned, the same run (a resume after a crash) or a user who
   * agreed (takeOverExpired) watches it: taken over once this process has seen it unchanged for its whole duration
   * (the observer's clock, as client-go), refused as soon as it is renewed.
   */
  async acquire(me: LockHolder, takeOverExpired: TakeOverExpired, notice: (text: string) => void = () => {}): Promise<HeldLock> {
    let observation: LeaseObservation | undefined;
    let watching = false;
    for (let conflicts = 0; conflicts < 3; ) {
      const lease = await this.read();
      const record = lease ? toRecord(lease) : undefined;
      const now = this.now();
      if (record?.holderIdentity) {
        const next = observe(observation, record, now);
        if (watching && observation && next !== observation) {
          throw new LockHeldError(record, false, now, record.holder?.runId === me.runId, 'It was renewed while this process watched it, so its holder is alive.');
        }
        observation = next;
      }
      let d = decide(record, me, observation, now);
      // Its process is gone from this very machine: known dead, no need to watch it (a window reloaded, a CLI killed).
      if (d.kind === 'held' && this.processGone(d.record.holder)) {
        if (!d.sameRun) {
          const err = new LockHeldError(d.record, true, now, false, `Its process ${d.record.holder?.process ?? ''} no longer runs on this machine.`);
          if (!(await takeOverExpired(err.message))) throw err;
        }
        d = { kind: 'expired', record: d.record, sameRun: d.sameRun };
      }
      if (d.kind === 'held') {
        if (!watching) {
          if (!d.looksStale) throw new LockHeldError(d.record, false, now, d.sameRun);
          if (!d.sameRun) {
            const err = new LockHeldError(d.record, true, now);
            if (!(await takeOverExpired(err.message))) throw err;
          }
          watching = true;
          notice(
            `The Lease ${LOCK_NAMESPACE}/${LOCK_NAME} held by ${d.record.holderIdentity} looks abandoned; watching it for up to ${d.record.durationSeconds} s: it is taken over only if nobody renews it meanwhile.`,
          );
        }
        await this.sleep(Math.min(2000, (d.record.durationSeconds * 1000) / 10));
        continue;
      }
      try {
        if (d.kind === 'expired') this.audit('lease-take-over', `took over the lock of ${d.record.holderIdentity ?? 'unknown'}: its holder is gone (not renewed for ${d.record.durationSeconds} s as seen from here, or its process ended on this machine)`);
        const written = lease ? await this.write('update', this.body(me, lease, d.kind !== 'mine')) : await this.write('create', this.body(me, undefined, true));
        this.audit('lease-acquire', holderIdentity(me));
        return new Held(this, me, written, this.now);
      } catch (e) {
        // Someone wrote between our read and our write: read again and decide again.
        if (failureFacts(e).httpStatus === 409) {
          conflicts++;
          continue;
        }
        throw e;
      }
    }
    throw new Error(`Could not take the Lease ${LOCK_NAMESPACE}/${LOCK_NAME}: it kept changing while we tried (another run is starting right now?).`);
  }

  /** @internal used by Held */
  body(me: LockHolder, previous: V1Lease | undefined, newHolder: boolean): V1Lease {
    const now = new V1MicroTime(this.now().getTime());
    const spec = previous?.spec ?? {};
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name: LOCK_NAME,
        namespace: LOCK_NAMESPACE,
        ...(previous?.metadata?.resourceVersion ? { resourceVersion: previous.metadata.resourceVersion } : {}),
        labels: { 'app.kubernetes.io/managed-by': 'kubeadm-upgrade' },
        annotations: Object.fromEntries(FIELDS.map((f) => [`${ANNOTATION}${f}`, me[f]])),
      },
      spec: {
        holderIdentity: holderIdentity(me),
        leaseDurationSeconds: this.durationSeconds,
        acquireTime: newHolder || !spec.acquireTime ? now : new V1MicroTime(new Date(spec.acquireTime).getTime()),
        renewTime: now,
        leaseTransitions: (spec.leaseTransitions ?? 0) + (newHolder && previous ? 1 : 0),
      },
    };
  }

  /** @internal */
  async read(): Promise<V1Lease | undefined> {
    try {
      return await this.api.readNamespacedLease({ name: LOCK_NAME, namespace: LOCK_NAMESPACE });
    } catch (e) {
      const f = failureFacts(e);
      if (f.httpStatus === 404) return undefined;
      if (f.httpStatus === 403) throw new LockForbiddenError('read', f.serverMessage ?? f.message);
      throw e;
    }
  }

  /** @internal */
  async write(verb: 'create' | 'update', body: V1Lease): Promise<V1Lease> {
    try {
      return verb === 'create'
        ? await this.api.createNamespacedLease({ namespace: LOCK_NAMESPACE, body })
        : await this.api.replaceNamespacedLease({ name: LOCK_NAME, namespace: LOCK_NAMESPACE, body });
    } catch (e) {
      const f = failureFacts(e);
      if (f.httpStatus === 403) throw new LockForbiddenError(verb, f.serverMessage ?? f.message);
      throw e;
    }
  }

  /** @internal */
  async remove(resourceVersion: string | undefined): Promise<void> {
    try {
      await this.api.deleteNamespacedLease({ name: LOCK_NAME, namespace: LOCK_NAMESPACE, body: { preconditions: resourceVersion ? { resourceVersion } : {} } });
    } catch (e) {
      const f = failureFacts(e);
      if (f.httpStatus === 404 || f.httpStatus === 409) return;
      if (f.httpStatus === 403) throw new LockForbiddenError('delete', f.serverMessage ?? f.message);
      throw e;
    }
  }

  get renewEveryMs(): number {
    return (this.durationSeconds * 1000) / 3;
  }

  get leaseSeconds(): number {
    return this.durationSeconds;
  }

  log(action: string, detail: string): void {
    this.audit(action, detail);
  }
}

/**
 * A lock we hold: renewed on a timer until released. A failed renewal is retried at the next tick; when none has
 * succeeded for longer than the lease duration (this process's clock) the lock counts as lost, and the run stops at
 * its next safe point, saying why.
 */
class Held implements HeldLock {
  private timer: ReturnType<typeof setInterval> | undefined;
  private current: V1Lease;
  private holderNow: LockHolder;
  private chain: Promise<unknown> = Promise.resolve();
  /** Set when the Lease was found taken by someone else (final). */
  private taken: string | undefined;
  private lastRenewedAt: number;
  private lastError: string | undefined;

  constructor(
    private readonly lock: LeaseLock,
    readonly holder: LockHolder,
    lease: V1Lease,
    private readonly now: () => Date,
  ) {
    this.current = lease;
    this.holderNow = holder;
    this.lastRenewedAt = now().getTime();
    this.timer = setInterval(() => void this.renew(), lock.renewEveryMs);
    // The renewal timer must not keep a CLI process alive on its own.
    this.timer.unref?.();
  }

  get lost(): string | undefined {
    return this.taken ?? renewalProblem(this.lastRenewedAt, this.now(), this.lock.leaseSeconds, this.lastError);
  }

  async check(): Promise<string | undefined> {
    // At a safe point the Lease is read (and renewed) now, not at the next tick: a holder that took it since the last
    // renewal is seen before the next step starts on a node, not up to a renewal period later.
    await this.renew();
    const reason = this.lost;
    if (reason && !this.taken) this.lock.log('lease-lost', reason);
    return reason;
  }

  setNode(node: string): Promise<void> {
    this.holderNow = { ...this.holderNow, node };
    return this.renew();
  }

  /** Serialised: a renewal and a setNode never race each other with the same resourceVersion. */
  renew(): Promise<void> {
    const next = this.chain.then(async () => {
      if (this.taken || !this.timer) return;
      try {
        const fresh = await this.lock.read();
        if (!fresh || fresh.spec?.holderIdentity !== holderIdentity(this.holder)) {
          this.taken = `the Lease ${LOCK_NAMESPACE}/${LOCK_NAME} is now ${fresh ? `held by ${fresh.spec?.holderIdentity ?? 'unknown'}` : 'gone'}`;
          this.lock.log('lease-lost', this.taken);
          return;
        }
        this.current = await this.lock.write('update', this.lock.body(this.holderNow, fresh, false));
        this.lastRenewedAt = this.now().getTime();
        this.lastError = undefined;
      } catch (e) {
        // Transient (e.g. the apiserver restarting during `kubeadm upgrade apply`): the next tick tries again, and
        // `lost` says so once it has lasted longer than the lease.
        this.lastError = (e as Error).message;
      }
    });
    this.chain = next;
    return next;
  }

  async release(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.chain;
    this.timer = undefined;
    if (this.taken) return;
    const fresh = await this.lock.read().catch(() => this.current);
    if (fresh?.spec?.holderIdentity !== holderIdentity(this.holder)) return;
    await this.lock.remove(fresh.metadata?.resourceVersion);
    this.lock.log('lease-release', holderIdentity(this.holder));
  }
}

function toRecord(lease: V1Lease): LeaseRecord {
  const a = lease.metadata?.annotations ?? {};
  const get = (f: string) => a[`${ANNOTATION}${f}`];
  const holder = get('runId') ? { user: get('user') ?? '?', host: get('host') ?? '?', tool: get('tool') ?? '?', runId: get('runId')!, node: get('node') ?? '', process: get('process') ?? '' } : undefined;
  const date = (d: Date | string | undefined) => (d ? new Date(d) : undefined);
  return {
    holder,
    holderIdentity: lease.spec?.holderIdentity || undefined,
    acquireTime: date(lease.spec?.acquireTime),
    renewTime: date(lease.spec?.renewTime),
    durationSeconds: lease.spec?.leaseDurationSeconds ?? LOCK_DURATION_SECONDS,
    resourceVersion: lease.metadata?.resourceVersion,
    transitions: lease.spec?.leaseTransitions ?? 0,
  };
}

/** This process as a lock holder: the OS user and host name, the tool, the run, this process's own id. */
export function localHolder(tool: 'cli' | 'vscode', runId: string, node = ''): LockHolder {
  let user = process.env['USER'] ?? 'unknown';
  try {
    user = os.userInfo().username;
  } catch {
    // no passwd entry (containers): keep $USER
  }
  return { user, host: os.hostname(), tool, runId, node, process: PROCESS_ID };
}
