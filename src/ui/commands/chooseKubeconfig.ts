import * as vscode from 'vscode';

/** Kubeadm: Choose Kubeconfig File… — sets `kubeadm.kubeconfig` (user settings) to a picked file. */
export function chooseKubeconfig() {
  return async () => {
    const picked = await vscode.window.showOpenDialog({ canSelectMany: true, openLabel: 'Use for Kubeadm Clusters', title: 'Kubeconfig file(s)' });
    if (!picked || picked.length === 0) return;
    await vscode.workspace
      .getConfiguration('kubeadm')
      .update('kubeconfig', picked.map((u) => u.fsPath), vscode.ConfigurationTarget.Global);
  };
}
