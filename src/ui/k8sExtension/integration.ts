import * as vscode from 'vscode';
import type { ClusterExplorerV1, KubectlV1 } from 'vscode-kubernetes-tools-api';
// Not re-exported by the package's index (1.3.0), though `extension.configuration.v1_1` returns it.
import type { ConfigurationV1_1 } from 'vscode-kubernetes-tools-api/js/configuration/v1_1';
import type { ClusterStore } from '../../core/clusterStore';
import { findingsOf } from '../../core/skew/byNode';
import {
  FORWARDED_COMMANDS,
  KUBERNETES_EXTENSION_ID,
  explorerTarget,
  forwardedArgument,
  nodeDecoration,
  type ForwardedCommand,
} from './explorerTarget';

interface KubernetesApis {
  readonly explorer: ClusterExplorerV1;
  readonly kubectl: KubectlV1;
  readonly configuration?: ConfigurationV1_1;
}

/**
 * Our actions in the Kubernetes extension's Clusters view, through its documented API (npm vscode-kubernetes-tools-api,
 * `clusterExplorer` v1): the menu commands of package.json forward its Node and context items to our commands
 * (their flows, not copies), and a node UI customizer adds a node's skew findings to its item. Only when that extension
 * is installed: the API package activates it on import, so it is loaded then and not before (no extensionDependencies).
 */
export function registerKubernetesExtension(store: ClusterStore, log: vscode.OutputChannel): vscode.Disposable {
  let apis: Promise<KubernetesApis | undefined> | undefined;
  const disposables: vscode.Disposable[] = [];
  let activeContext: string | undefined;

  const load = (): Promise<KubernetesApis | undefined> => {
    if (vscode.extensions.getExtension(KUBERNETES_EXTENSION_ID) === undefined) return Promise.resolve(undefined);
    apis ??= connect().catch((e: unknown) => {
      log.appendLine(`[kubernetes extension] API not available: ${e instanceof Error ? e.message : String(e)}`);
      apis = undefined;
      return undefined;
    });
    return apis;
  };

  const connect = async (): Promise<KubernetesApis | undefined> => {
    const k8s = await import('vscode-kubernetes-tools-api');
    const [explorer, kubectl, configuration] = await Promise.all([
      k8s.extension.clusterExplorer.v1,
      k8s.extension.kubectl.v1,
      k8s.extension.configuration.v1_1,
    ]);
    if (!explorer.available || !kubectl.available) {
      log.appendLine(`[kubernetes extension] its API has no clusterExplorer/kubectl v1: ${explorer.available ? '' : explorer.reason} ${kubectl.available ? '' : kubectl.reason}`);
      return undefined;
    }
    const result: KubernetesApis = { explorer: explorer.api, kubectl: kubectl.api, ...(configuration.available ? { configuration: configuration.api } : {}) };
    if (result.configuration) {
      disposables.push(
        result.configuration.onDidChangeContext((name: string | null) => {
          activeContext = name ?? undefined;
          result.explorer.refresh();
        }),
        result.configuration.onDidChangeKubeconfigPath(() => {
          activeContext = undefined;
          void currentContext(result);
        }),
      );
    }
    result.explorer.registerNodeUICustomizer({ customize: (node, item) => decorate(node, item) });
    log.appendLine('[kubernetes extension] its Clusters view shows our actions and skew findings');
    void currentContext(result).then(() => result.explorer.refresh());
    return result;
  };

  /** Its active context, as its tree uses it: kubectl's current-context of the kubeconfig it is set to. */
  const currentContext = async (a: KubernetesApis): Promise<string | undefined> => {
    const r = await a.kubectl.invokeCommand('config current-context');
    activeContext = r && r.code === 0 ? r.stdout.trim() || undefined : undefined;
    if (!activeContext) log.appendLine(`[kubernetes extension] no current context: ${r ? r.stderr.trim() : 'kubectl could not run'}`);
    return activeContext;
  };

  const decorate = (node: ClusterExplorerV1.ClusterExplorerNode, item: vscode.TreeItem): void => {
    const target = explorerTarget(node);
    if (target?.kind !== 'node' || !activeContext) return;
    const cluster = store.get(activeContext);
    if (!cluster?.snapshot?.nodes.some((n) => n.name === target.node)) return;
    const d = nodeDecoration(findingsOf(cluster.findings, target.node));
    if (!d) return;
    item.description = d.description;
    item.tooltip = `${typeof item.tooltip === 'string' ? `${item.tooltip}\n\n` : ''}${d.tooltip}`;
  };

  const forward = async (command: ForwardedCommand, arg: unknown): Promise<void> => {
    const a = await load();
    if (!a) {
      void vscode.window.showErrorMessage('Kubeadm: the Kubernetes extension\'s API is not available (see the Kubeadm Upgrade output).');
      return;
    }
    const target = explorerTarget(a.explorer.resolveCommandTarget(arg));
    if (!target) {
      void vscode.window.showErrorMessage(`Kubeadm: ${command.on === 'node' ? 'not a Node item' : 'not a cluster item'} of the Kubernetes extension's Clusters view.`);
      return;
    }
    const context = target.kind === 'context' ? target.context : activeContext ?? (await currentContext(a));
    if (!context) {
      void vscode.window.showErrorMessage('Kubeadm: the Kubernetes extension has no current context (kubectl config current-context failed).');
      return;
    }
    const cluster = store.get(context);
    if (!cluster) {
      void vscode.window.showErrorMessage(`Kubeadm: context ${context} of the Kubernetes extension is not in the Kubeadm Clusters view (kubeadm.kubeconfig names other files).`);
      return;
    }
    const isControlPlane = (name: string) => cluster.snapshot?.nodes.some((n) => n.name === name && n.controlPlane) ?? false;
    const argument = forwardedArgument(command, target, context, isControlPlane);
    if (argument) await vscode.commands.executeCommand(command.target, argument);
  };

  for (const command of FORWARDED_COMMANDS) {
    disposables.push(vscode.commands.registerCommand(command.id, (arg?: unknown) => forward(command, arg)));
  }

  // Skew findings change with the clusters: redraw its items, only when what they would show for its context changed.
  let shown = '';
  let timer: NodeJS.Timeout | undefined;
  const unsubscribe = store.onDidChange(() => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const cluster = activeContext ? store.get(activeContext) : undefined;
      const now = JSON.stringify(cluster?.findings.filter((f) => f.node !== null).map((f) => [f.node, f.rule, f.severity]) ?? []);
      if (now === shown) return;
      shown = now;
      void apis?.then((a) => a?.explorer.refresh());
    }, 500);
  });
  disposables.push({ dispose: () => (clearTimeout(timer), unsubscribe()) });

  void load();
  // Installed while we run: connect then.
  disposables.push(vscode.extensions.onDidChange(() => void load()));
  return vscode.Disposable.from(...disposables);
}
