import * as os from 'node:os';
import { CoordinationV1Api, V1MicroTime, type KubeConfig, type V1Lease } from '@kubernetes/client-node';
import {
  decide,
  holderIdentity,
  LOCK_DURATION_SECONDS,
  LOCK_NAME,
  LOCK_NAMESPACE,
  LockForbiddenError,
  LockHeldError,
  type ClusterLock,
  type HeldLock,
  type LeaseRecord,
  type LockHolder,
  type TakeOverExpired,
} from '../../core/lock/lease';
import type { AuditEntry } from '../../core/upgrade/ports';
import { failureFacts } from './failure';
import { makeApiClient } from './apiClient';

const ANNOTATION = 'kubeadm-upgrade.io/';
const FIELDS = ['user', 'host', 'tool', 'runId', 'node'] as const;

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
  private readonly api: CoordinationV1Api;

  constructor(
    kc: KubeConfig,
    private readonly audit: LockAudit = () => {},
    private readonly durationSeconds = LOCK_DURATION_SECONDS,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.api = makeApiClient(kc, CoordinationV1Api);
  }

  async peek(): Promise<LeaseRecord | undefined> {
    const lease = await this.read();
    return lease ? toRecord(lease) : undefined;
  }

  async acquire(me: LockHolder, takeOverExpired: TakeOverExpired): Promise<HeldLock> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const lease = await this.read();
      const record = lease ? toRecord(lease) : undefined;
      const d = decide(record, me, this.now());
      try {
        if (d.kind === 'held') throw new LockHeldError(d.record, false, this.now());
        if (d.kind === 'expired') {
          const err = new LockHeldError(d.record, true, this.now());
          if (!(await takeOverExpired(err.message))) throw err;
          this.audit('lease-take-over', `took over the expired lock of ${d.record.holderIdentity ?? 'unknown'}`);
        }
        const written = lease ? await this.write('update', this.body(me, lease, d.kind !== 'mine')) : await this.write('create', this.body(me, undefined, true));
        this.audit('lease-acquire', holderIdentity(me));
        return new Held(this, me, written);
      } catch (e) {
        // Someone wrote between our read and our write: read again and decide again.
        if (failureFacts(e).httpStatus === 409) continue;
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

  log(action: string, detail: string): void {
    this.audit(action, detail);
  }
}

/** A lock we hold: renewed on a timer until released; renewal failures are retried until the Lease expires. */
class Held implements HeldLock {
  private timer: ReturnType<typeof setInterval> | undefined;
  private current: V1Lease;
  private holderNow: LockHolder;
  private chain: Promise<unknown> = Promise.resolve();
  lost: string | undefined;

  constructor(
    private readonly lock: LeaseLock,
    readonly holder: LockHolder,
    lease: V1Lease,
  ) {
    this.current = lease;
    this.holderNow = holder;
    this.timer = setInterval(() => void this.renew(), lock.renewEveryMs);
    // The renewal timer must not keep a CLI process alive on its own.
    this.timer.unref?.();
  }

  setNode(node: string): Promise<void> {
    this.holderNow = { ...this.holderNow, node };
    return this.renew();
  }

  /** Serialised: a renewal and a setNode never race each other with the same resourceVersion. */
  private renew(): Promise<void> {
    const next = this.chain.then(async () => {
      if (this.lost || !this.timer) return;
      try {
        const fresh = await this.lock.read();
        if (!fresh || fresh.spec?.holderIdentity !== holderIdentity(this.holder)) {
          this.lost = `the Lease ${LOCK_NAMESPACE}/${LOCK_NAME} is now ${fresh ? `held by ${fresh.spec?.holderIdentity ?? 'unknown'}` : 'gone'}`;
          this.lock.log('lease-lost', this.lost);
          return;
        }
        this.current = await this.lock.write('update', this.lock.body(this.holderNow, fresh, false));
      } catch {
        // Transient (e.g. the apiserver restarting during `kubeadm upgrade apply`): the next tick tries again.
      }
    });
    this.chain = next;
    return next;
  }

  async release(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.chain;
    this.timer = undefined;
    if (this.lost) return;
    const fresh = await this.lock.read().catch(() => this.current);
    if (fresh?.spec?.holderIdentity !== holderIdentity(this.holder)) return;
    await this.lock.remove(fresh.metadata?.resourceVersion);
    this.lock.log('lease-release', holderIdentity(this.holder));
  }
}

function toRecord(lease: V1Lease): LeaseRecord {
  const a = lease.metadata?.annotations ?? {};
  const get = (f: string) => a[`${ANNOTATION}${f}`];
  const holder = get('runId') ? { user: get('user') ?? '?', host: get('host') ?? '?', tool: get('tool') ?? '?', runId: get('runId')!, node: get('node') ?? '' } : undefined;
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

/** This process as a lock holder: the OS user and host name, the tool, the run. */
export function localHolder(tool: 'cli' | 'vscode', runId: string, node = ''): LockHolder {
  let user = process.env['USER'] ?? 'unknown';
  try {
    user = os.userInfo().username;
  } catch {
    // no passwd entry (containers): keep $USER
  }
  return { user, host: os.hostname(), tool, runId, node };
}
