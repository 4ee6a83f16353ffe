import * as vscode from 'vscode';
import { failedNode } from '../../core/clusterUpgrade/stopSentence';
import { overallLabel, type ClusterRunState } from '../../core/clusterUpgrade/state';
import { formatVersion } from '../../core/version';
import { failureSentence } from '../commands/offerAfterFailure';
import { explainRun, publishFailureDocs, showWhatHappened } from '../failureDocs';
import type { Services } from '../services';

/**
 * The end of a cluster run (started or resumed): success in one line; a stop said once — the failed node's step and
 * cause, explained from its own output as Upgrade Node does — with Resume, What Happened and Recovery Steps. The same
 * actions stay in the Cluster Upgrade view and on the node item once the notification is gone.
 */
export async function offerAfterClusterRun(services: Services, result: ClusterRunState | undefined): Promise<void> {
  // Not run (refused, or the lock not taken): the refusal was the one thing to say; the old failure is not said again.
  if (!result || result.status === 'planned') return;
  if (result.status === 'done') {
    void vscode.window.showInformationMessage(`Kubeadm: ${result.cluster} is at ${formatVersion(result.target)}; verification passed.`);
    return;
  }
  const failed = failedNode(result);
  const nodeRun = failed?.runId ? (await services.upgrades.store.list()).find((r) => r.id === failed.runId) : undefined;
  const what = nodeRun ? explainRun(nodeRun) : null;
  if (nodeRun) publishFailureDocs(services, nodeRun, what);
  const said = nodeRun ? failureSentence(nodeRun, what?.cause ?? null) : result.error ?? '';
  const pick = await vscode.window.showErrorMessage(
    `Kubeadm: the upgrade of ${result.cluster} to ${formatVersion(result.target)} stopped (${overallLabel(result).replace(/ \([^)]*\)$/, '')}). ${said}`.trim(),
    'Resume',
    ...(what ? ['What Happened'] : []),
    ...(nodeRun ? ['Recovery Steps'] : []),
  );
  if (pick === 'What Happened' && nodeRun) await showWhatHappened(services, nodeRun, what);
  if (pick === 'Recovery Steps' && nodeRun) await vscode.commands.executeCommand('kubeadm.showRecoverySteps', nodeRun.id);
  if (pick === 'Resume') await vscode.commands.executeCommand('kubeadm.resumeClusterUpgrade', result.id);
}
