import * as vscode from 'vscode';
import { recoveryMarkdown } from '../../core/upgrade/recovery';
import type { Services } from '../services';
import { pickRun, type RunArg } from './resumeUpgrade';

/** Kubeadm: Show Recovery Steps — the way back for a failed run, filled in for its node, in a Markdown preview. */
export function showRecoverySteps(services: Services) {
  return async (runId?: RunArg) => {
    const run = await pickRun(services, runId);
    if (!run) return;
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: recoveryMarkdown(run) });
    await vscode.commands.executeCommand('markdown.showPreview', doc.uri).then(undefined, () => vscode.window.showTextDocument(doc));
  };
}
