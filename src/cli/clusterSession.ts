import * as path from 'node:path';
import { withProgressLine, type LiveTerminal } from './progressLine';
import { ApiClusterOps } from '../adapters/k8s/clusterOps';
import { ApiControlPlaneProbe } from '../adapters/k8s/controlPlaneProbe';
import { KubeDrainApi } from '../adapters/k8s/drain';
import { ApiClusterSource } from '../adapters/k8s/apiClusterSource';
import type { ContextEntry } from '../adapters/k8s/kubeconfig';
import { LeaseLock, localHolder, lockAuditTo } from '../adapters/k8s/leaseLock';
import { ClusterIdentityReader } from '../adapters/k8s/clusterIdentity';
import type { ClusterIdentity } from '../core/identity/clusterIdentity';
import { SshPool } from '../adapters/ssh/sshPool';
import { AuditedExecutor } from '../adapters/storage/audited';
import { AuditLog } from '../adapters/storage/auditLog';
import type { AuditEntry } from '../core/audit/entry';
import { ClusterRunStore } from '../adapters/storage/clusterRunStore';
import { RunStore } from '../adapters/storage/runStore';
import type { ClusterEvent } from '../core/clusterUpgrade/events';
import type { ClusterPorts } from '../core/clusterUpgrade/ports';
import type { ReadinessGate } from '../core/clusterUpgrade/ports';
import { readinessGateFrom, snapshotterFrom } from '../core/clusterUpgrade/readinessPorts';
import { runReadiness, upgradeOptionDeps } from '../core/readiness';
import { LockForbiddenError, LockHeldError, type HeldLock } from '../core/lock/lease';
import type { ClusterSnapshot } from '../core/snapshot/model';
import type { SshPrompts } from '../core/ssh/prompts';
import { buildSnapshot } from '../core/snapshot/build';
import { cliPrompts } from './cliPrompts';
import { cliClusterAccess, type CliClusterAccess } from './preflightCommand';
import { takeSnapshot } from './snapshotEtcdCommand';
import { contextFor } from './kubeContext';
import { cliStateDir } from './stateDir';
import { CLUSTER_ACCESS_FLAGS } from './args';
import { EVENT_KIND, versioned } from './jsonOutput';

/** Flags every cluster-level command takes. */
export const SESSION_FLAGS = {
  ...CLUSTER_ACCESS_FLAGS,
  'state-dir': { type: 'string' },
  json: { type: 'boolean', default: false },
  'take-over-expired-lock': { type: 'boolean', default: false },
} as const;

export interface SessionValues {
  kubeconfig?: string;
  context?: string;
  'ssh-config'?: string;
  'accept-new-host-keys'?: boolean;
  'state-dir'?: string;
  json?: boolean;
  'take-over-expired-lock'?: boolean;
}

/** One CLI invocation's connections and stores: the API, SSH to each node, the run stores, the audit log, the lock. */
export class CliSession {
  readonly ctx: ContextEntry;
  readonly stateDir: string;
  readonly nodeRuns: RunStore;
  readonly clusterRuns: ClusterRunStore;
  readonly audit: AuditLog;
  readonly lock: LeaseLock;
  private readonly identityReader: ClusterIdentityReader;
  private pool: SshPool | undefined;
  private addresses = new Map<string, string | undefined>();

  constructor(
    private readonly values: SessionValues,
    private readonly err: (s: string) => void,
    /** Tests answer SSH questions (the sandbox's password node) without a terminal. */
    private readonly prompts?: SshPrompts,
  ) {
    this.ctx = contextFor(values.kubeconfig, values.context);
    this.stateDir = cliStateDir(values['state-dir']);
    this.nodeRuns = new RunStore(path.join(this.stateDir, 'runs'));
    this.clusterRuns = new ClusterRunStore(path.join(this.stateDir, 'cluster-runs'));
    this.audit = new AuditLog(path.join(this.stateDir, 'audit.jsonl'));
    this.lock = new LeaseLock(this.ctx.config, lockAuditTo((entry) => this.audit.append(entry), this.ctx.name));
    this.identityReader = new ClusterIdentityReader(this.ctx.config);
  }

  /** The cluster this session's context reaches right now (its kube-system uid read from the API). */
  identity(): Promise<ClusterIdentity> {
    return this.identityReader.read();
  }

  async snapshot(): Promise<ClusterSnapshot> {
    const s = buildSnapshot((await new ApiClusterSource(this.ctx.name, this.ctx.config).fetch()).objects);
    for (const n of s.nodes) this.addresses.set(n.name, n.internalIP);
    return s;
  }

  /** Readiness probes and etcd snapshots over this session's context, SSH connections and audit log. */
  private access(): CliClusterAccess {
    this.readinessAccess ??= cliClusterAccess({ acceptNewHostKeys: !!this.values['accept-new-host-keys'], err: this.err, shared: { ctx: this.ctx, pool: this.sshPool(), audit: this.audit } });
    return this.readinessAccess;
  }
  private readinessAccess: CliClusterAccess | undefined;

  /** The Upgrade Readiness report for a target, as the plan's gate (blockers stop the run unless overridden). */
  readiness(maxUnavailable?: string, options: { patchesDir?: string; imagesArchive?: string; prepullImages?: boolean } = {}): ReadinessGate {
    return readinessGateFrom((target, resume) => runReadiness({ ...this.access().deps, now: new Date(), ...(maxUnavailable ? { maxUnavailable } : {}), ...upgradeOptionDeps(options), ...resume }, target));
  }

  /** Where this session's etcd snapshots go (`snapshot-etcd` uses the same folder). */
  get snapshotDir(): string {
    return path.join(this.stateDir, 'etcd-snapshots');
  }

  private sshPool(): SshPool {
    this.pool ??= new SshPool({ prompts: this.prompts ?? cliPrompts(!!this.values['accept-new-host-keys'], this.err), ...(this.values['ssh-config'] ? { configFile: this.values['ssh-config'] } : {}) });
    return this.pool;
  }

  /**
   * The lock for this run, or undefined after saying why not (held by someone: who and since when; RBAC). An expired
   * lock is taken over only with --take-over-expired-lock.
   */
  async acquire(runId: string): Promise<HeldLock | undefined> {
    try {
      return await this.lock.acquire(
        localHolder('cli', runId),
        async (message) => {
          if (this.values['take-over-expired-lock']) {
            this.err(`${message}\nTaking it over if nobody renews it (--take-over-expired-lock).`);
            return true;
          }
          return false;
        },
        (notice) => this.err(notice),
      );
    } catch (e) {
      if (e instanceof LockHeldError) {
        this.err(`refused: ${e.message}${e.expired ? ' Re-run with --take-over-expired-lock to take it over.' : ''}`);
        return undefined;
      }
      if (e instanceof LockForbiddenError) {
        this.err(`refused: ${e.message}`);
        return undefined;
      }
      throw e;
    }
  }

  /**
   * The orchestrator's ports over this session; events go to `emit`. Every command run on a node (fact gathering,
   * steps) and every cordon, eviction and uncordon gets its audit lines, labelled with `run`. `skipDeleted`: a node of
   * the run that is no longer in the cluster is skipped (--skip-deleted-nodes), else the run stops there and says how
   * to skip it.
   */
  ports(emit: (e: ClusterEvent) => void, held: HeldLock | undefined, run = '-', skipDeleted = false): ClusterPorts {
    const drainApi = new KubeDrainApi(this.ctx.config);
    const probe = new ApiControlPlaneProbe(this.ctx.config);
    const sink = (entry: AuditEntry) => this.audit.append(entry);
    return {
      snapshot: () => this.snapshot(),
      executorFor: async (node) => {
        if (!this.addresses.has(node)) await this.snapshot();
        return new AuditedExecutor(this.sshPool().executorForNode({ name: node, internalIP: this.addresses.get(node) }), sink, { cluster: this.ctx.name, node, run });
      },
      cluster: new ApiClusterOps(this.ctx.config, drainApi, { sink, cluster: this.ctx.name, run }),
      drainApi,
      probe,
      addons: () => probe.addons(),
      snapshotter: snapshotterFrom((node) => takeSnapshot(this.access(), node, this.snapshotDir, (m) => this.err(`==> ${m}`))),
      // --yes was the confirmation of the whole plan, `kubeadm upgrade apply` included.
      confirmApply: async () => true,
      saveCluster: (s) => this.clusterRuns.save(s),
      saveNode: (s) => this.nodeRuns.save(s),
      loadNode: async (id) => (await this.nodeRuns.list()).find((r) => r.id === id),
      audit: (entry) => this.audit.append(entry),
      event: emit,
      ...(held ? { lockNode: (n: string) => held.setNode(n), lockLost: () => held.lost, lockCheck: () => held.check() } : {}),
      clusterIdentity: () => this.identity(),
      readiness: this.readiness(),
      confirmSkipDeleted: async (node) => {
        this.err(skipDeleted ? `${node} is no longer in the cluster: skipping it (--skip-deleted-nodes).` : `${node} is no longer in the cluster: re-run with --skip-deleted-nodes to skip it.`);
        return skipDeleted;
      },
    };
  }

  dispose(): void {
    this.pool?.dispose();
  }
}

/** `--json`: one event per line on stdout; otherwise a readable line on stderr (output streams through). */
export function eventPrinter(json: boolean, out: (s: string) => void, err: (s: string) => void, tty: LiveTerminal | undefined = process.stderr.isTTY ? process.stderr : undefined): (e: ClusterEvent) => void {
  // On a terminal, a live line per running node under the log (step, elapsed, the drain's evicted/total).
  return !json && tty ? withProgressLine(plainEvents(json, out, err), tty) : plainEvents(json, out, err);
}

function plainEvents(json: boolean, out: (s: string) => void, err: (s: string) => void): (e: ClusterEvent) => void {
  return (e) => {
    if (json) {
      if (e.event !== 'output') out(JSON.stringify(versioned(EVENT_KIND, e)));
      return;
    }
    switch (e.event) {
      case 'node-start':
        return err(`==> ${e.node} (${e.role}${e.batch ? `, batch ${e.batch}` : ''})`);
      case 'step':
        return err(`  ${e.node} ${e.index}/${e.total} ${e.title}`);
      case 'output':
        return;
      case 'message':
        return err(`  ${e.node ?? ''} ${e.text}`);
      case 'node-done':
        return err(`✔ ${e.node}`);
      case 'node-failed':
        return err(`✖ ${e.node}: ${e.error}`);
      case 'batch':
        return err(`== batch ${e.batch}: ${e.nodes.join(', ')} (${e.impact})`);
      case 'gate':
        return err(`${e.ok ? '✔' : '✖'} control-plane health gate after ${e.node}${e.ok ? '' : `: ${e.problems.join('; ')}`}`);
      case 'snapshot':
        return err(e.skipped ? 'etcd snapshot skipped (--skip-snapshot, audited)' : `etcd snapshot of ${e.node}, saved on this machine: ${e.path} sha256 ${e.sha256}`);
      case 'verify':
        return err(`verification ${e.passed ? 'passed' : 'did not pass'}`);
      case 'done':
        return err(`run ${e.status}${e.error ? `: ${e.error}` : ''}`);
    }
  };
}

/** What tests may inject into the cluster commands (nothing else changes). */
export interface SessionDeps {
  readonly prompts?: SshPrompts;
}
