import { isExternalEtcd } from '../etcd/commands';
import type { NodeExecutor, RunResult } from '../exec/executor';
import type { ShellCommand } from '../exec/shell';
import type { NodeSnapshot } from '../snapshot/model';
import { confirmNodeHost } from '../upgrade/nodeHost';
import type { KubeVersion } from '../version';
import type { ReadinessDeps } from './ports';

/** Thrown when a check cannot look (RBAC, unreachable node, missing tool): the message is the reason shown. */
export class CannotRun extends Error {}

function once<T>(f: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => (p ??= f());
}

/**
 * Shared by the checks of one run: each API list and each node's executor is fetched once, however many checks read
 * it (the executors write the audit lines).
 */
export class ReadinessContext {
  readonly nodes;
  readonly pods;
  readonly snapshot;
  readonly kubeadmConfig;
  private readonly executors = new Map<string, Promise<NodeExecutor>>();

  constructor(
    readonly deps: ReadinessDeps,
    readonly target: KubeVersion,
  ) {
    this.nodes = once(() => deps.api.nodes());
    this.pods = once(() => deps.api.pods());
    this.snapshot = once(() => deps.snapshot());
    this.kubeadmConfig = once(() => deps.api.configMap('kube-system', 'kubeadm-config'));
  }

  get now(): Date {
    return this.deps.now;
  }

  /** External etcd is declared in ClusterConfiguration (`etcd.external`); kubeadm neither backs it up nor upgrades it. */
  async externalEtcd(): Promise<boolean> {
    return isExternalEtcd((await this.kubeadmConfig())?.['ClusterConfiguration']);
  }

  executor(node: NodeSnapshot): Promise<NodeExecutor> {
    let e = this.executors.get(node.name);
    if (!e) {
      e = this.deps.executorFor(node).then((ex) => this.confirmed(node, ex));
      this.executors.set(node.name, e);
    }
    return e;
  }

  /**
   * Nothing is read on a host before it is confirmed to be the Node (#22 item 11): an ssh_config entry pointing cp-1 at
   * worker-2 would otherwise report worker-2's facts as cp-1's. Where the Node reports a machine id (every kubelet does),
   * the host is asked for its own; a mismatch makes the node "cannot be checked", naming both.
   */
  private async confirmed(node: NodeSnapshot, ex: NodeExecutor): Promise<NodeExecutor> {
    const raw = (await this.nodes()).find((n) => n.metadata?.name === node.name);
    const machineID = raw?.status?.nodeInfo?.machineID ?? '';
    if (!machineID) return ex;
    const hostname = raw?.status?.addresses?.find((a) => a.type === 'Hostname')?.address ?? '';
    const r = await confirmNodeHost(ex, node.name, { machineID, hostname });
    if (r.problem) throw new CannotRun(r.problem);
    return ex;
  }

  async run(node: NodeSnapshot, command: ShellCommand, sudo = false, timeoutMs = 60_000): Promise<RunResult> {
    return (await this.executor(node)).run(command, { sudo, timeoutMs });
  }

  /** Executors this run opened; the caller owns them unless it passed its own pool. */
  async executorsOpened(): Promise<NodeExecutor[]> {
    const all = await Promise.allSettled(this.executors.values());
    return all.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  }
}

/** `$ command` and the output, trimmed to what a report can show. */
export function commandEvidence(command: string, r: RunResult, maxLines = 25): string[] {
  const text = `${r.stdout}${r.stderr ? `\n${r.stderr}` : ''}`.replace(/\r/g, '').trim();
  const lines = text ? text.split('\n') : [];
  const shown = lines.length > maxLines ? [...lines.slice(0, maxLines), `… (${lines.length - maxLines} more lines)`] : lines;
  const status = r.exitCode === null ? ` (no exit code: ${r.failure ?? 'unknown'})` : r.exitCode !== 0 ? ` (exit ${r.exitCode})` : '';
  return [`$ ${command}${status}`, ...shown];
}

export function failureText(r: RunResult): string {
  return r.failure ?? (r.stderr.trim() || r.stdout.trim() || `exit ${r.exitCode}`).split('\n').slice(-3).join(' ');
}
