import type { AuditEntryLike } from '../../core/backups/audit';
import type { EtcdSnapshotView } from '../../core/backups/etcdSnapshots';
import type { NodeExecutor } from '../../core/exec/executor';
import type { NodeSnapshot } from '../../core/snapshot/model';
import type { AuditEntry } from '../../core/upgrade/ports';
import type { Services } from '../services';

/**
 * What the plan and backups commands use beyond `Services`. Optional until the execution layer lands: without
 * `executorFor` they say "configure execution" instead of running anything.
 */
export interface ExecutionServices extends Services {
  /** An executor for one node of one cluster (SSH or terminal, as configured); undefined when none is configured. */
  readonly executorFor?: (contextName: string, nodeName: string) => NodeExecutor | undefined | Promise<NodeExecutor | undefined>;
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

/** How the extension reaches a node (`NodeAccess` / `UpgradeDeps.executorFor`). */
export interface NodeAccessLike {
  executorFor(contextName: string, node: NodeSnapshot): Promise<NodeExecutor>;
}

/** The audit log (`AuditLog.read()`): one entry per command run on a node. */
export interface AuditReader {
  read(): readonly (AuditEntryLike & { readonly cluster?: string })[];
  append?(entry: AuditEntry): void;
}

/** Adds the plan/backups hooks to the extension's services, over its node access and audit log. */
export function executionServices<S extends Services>(services: S, access: NodeAccessLike, audit?: AuditReader): S & ExecutionServices {
  return {
    ...services,
    executorFor: (contextName: string, nodeName: string) => {
      const node = services.store.get(contextName)?.snapshot?.nodes.find((n) => n.name === nodeName);
      return node ? access.executorFor(contextName, node) : undefined;
    },
    ...(audit?.append ? { appendAudit: (entry: AuditEntry) => audit.append!(entry) } : {}),
    ...(audit
      ? { auditLogFor: (contextName: string, nodeName: string) => ({ entries: audit.read().filter((e) => e.node === nodeName && (e.cluster === undefined || e.cluster === contextName)) }) }
      : {}),
  };
}
