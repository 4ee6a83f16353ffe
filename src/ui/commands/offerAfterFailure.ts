import * as vscode from 'vscode';
import { explainFailedRun, whatHappenedDocument } from '../../core/explain';
import type { UpgradeRunState } from '../../core/upgrade/state';
import { runTranscript } from '../upgrade/runOutput';

/** After a failed or cancelled run: say what state the node is in and offer resume and the recovery steps. */
export async function offerAfterFailure(run: UpgradeRunState): Promise<void> {
  const what = whatHappened(run);
  const actions = [...(what ? ['What Happened'] : []), 'Resume', 'Show Recovery Steps', ...(run.context.role !== 'worker' ? ['Show Backups'] : [])];
  const cause = what ? ` — ${what.cause}` : '';
  const pick = await vscode.window.showErrorMessage(`Kubeadm: ${run.error ?? `upgrade of ${run.context.node} ${run.status}`}${cause}`, ...actions);
  if (pick === 'What Happened' && what) await showWhatHappened(what.document);
  if (pick === 'Resume') await vscode.commands.executeCommand('kubeadm.resumeUpgrade', run.id);
  if (pick === 'Show Recovery Steps') await vscode.commands.executeCommand('kubeadm.showRecoverySteps', run.id);
  if (pick === 'Show Backups') await vscode.commands.executeCommand('kubeadm.showBackups', { context: run.context.cluster, node: run.context.node });
}

/** The failed step's output, explained: a "What happened" document above the raw output, and its first cause. */
export function whatHappened(run: UpgradeRunState): { document: string; cause: string } | null {
  const e = explainFailedRun(run, runTranscript(run.context.node));
  if (!e) return null;
  const first = e.result.findings.find((f) => f.severity === 'failure') ?? e.result.findings[0]!;
  return { document: whatHappenedDocument(e.result, e.step, e.output), cause: first.cause };
}

/** Opens a "What happened" document (Markdown preview, else the text). */
export async function showWhatHappened(document: string): Promise<void> {
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: document });
  await vscode.commands.executeCommand('markdown.showPreview', doc.uri).then(undefined, () => vscode.window.showTextDocument(doc));
}
