import type { AuditEntryLike } from '../../core/backups/audit';
import { auditEntriesOfCluster } from '../../core/backups/auditScope';
import type { EtcdSnapshotView } from '../../core/backups/etcdSnapshots';
import type { NodeExecutor } from '../../core/exec/executor';
import type { AuditEntry } from '../../core/audit/entry';
import type { Services } from '../services';

/** What the cluster panel's messages (backups, recovery steps) use beyond `Services`. */
export interface ExecutionServices extends Services {
  /**
   * An executor for one node of one cluster (SSH or terminal, as configured), through `Services.access`: each
   * message from the panel is one command. Undefined when the node is not in the loaded cluster.
   */
  readonly executorFor: (contextName: string, nodeName: string) => Promise<NodeExecutor | undefined>;
  /**
   * What the extension recorded for that node: a saved apply log (text naming the backup folders) and/or the audit
   * entries (one per command run), used to link each backup to the upgrade command that created it.
   */
  readonly auditLogFor?: (contextName: string, nodeName: string) => AuditData | undefined | Promise<AuditData | undefined>;
  /** Records a command run on a node outside an upgrade (a recovery step). */
  readonly appendAudit?: (entry: AuditEntry) => void;
  /** etcd snapshots in the local snapshot folder with restore steps (Kubeadm: Snapshot etcd). */
  readonly etcdSnapshotsFor?: (contextName: string) => readonly EtcdSnapshotView[];
}

export interface AuditData {
  readonly text?: string;
  readonly entries?: readonly AuditEntryLike[];
}

export const CONFIGURE_EXECUTION =
  'No way to run commands on the nodes is configured yet (SSH or terminal execution): configure execution, or run the command on the node yourself and open its output with "Kubeadm: Open Plan Output…".';

/** The audit log (`AuditLog.read()`): one entry per command run on a node. */
export interface AuditReader {
  read(): readonly (AuditEntryLike & { readonly cluster?: string; readonly run?: string })[];
  append?(entry: AuditEntry): void;
}

/** Adds the plan/backups hooks to the extension's services, over its cluster access and audit log. */
export function executionServices<S extends Services>(services: S, audit?: AuditReader): S & ExecutionServices {
  return {
    ...services,
    executorFor: async (contextName: string, nodeName: string) => {
      const node = services.store.get(contextName)?.snapshot?.nodes.find((n) => n.name === nodeName);
      return node ? services.access.nodes(contextName).executorFor(node) : undefined;
    },
    ...(audit?.append ? { appendAudit: (entry: AuditEntry) => audit.append!(entry) } : {}),
    ...(audit
      ? {
          // Keyed by the cluster the context reaches now, not its name: another cluster's runs are not linked.
          auditLogFor: async (contextName: string, nodeName: string) => {
            const runs = [...(await services.upgrades.store.list()), ...((await services.clusterRuns?.store.list()) ?? [])];
            return { entries: auditEntriesOfCluster(audit.read(), contextName, nodeName, runs, services.store.keyOf(contextName)) };
          },
        }
      : {}),
  };
}
