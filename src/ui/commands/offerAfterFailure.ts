import * as vscode from 'vscode';
import type { UpgradeRunState } from '../../core/upgrade/state';
import { explainRun, publishFailureDocs, showRecoveryDoc, showWhatHappened } from '../failureDocs';
import type { Services } from '../services';
import { runOwnCommand } from './register';

/**
 * After a failed or cancelled run: one sentence of what stopped it (the explainer's cause, else the step's error),
 * once, with Resume and the pages. The same actions stay on the node item (right-click) after the toast is gone.
 */
export async function offerAfterFailure(services: Services, run: UpgradeRunState): Promise<void> {
  const explained = explainRun(run);
  publishFailureDocs(services, run, explained);
  const actions = [...(explained ? ['What Happened'] : []), 'Resume', 'Recovery Steps', ...(run.context.role !== 'worker' ? ['Show Backups'] : [])];
  const pick = await vscode.window.showErrorMessage(`Kubeadm: ${failureSentence(run, explained?.cause ?? null)}`, ...actions);
  if (pick === 'What Happened') await showWhatHappened(services, run, explained);
  if (pick === 'Resume') await runOwnCommand('kubeadm.resumeUpgrade', run.id);
  if (pick === 'Recovery Steps') await showRecoveryDoc(services, run, explained);
  if (pick === 'Show Backups') await runOwnCommand('kubeadm.showBackups', { context: run.context.cluster, node: run.context.node });
}

/**
 * "The upgrade of worker-1 stopped at step 8/12, Drain worker-1: <cause>." — said once: the cause when the explainer
 * has one (the raw error is in What Happened), else the step's own error.
 */
export function failureSentence(run: UpgradeRunState, cause: string | null): string {
  const i = run.phases.findIndex((p) => p.status === 'failed' || p.status === 'running');
  const where = i >= 0 ? ` at step ${i + 1}/${run.phases.length}, ${run.phases[i]!.title}` : '';
  const verb = run.status === 'cancelled' ? 'was cancelled' : run.status === 'interrupted' ? 'was interrupted' : 'stopped';
  const why = cause ?? run.error ?? null;
  return `The upgrade of ${run.context.node} ${verb}${where}${why ? `: ${why.replace(/\s+$/, '')}` : '.'}${why && !/[.!?]$/.test(why.trim()) ? '.' : ''}`;
}
