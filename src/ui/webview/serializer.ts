import * as vscode from 'vscode';
import type { ExecutionServices } from './hostServices';
import { messageHandler } from './messageHandler';
import { PLAN_VIEW_TYPE, ClusterPanel, webviewOptions } from './clusterPanel';

/** Brings plan and backups panels back after a reload, with the view the webview had saved (no re-run). */
export function registerClusterPanelSerializer(extensionUri: vscode.Uri, services: ExecutionServices): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(PLAN_VIEW_TYPE, {
    deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
      panel.webview.options = webviewOptions(extensionUri);
      ClusterPanel.revive(panel, extensionUri, state, messageHandler(services));
      return Promise.resolve();
    },
  });
}
