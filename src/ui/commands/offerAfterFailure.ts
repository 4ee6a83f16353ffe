import * as vscode from 'vscode';
import { explainStep, stepOutput, whatHappenedDocument, type FailedStep } from '../../core/explain';
import type { UpgradeRunState } from '../../core/upgrade/state';
import { formatVersion } from '../../core/version';
import { runTranscript } from '../upgrade/runOutput';

/** After a failed or cancelled run: say what state the node is in and offer resume and the recovery steps. */
export async function offerAfterFailure(run: UpgradeRunState): Promise<void> {
  const what = whatHappened(run);
  const actions = [...(what ? ['What Happened'] : []), 'Resume', 'Show Recovery Steps', ...(run.context.role !== 'worker' ? ['Show Backups'] : [])];
  const cause = what ? ` — ${what.cause}` : '';
  const pick = await vscode.window.showErrorMessage(`Kubeadm: ${run.error ?? `upgrade of ${run.context.node} ${run.status}`}${cause}`, ...actions);
  if (pick === 'What Happened' && what) {
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: what.document });
    await vscode.commands.executeCommand('markdown.showPreview', doc.uri).then(undefined, () => vscode.window.showTextDocument(doc));
  }
  if (pick === 'Resume') await vscode.commands.executeCommand('kubeadm.resumeUpgrade', run.id);
  if (pick === 'Show Recovery Steps') await vscode.commands.executeCommand('kubeadm.showRecoverySteps', run.id);
  if (pick === 'Show Backups') await vscode.commands.executeCommand('kubeadm.showBackups', { context: run.context.cluster, node: run.context.node });
}

/** The failed step's output, explained: a "What happened" document above the raw output, and its first cause. */
function whatHappened(run: UpgradeRunState): { document: string; cause: string } | null {
  const index = run.phases.findIndex((p) => p.status === 'failed');
  if (index < 0) return null;
  const ps = run.phases[index]!;
  const step: FailedStep = { index, total: run.phases.length, title: ps.title, ...(ps.error ? { error: ps.error } : {}), ...(ps.outputTail ? { outputTail: ps.outputTail } : {}) };
  const output = stepOutput(runTranscript(run.context.node), step);
  const result = explainStep(output, run.context.node, formatVersion(run.context.target));
  if (!result) return null;
  const first = result.findings.find((f) => f.severity === 'failure') ?? result.findings[0]!;
  return { document: whatHappenedDocument(result, step, output), cause: first.cause };
}
