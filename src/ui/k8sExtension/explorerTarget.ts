import type { ClusterExplorerV1 } from 'vscode-kubernetes-tools-api';
import { sortFindings, type Finding } from '../../core/skew';
import { findingLabel } from '../tree/present';

/**
 * The pure half of the Kubernetes extension integration (ms-kubernetes-tools.vscode-kubernetes-tools): which of its
 * Clusters view items our actions apply to, which of our commands each opens with which argument, and what a node's
 * skew findings add to its item. No `vscode` here, so it is unit-tested (test/unit/k8sExtension/).
 */
export const KUBERNETES_EXTENSION_ID = 'ms-kubernetes-tools.vscode-kubernetes-tools';

/** Its Clusters view (`extension.vsKubernetesExplorer` in its package.json). */
export const KUBERNETES_EXPLORER_VIEW = 'extension.vsKubernetesExplorer';

/** What one of its items names: a cluster node (always under its active context) or a context. */
export type ExplorerTarget = { readonly kind: 'node'; readonly node: string } | { readonly kind: 'context'; readonly context: string };

/**
 * Its item as the API resolves it (`clusterExplorer.v1.resolveCommandTarget`) → what our commands act on. A Node
 * resource item carries no context: the extension lists resources of its active context only (node.context.ts:
 * `getChildren` returns [] unless `kubectlContext.active`), so the caller adds that context.
 */
export function explorerTarget(node: ClusterExplorerV1.ClusterExplorerNode | undefined): ExplorerTarget | undefined {
  if (!node) return undefined;
  switch (node.nodeType) {
    case 'resource':
      return node.resourceKind.manifestKind === 'Node' ? { kind: 'node', node: node.name } : undefined;
    case 'context':
    case 'context.inactive':
      return { kind: 'context', context: node.name };
    default:
      return undefined;
  }
}

/** Our commands offered in its view, each forwarding to the command of ours that has the flow (nothing duplicated). */
export interface ForwardedCommand {
  /** The menu command contributed for its view (package.json). */
  readonly id: string;
  /** Ours, which runs the flow. */
  readonly target: string;
  readonly on: 'node' | 'context';
}

export const FORWARDED_COMMANDS: readonly ForwardedCommand[] = [
  { id: 'kubeadm.k8sExtension.upgradeNode', target: 'kubeadm.upgradeNode', on: 'node' },
  { id: 'kubeadm.k8sExtension.drainNode', target: 'kubeadm.drainNode', on: 'node' },
  { id: 'kubeadm.k8sExtension.planUpgrade', target: 'kubeadm.planUpgrade', on: 'node' },
  { id: 'kubeadm.k8sExtension.upgradeCluster', target: 'kubeadm.upgradeCluster', on: 'context' },
  { id: 'kubeadm.k8sExtension.checkReadiness', target: 'kubeadm.checkReadiness', on: 'context' },
];

/**
 * The `viewItem` patterns of the menu `when` clauses, matched against the contextValues its tree really sets
 * (vscode-kubernetes-tools 1.4.1): a Node resource item is `vsKubernetes.resource.node` + `k8s-watchable`
 * (node.resource.ts sets `vsKubernetes.resource.${kind.abbreviation}`, explorer.ts appends `k8s-watchable` to kinds
 * with an apiName, and Node has one); a context item is `vsKubernetes.cluster` or `vsKubernetes.minikubeCluster`,
 * `.inactive` added when it is not the current context (node.context.ts).
 */
export const NODE_ITEM_PATTERN = String.raw`/^vsKubernetes\.resource\.node(k8s-watchable)?$/`;
export const CONTEXT_ITEM_PATTERN = String.raw`/^vsKubernetes\.(cluster|minikubeCluster)(\.inactive)?$/`;

export function menuWhen(on: 'node' | 'context'): string {
  return `view == ${KUBERNETES_EXPLORER_VIEW} && viewItem =~ ${on === 'node' ? NODE_ITEM_PATTERN : CONTEXT_ITEM_PATTERN}`;
}

/**
 * The argument our command gets: `{context, node}` as our webviews pass it (commands/commandTarget.ts). Plan Upgrade
 * runs `kubeadm upgrade plan` on a control plane, so from a worker's item it gets the cluster only (its own picker
 * then takes the control plane); from a control plane's item, that node.
 */
export function forwardedArgument(
  command: ForwardedCommand,
  target: ExplorerTarget,
  activeContext: string,
  isControlPlane: (node: string) => boolean,
): { context: string; node?: string } | undefined {
  if (command.on !== target.kind) return undefined;
  if (target.kind === 'context') return { context: target.context };
  if (command.target === 'kubeadm.planUpgrade' && !isControlPlane(target.node)) return { context: activeContext };
  return { context: activeContext, node: target.node };
}

/** What a node's skew findings add to its item in their view: the worst one in the description, all in the tooltip. */
export interface NodeDecoration {
  readonly description: string;
  readonly tooltip: string;
}

export function nodeDecoration(findings: readonly Finding[]): NodeDecoration | undefined {
  const sorted = sortFindings(findings);
  const worst = sorted[0];
  if (!worst) return undefined;
  const more = sorted.length > 1 ? ` (+${sorted.length - 1})` : '';
  return {
    description: `kubeadm ${worst.severity}: ${findingLabel(worst).label}${more}`,
    tooltip: ['Kubeadm skew findings:', ...sorted.map((f) => `${f.severity.toUpperCase()} ${f.rule}: ${f.message}`)].join('\n'),
  };
}

/**
 * The kubeconfig our view reads when `kubeadm.kubeconfig` is empty: the one the Kubernetes extension is set to
 * (`vs-kubernetes` > `vs-kubernetes.kubeconfig`, a single path), when that extension is installed. Ours wins when set.
 */
export function followedKubeconfig(ours: readonly string[], theirs: unknown, installed: boolean, home: string): string[] {
  if (ours.length > 0) return [...ours];
  if (!installed || typeof theirs !== 'string' || theirs.trim() === '') return [];
  // It interpolates `${userHome}` (utils/interpolation.ts); `~` is expanded by our kubeconfig reader.
  return [theirs.trim().replaceAll('${userHome}', home)];
}
