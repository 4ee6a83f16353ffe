import type { ClusterState } from '../../core/clusterStore';
import type { NodeSnapshot } from '../../core/snapshot/model';
import { commandTarget, type CommandTarget } from './commandTarget';
import type { CommandUi } from './commandUi';
import { pickCluster, pickControlPlaneNode, pickNode, type ClusterList, type NodeRef } from './nodePickers';

/**
 * A command's argument, read once: which cluster/node it names (a tree item, `{context, node, target}` from a
 * webview or another command, nothing from the palette), and the pickers that fill in what it does not name.
 */
export interface CommandContext {
  /** The argument as VS Code passed it (a run id, a tree element, an object from a webview). */
  readonly arg: unknown;
  readonly target: CommandTarget;
  readonly ui: CommandUi;
  /** The named cluster, the only one, or a pick. */
  cluster(title: string): Promise<ClusterState | undefined>;
  /** The named control-plane node of `cluster`, the only one, or a pick. */
  controlPlane(cluster: ClusterState, title: string): Promise<NodeSnapshot | undefined>;
  /** The named node (tree item or `{context, node}`), else a pick among the loaded clusters' nodes passing `filter`. */
  node(filter?: (n: NodeSnapshot) => boolean): Promise<NodeRef | undefined>;
}

export function commandContext(arg: unknown, clusters: ClusterList, ui: CommandUi): CommandContext {
  const target = commandTarget(arg);
  return {
    arg,
    target,
    ui,
    cluster: (title) => pickCluster(clusters, ui, target.context, title),
    controlPlane: (cluster, title) => pickControlPlaneNode(cluster, ui, target.node, title),
    node: (filter) => pickNode(clusters, ui, arg, filter),
  };
}
