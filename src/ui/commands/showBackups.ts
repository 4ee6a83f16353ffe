import * as vscode from 'vscode';
import type { ExecutionServices } from '../webview/hostServices';
import { loadBackups } from '../webview/backupsLoader';
import { messageHandler } from '../webview/messageHandler';
import { ClusterPanel } from '../webview/clusterPanel';
import type { ClusterState } from '../../core/clusterStore';
import type { CommandSpec } from './command';

/**
 * Kubeadm: Show Backups and Recovery — the kubeadm-backup-* folders of every control-plane node (or the node it was
 * invoked on), with recovery steps filled in for each. Also called with `{context, node}` after a failed step.
 */
export function showBackups(services: ExecutionServices, extensionUri: vscode.Uri): CommandSpec<ClusterState> {
  return {
    id: 'kubeadm.showBackups',
    resolve: (c) => c.cluster('Kubeadm: Show Backups and Recovery'),
    run: async (cluster, c) => {
      const only = c.target.node;
      const view = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Reading kubeadm backups on ${only ?? `the control-plane nodes of ${cluster.contextName}`}` },
        () => loadBackups(services, cluster.contextName, only ?? null),
      );
      ClusterPanel.show(extensionUri, view, messageHandler(services));
    },
  };
}
