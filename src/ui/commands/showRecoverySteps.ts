import * as vscode from 'vscode';
import { recoveryMarkdown } from '../../core/upgrade/recovery';
import { formatVersion } from '../../core/version';
import type { UpgradeRunState } from '../../core/upgrade/state';
import type { Services } from '../services';
import type { CommandSpec } from './command';
import { pickRun } from './resumeUpgrade';

/** Kubeadm: Show Recovery Steps — the way back for a failed run, filled in for its node, in a Markdown preview. */
export function showRecoverySteps(services: Services): CommandSpec<UpgradeRunState> {
  return {
    id: 'kubeadm.showRecoverySteps',
    resolve: (c) => pickRun(services, c),
    run: async (run) => {
      // "--force at the version the cluster runs now": kubeadm-config's kubernetesVersion as the view last read it.
      const snapshot = services.store.get(run.context.cluster)?.snapshot;
      const current = snapshot?.kubernetesVersion ?? snapshot?.serverVersion;
      const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: recoveryMarkdown(run, current ? formatVersion(current) : null) });
      await vscode.commands.executeCommand('markdown.showPreview', doc.uri).then(undefined, () => vscode.window.showTextDocument(doc));
    },
  };
}
