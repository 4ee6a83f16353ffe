import type { ClusterState } from '../../core/clusterStore';
import type { NodeSnapshot } from '../../core/snapshot/model';

/**
 * What a command was invoked on: a tree item (cluster or node), `{context, node, target}` from a webview or another
 * command, or nothing (palette). `version` is that `target`: the version a webview or notification preset.
 */
export interface CommandTarget {
  readonly context?: string;
  readonly node?: string;
  readonly version?: string;
}

export function commandTarget(arg: unknown): CommandTarget {
  if (typeof arg !== 'object' || arg === null) return {};
  const a = arg as Record<string, unknown>;
  if ((a.kind === 'cluster' || a.kind === 'node' || a.kind === 'group') && typeof a.cluster === 'object' && a.cluster !== null) {
    const context = (a.cluster as ClusterState).contextName;
    const node = a.kind === 'node' ? (a.node as NodeSnapshot | undefined)?.name : undefined;
    return node ? { context, node } : { context };
  }
  const context = typeof a.context === 'string' ? a.context : undefined;
  const node = typeof a.node === 'string' ? a.node : undefined;
  const version = typeof a.target === 'string' ? a.target : undefined;
  return { ...(context ? { context } : {}), ...(node ? { node } : {}), ...(version ? { version } : {}) };
}
