import type { NodeExecutor } from '../../core/exec/executor';
import type { Services } from '../services';

/**
 * What the plan and backups commands use beyond `Services`. Optional until the execution layer lands: without
 * `executorFor` they say "configure execution" instead of running anything.
 */
export interface ExecutionServices extends Services {
  /** An executor for one node of one cluster (SSH or terminal, as configured); undefined when none is configured. */
  readonly executorFor?: (contextName: string, nodeName: string) => NodeExecutor | undefined | Promise<NodeExecutor | undefined>;
  /** The text of the audit (apply) log the extension keeps for that node, when there is one. */
  readonly auditLogFor?: (contextName: string, nodeName: string) => string | undefined | Promise<string | undefined>;
}

export const CONFIGURE_EXECUTION =
  'No way to run commands on the nodes is configured yet (SSH or terminal execution): configure execution, or run the command on the node yourself and open its output with "Kubeadm: Open Plan Output…".';
