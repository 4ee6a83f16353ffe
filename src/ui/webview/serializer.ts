import * as vscode from 'vscode';
import type { ExecutionServices } from './hostServices';
import { messageHandler } from './messageHandler';
import { PLAN_VIEW_TYPE, ClusterPanel, webviewOptions, type PanelStore } from './clusterPanel';

/**
 * Brings plan, backups and readiness panels back after a reload with the view the host rendered last for that kind
 * of panel (kept in the workspace state), never the one the webview saved (no re-run).
 */
export function registerClusterPanelSerializer(extensionUri: vscode.Uri, services: ExecutionServices, store: PanelStore): vscode.Disposable {
  ClusterPanel.useStore(store);
  return vscode.window.registerWebviewPanelSerializer(PLAN_VIEW_TYPE, {
    deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
      panel.webview.options = webviewOptions(extensionUri);
      ClusterPanel.revive(panel, extensionUri, state, messageHandler(services));
      return Promise.resolve();
    },
  });
}
