import * as vscode from 'vscode';
import type { UpgradeRunState } from '../../core/upgrade/state';

/** After a failed or cancelled run: say what state the node is in and offer resume and the recovery steps. */
export async function offerAfterFailure(run: UpgradeRunState): Promise<void> {
  const actions = ['Resume', 'Show Recovery Steps', ...(run.context.role !== 'worker' ? ['Show Backups'] : [])];
  const pick = await vscode.window.showErrorMessage(`Kubeadm: ${run.error ?? `upgrade of ${run.context.node} ${run.status}`}`, ...actions);
  if (pick === 'Resume') await vscode.commands.executeCommand('kubeadm.resumeUpgrade', run.id);
  if (pick === 'Show Recovery Steps') await vscode.commands.executeCommand('kubeadm.showRecoverySteps', run.id);
  if (pick === 'Show Backups') await vscode.commands.executeCommand('kubeadm.showBackups', { context: run.context.cluster, node: run.context.node });
}
