import type * as vscode from 'vscode';
import { sshSettingsFor } from '../core/ssh/perCluster';
import { ApiClusterOps } from '../adapters/k8s/clusterOps';
import { KubeDrainApi } from '../adapters/k8s/drain';
import { LeaseLock, lockAuditTo } from '../adapters/k8s/leaseLock';
import type { ClusterLock } from '../core/lock/lease';
import { readClusterIdentity } from '../adapters/k8s/clusterIdentity';
import type { ClusterIdentity } from '../core/identity/clusterIdentity';
import { SshPool } from '../adapters/ssh/sshPool';
import { AuditedExecutor, type AuditSink } from '../adapters/storage/audited';
import { TerminalExecutor } from '../adapters/terminal/terminalExecutor';
import type { NodeExecutor } from '../core/exec/executor';
import { fetchOncePerNode, type NodeAccess } from '../core/exec/nodeAccess';
import { validateNodeName } from '../core/exec/shell';
import type { NodeSnapshot } from '../core/snapshot/model';
import type { ClusterOps } from '../core/upgrade/ports';
import type { ClusterLoader } from './clusterLoader';
import { readSettings, type Settings } from './settings';
import { vscodeSshPrompts } from './sshPrompts';

/** How the extension reaches a cluster: its nodes (the one NodeAccess port) and its API. */
export interface ClusterAccess {
  /**
   * The nodes of one cluster, reached the way `settings` say (read now when not given). Take one per command: it
   * fetches each node's executor once for that command.
   */
  nodes(contextName: string, settings?: Settings): NodeAccess;
  clusterOpsFor(contextName: string): ClusterOps;
  /** The cluster lock (Lease kube-system/kubeadm-upgrade) of a context. */
  lockFor(contextName: string): ClusterLock;
  /**
   * The cluster a context reaches right now (src/core/identity): its kube-system uid read from the API, with the
   * server and CA. Runs are checked against it before they start or resume, and before every node step.
   */
  identityFor(contextName: string): Promise<ClusterIdentity>;
}

/**
 * Reaches nodes the way `kubeadm.execution` says (ssh2 with one pooled connection per node, or an integrated
 * terminal per node) and the cluster's API through the loaded kubeconfig contexts.
 */
export class ExtensionClusterAccess implements ClusterAccess, vscode.Disposable {
  private readonly pools = new Map<string, { key: string; pool: SshPool }>();
  private readonly terminals = new Map<string, TerminalExecutor>();

  constructor(
    private readonly loader: ClusterLoader,
    /** Every command run on a node and every API change is recorded here. */
    private readonly audit?: AuditSink,
  ) {}

  nodes(contextName: string, all: Settings = readSettings()): NodeAccess {
    // This cluster's own ssh_config and host map when kubeadm.ssh.clusters has them (perCluster.ts).
    const settings = { ...all, ...sshSettingsFor(all, all.sshClusters, contextName, this.loader.context(contextName)?.server) };
    return fetchOncePerNode(contextName, async (node) => {
      const inner = this.executorOf(contextName, node, settings);
      // Wrapped so every command it runs gets an audit line.
      return this.audit ? new AuditedExecutor(inner, this.audit, { cluster: contextName, node: node.name }) : inner;
    });
  }

  private executorOf(contextName: string, node: NodeSnapshot, s: Settings): NodeExecutor {
    if (s.execution === 'terminal') {
      // The one check of the name on this path (the SSH pool makes its own, where the name becomes a host).
      validateNodeName(node.name);
      const key = `${contextName}/${node.name}`;
      let t = this.terminals.get(key);
      if (!t) {
        const sshHost = s.sshHosts[node.name] === 'local' ? undefined : s.sshHosts[node.name] ?? node.name;
        t = new TerminalExecutor({ node: node.name, ...(sshHost ? { sshHost } : {}), ...(s.sshConfigFile ? { sshConfigFile: s.sshConfigFile } : {}) });
        this.terminals.set(key, t);
      }
      return t;
    }
    return this.sshPool(s, contextName).executorForNode(node, s.sshHosts);
  }

  clusterOpsFor(contextName: string): ClusterOps {
    const ctx = this.loader.context(contextName);
    if (!ctx) throw new Error(`context ${contextName} is not in the kubeconfig any more`);
    return new ApiClusterOps(ctx.config, new KubeDrainApi(ctx.config), this.audit ? { sink: this.audit, cluster: contextName } : undefined);
  }

  lockFor(contextName: string): ClusterLock {
    const ctx = this.loader.context(contextName);
    if (!ctx) throw new Error(`context ${contextName} is not in the kubeconfig any more`);
    return new LeaseLock(ctx.config, lockAuditTo((entry) => this.audit?.(entry), contextName));
  }

  identityFor(contextName: string): Promise<ClusterIdentity> {
    const ctx = this.loader.context(contextName);
    if (!ctx) return Promise.reject(new Error(`context ${contextName} is not in the kubeconfig any more`));
    return readClusterIdentity(ctx.config);
  }

  /**
   * One pool per cluster's SSH settings (two clusters' cp-1 are two hosts); a change of a cluster's settings starts a
   * new pool for it (its old connections are closed).
   */
  private sshPool(s: Settings, contextName: string): SshPool {
    const key = JSON.stringify([s.sshConfigFile, s.sshHosts]);
    const had = this.pools.get(contextName);
    if (had?.key === key) return had.pool;
    if (had && ![...this.pools.entries()].some(([c, p]) => c !== contextName && p.pool === had.pool)) had.pool.dispose();
    const shared = [...this.pools.values()].find((p) => p.key === key);
    const pool = shared?.pool ?? new SshPool({ prompts: vscodeSshPrompts, ...(s.sshConfigFile ? { configFile: s.sshConfigFile } : {}), hosts: s.sshHosts });
    this.pools.set(contextName, { key, pool });
    return pool;
  }

  dispose(): void {
    for (const p of new Set([...this.pools.values()].map((x) => x.pool))) p.dispose();
    for (const t of this.terminals.values()) t.dispose();
  }
}
