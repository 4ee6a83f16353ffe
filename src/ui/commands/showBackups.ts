import * as vscode from 'vscode';
import type { ExecutionServices } from '../webview/hostServices';
import { loadBackups } from '../webview/backupsLoader';
import { messageHandler } from '../webview/messageHandler';
import { ClusterPanel } from '../webview/clusterPanel';
import { commandTarget, pickCluster } from './nodePickers';

/**
 * Kubeadm: Show Backups and Recovery — the kubeadm-backup-* folders of every control-plane node (or the node it was
 * invoked on), with recovery steps filled in for each. Also called with `{context, node}` after a failed step.
 */
export function showBackups(services: ExecutionServices, extensionUri: vscode.Uri) {
  return async (arg?: unknown) => {
    const preset = commandTarget(arg);
    const cluster = await pickCluster(services, preset.context, 'Kubeadm: Show Backups and Recovery');
    if (!cluster) return;
    const view = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Reading kubeadm backups on ${preset.node ?? `the control-plane nodes of ${cluster.contextName}`}` },
      () => loadBackups(services, cluster.contextName, preset.node ?? null),
    );
    ClusterPanel.show(extensionUri, view, messageHandler(services));
  };
}
