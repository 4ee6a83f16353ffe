import * as vscode from 'vscode';
import type { WebviewMessage } from '../../core/planView/protocol';

type UpgradeMessage = Extract<WebviewMessage, { type: 'upgradeNode' }>;

export const UPGRADE_NODE_COMMAND = 'kubeadm.upgradeNode';

/** "Upgrade control plane to vX": hands over to the Upgrade Node flow, or says clearly that it is not there yet. */
export async function startUpgrade(message: UpgradeMessage): Promise<void> {
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
  await vscode.commands.executeCommand(UPGRADE_NODE_COMMAND, { context: message.context, node: message.node, target: message.target });
}
