import { NO_TARGET, type CommandSpec } from './command';
import * as vscode from 'vscode';

/** Kubeadm: Choose Kubeconfig File… — sets `kubeadm.kubeconfig` (user settings) to a picked file. */
export function chooseKubeconfig(): CommandSpec<null> {
  return {
    id: 'kubeadm.chooseKubeconfig',
    resolve: NO_TARGET,
    run: async () => {
      const picked = await vscode.window.showOpenDialog({ canSelectMany: true, openLabel: 'Use for Kubeadm Clusters', title: 'Kubeconfig file(s)' });
      if (!picked || picked.length === 0) return;
      await vscode.workspace
        .getConfiguration('kubeadm')
        .update('kubeconfig', picked.map((u) => u.fsPath), vscode.ConfigurationTarget.Global);
    },
  };
}
