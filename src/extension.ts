import * as vscode from 'vscode';
import { ClusterStore } from './core/clusterStore';
import { ClusterLoader } from './ui/clusterLoader';
import { chooseKubeconfig } from './ui/commands/chooseKubeconfig';
import { copyFindings } from './ui/commands/copyFindings';
import { openKubeconfig } from './ui/commands/openKubeconfig';
import { refresh } from './ui/commands/refresh';
import { setTargetVersion } from './ui/commands/setTargetVersion';
import type { Services } from './ui/services';
import { ClusterTreeProvider } from './ui/tree/clusterTreeProvider';
import { countBySeverity } from './core/skew';

export const VIEW_ID = 'kubeadmClusters';

export async function activate(context: vscode.ExtensionContext): Promise<{ services: Services }> {
  const log = vscode.window.createOutputChannel('Kubeadm Upgrade');
  const store = new ClusterStore();
  const loader = new ClusterLoader(store, log);
  const services: Services = { store, loader, log };
  const provider = new ClusterTreeProvider(store);
  const view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });

  // The view's badge counts unsupported components across clusters, so a problem shows even when collapsed.
  const unsubscribeBadge = store.onDidChange(() => {
    const errors = store.list().reduce((n, c) => n + countBySeverity(c.findings).error, 0);
    view.badge = errors > 0 ? { value: errors, tooltip: `${errors} version-skew error(s)` } : undefined;
  });

  context.subscriptions.push(
    log,
    provider,
    view,
    loader,
    { dispose: unsubscribeBadge },
    { dispose: () => store.dispose() },
    vscode.commands.registerCommand('kubeadm.refresh', refresh(services)),
    vscode.commands.registerCommand('kubeadm.openKubeconfig', openKubeconfig(services)),
    vscode.commands.registerCommand('kubeadm.chooseKubeconfig', chooseKubeconfig()),
    vscode.commands.registerCommand('kubeadm.setTargetVersion', setTargetVersion()),
    vscode.commands.registerCommand('kubeadm.copyFindings', copyFindings(services)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('kubeadm')) void loader.load();
    }),
  );
  // Not awaited: an unreachable cluster must not hold up activation; the tree shows "Loading…" meanwhile.
  void loader.load().catch((e: unknown) => log.appendLine(`load failed: ${String(e)}`));
  return { services };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
