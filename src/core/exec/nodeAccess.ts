import type { NodeSnapshot } from '../snapshot/model';
import type { NodeExecutor } from './executor';

/**
 * How one command reaches the nodes of one cluster: SSH or a terminal, as the settings said when the command
 * started. Resolved once per command (src/ui/clusterAccess.ts in the extension), so the settings are read once, and
 * each node's name is checked and its executor fetched once, then reused by every step of that command.
 */
export interface NodeAccess {
  /** The kubeconfig context whose nodes these are. */
  readonly cluster: string;
  /** Throws when the node cannot be reached as configured (a bad name, an ssh_config error). */
  executorFor(node: NodeSnapshot): Promise<NodeExecutor>;
}

/**
 * A NodeAccess that fetches each node's executor on first use and hands the same one to every later call. A fetch
 * that failed is forgotten, so asking again (a Retry) tries again.
 */
export function fetchOncePerNode(cluster: string, fetch: (node: NodeSnapshot) => Promise<NodeExecutor>): NodeAccess {
  const fetched = new Map<string, Promise<NodeExecutor>>();
  return {
    cluster,
    executorFor(node) {
      let executor = fetched.get(node.name);
      if (!executor) {
        executor = fetch(node);
        fetched.set(node.name, executor);
        void executor.catch(() => fetched.delete(node.name));
      }
      return executor;
    },
  };
}
