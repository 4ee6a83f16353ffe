import * as vscode from 'vscode';
import { formatVersion } from '../../core/version';
import type { Services } from '../services';
import { commandTarget } from './commandTarget';

/** Kubeadm: Resume Cluster Upgrade — continues a stopped cluster run from the failed step of the failed node. */
export function resumeClusterUpgrade(services: Services) {
  return async (arg?: unknown) => {
    const runs = services.clusterRuns;
    if (!runs) return;
    await runs.restore();
    const id = typeof arg === 'string' ? arg : undefined;
    const context = commandTarget(arg).context;
    const candidates = runs.unfinished(context).filter((r) => !id || r.id === id);
    if (candidates.length === 0) {
      void vscode.window.showInformationMessage('Kubeadm: no stopped cluster upgrade to resume.');
      return;
    }
    const run =
      candidates.length === 1
        ? candidates[0]!
        : (await vscode.window.showQuickPick(candidates.map((r) => ({ label: `${r.cluster} → ${formatVersion(r.target)}`, description: r.status, detail: r.error, run: r })), { title: 'Stopped cluster upgrades' }))?.run;
    if (!run) return;
    try {
      const result = await runs.run(run);
      if (result.status === 'done') void vscode.window.showInformationMessage(`Kubeadm: ${run.cluster} is at ${formatVersion(run.target)}; verification passed.`);
      else void vscode.window.showErrorMessage(`Kubeadm: the upgrade of ${run.cluster} ${result.status}: ${result.error ?? ''}`);
    } catch (e) {
      void vscode.window.showErrorMessage(`Kubeadm: cannot resume: ${(e as Error).message}`);
    }
  };
}
