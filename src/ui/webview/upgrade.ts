import * as vscode from 'vscode';
import type { WebviewMessage } from '../../core/clusterPanel/protocol';
import { pickControlPlaneNode } from '../commands/nodePickers';
import type { CommandId } from '../commands/ids';
import { runOwnCommand, vscodeCommandUi } from '../commands/register';
import type { ExecutionServices } from './hostServices';

type UpgradeMessage = Extract<WebviewMessage, { type: 'upgradeNode' }>;

export const UPGRADE_NODE_COMMAND: CommandId = 'kubeadm.upgradeNode';

/**
 * "Upgrade control plane to vX": hands over to the Upgrade Node flow (`{context, node, target}`), or says clearly
 * that it is not there. A plan opened from a file names no node: pick a control-plane node of its cluster first.
 */
export async function startUpgrade(services: ExecutionServices, message: UpgradeMessage): Promise<void> {
  const commands = await vscode.commands.getCommands(true);
  if (!commands.includes(UPGRADE_NODE_COMMAND)) {
    const apply = `kubeadm upgrade apply ${message.target}`;
    const pick = await vscode.window.showWarningMessage(
      `The Upgrade Node flow is not available in this version of the extension. Run "${apply}" on ${message.node ?? 'the first control-plane node'} yourself.`,
      'Copy Command',
    );
    if (pick) await vscode.env.clipboard.writeText(apply);
    return;
  }
  const cluster = message.context ? services.store.get(message.context) : undefined;
  if (!cluster) {
    void vscode.window.showWarningMessage(`Kubeadm: this plan is not tied to a cluster of the kubeconfig; pick the node to upgrade to ${message.target}.`);
    await runOwnCommand(UPGRADE_NODE_COMMAND);
    return;
  }
  const node = message.node ?? (await pickControlPlaneNode(cluster, vscodeCommandUi, undefined, `Upgrade control plane to ${message.target}`))?.name;
  if (!node) return;
  await runOwnCommand(UPGRADE_NODE_COMMAND, { context: cluster.contextName, node, target: message.target });
}
