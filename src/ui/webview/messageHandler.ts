import * as vscode from 'vscode';
import type { WebviewMessage } from '../../core/clusterPanel/protocol';
import { loadBackups } from './backupsLoader';
import { cleanupBackups } from './cleanup';
import type { ExecutionServices } from './hostServices';
import type { MessageHandler, ClusterPanel } from './clusterPanel';
import { runOfferedStep } from './terminal';
import { restoreEtcdFromView } from './restoreEtcd';
import { startUpgrade } from './upgrade';
import { runOwnCommand } from '../commands/register';
import type { CommandId } from '../commands/ids';

export const SHOW_BACKUPS_COMMAND: CommandId = 'kubeadm.showBackups';
export const CHECK_READINESS_COMMAND: CommandId = 'kubeadm.checkReadiness';
export const SNAPSHOT_ETCD_COMMAND: CommandId = 'kubeadm.snapshotEtcd';

/** What the host does for each webview command. */
export function messageHandler(services: ExecutionServices): MessageHandler {
  return async (message: WebviewMessage, panel: ClusterPanel) => {
    switch (message.type) {
      case 'ready':
        return;
      case 'copy':
        await vscode.env.clipboard.writeText(message.text);
        void vscode.window.setStatusBarMessage('Kubeadm: copied', 2000);
        return;
      case 'runInTerminal':
      case 'runOnNode':
        // Context, node, title, danger and command come from the step in the view the host rendered, looked up by
        // its id, never from the message; it runs through that node's executor (terminal.ts), audited.
        return runOfferedStep(message, panel.currentView, services);
      case 'snapshotEtcd':
        // The one snapshot path: Kubeadm: Snapshot etcd (verified, copied off, recorded), then the view reads again.
        await runOwnCommand(SNAPSHOT_ETCD_COMMAND, { context: message.context, node: message.node });
        await reloadBackups(services, panel);
        return;
      case 'restoreEtcd':
        return restoreEtcdFromView(services, message, panel.currentView).catch((e: unknown) => {
          void vscode.window.showErrorMessage(`Kubeadm: etcd restore: ${e instanceof Error ? e.message : String(e)}`);
        });
      case 'upgradeNode':
        return startUpgrade(services, message);
      case 'showBackups':
        await runOwnCommand(SHOW_BACKUPS_COMMAND, { context: message.context, node: message.node });
        return;
      case 'cleanup':
        if (await cleanupBackups(services, message, panel.currentView)) await reloadBackups(services, panel);
        return;
      case 'refresh': {
        // Re-run: a readiness report runs its check again, a plan runs Plan Upgrade again on the same node (each
        // command owns its run and updates this panel); a backups view reads the backups again.
        const view = panel.currentView;
        if (view?.kind === 'readiness') {
          await runOwnCommand(CHECK_READINESS_COMMAND, { context: view.context, target: view.target });
          return;
        }
        if (view?.kind === 'plan' && view.source.origin === 'run') {
          await runOwnCommand('kubeadm.planUpgrade', { context: view.source.context, node: view.source.node });
          return;
        }
        await reloadBackups(services, panel);
        return;
      }
    }
  };
}

async function reloadBackups(services: ExecutionServices, panel: ClusterPanel): Promise<void> {
  const view = panel.currentView;
  if (view?.kind !== 'backups' || !view.context) return;
  const only = view.nodes.length === 1 ? view.nodes[0]!.node : null;
  panel.notice('info', 'Reading the backups…');
  panel.setView(await loadBackups(services, view.context, only));
}
