import type { AuditEntryLike } from '../../core/backups/audit';
import type { NodeExecutor } from '../../core/exec/executor';
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
}

export interface AuditData {
  readonly text?: string;
  readonly entries?: readonly AuditEntryLike[];
}

export const CONFIGURE_EXECUTION =
  'No way to run commands on the nodes is configured yet (SSH or terminal execution): configure execution, or run the command on the node yourself and open its output with "Kubeadm: Open Plan Output…".';
