import * as vscode from 'vscode';
import type { WebviewMessage } from '../../core/planView/protocol';
import { loadBackups } from './backupsLoader';
import { cleanupBackups } from './cleanup';
import type { ExecutionServices } from './hostServices';
import type { MessageHandler, PlanPanel } from './planPanel';
import { runInTerminal } from './terminal';
import { startUpgrade } from './upgrade';

export const SHOW_BACKUPS_COMMAND = 'kubeadm.showBackups';

/** What the host does for each webview command. */
export function messageHandler(services: ExecutionServices): MessageHandler {
  return async (message: WebviewMessage, panel: PlanPanel) => {
    switch (message.type) {
      case 'ready':
        return;
      case 'copy':
        await vscode.env.clipboard.writeText(message.text);
        void vscode.window.setStatusBarMessage('Kubeadm: copied', 2000);
        return;
      case 'runInTerminal':
        return runInTerminal(message, panel.currentView);
      case 'upgradeNode':
        return startUpgrade(services, message);
      case 'showBackups':
        await vscode.commands.executeCommand(SHOW_BACKUPS_COMMAND, { context: message.context, node: message.node });
        return;
      case 'cleanup':
        if (await cleanupBackups(services, message, panel.currentView)) await reloadBackups(services, panel);
        return;
      case 'refresh': {
        // A plan's Re-run runs Plan Upgrade again on the same node; a backups view reads the backups again.
        const view = panel.currentView;
        if (view?.kind === 'plan' && view.source.origin === 'run') {
          await vscode.commands.executeCommand('kubeadm.planUpgrade', { context: view.source.context, node: view.source.node });
          return;
        }
        await reloadBackups(services, panel);
        return;
      }
    }
  };
}

async function reloadBackups(services: ExecutionServices, panel: PlanPanel): Promise<void> {
  const view = panel.currentView;
  if (view?.kind !== 'backups' || !view.context) return;
  const only = view.nodes.length === 1 ? view.nodes[0]!.node : null;
  panel.notice('info', 'Reading the backups…');
  panel.setView(await loadBackups(services, view.context, only));
}
