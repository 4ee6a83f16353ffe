import * as vscode from 'vscode';

/** Typed access to the extension's settings (package.json `contributes.configuration`). */
export interface Settings {
  readonly kubeconfig: string[];
  readonly targetVersion: string;
  readonly kubectlPath: string;
}

export function readSettings(): Settings {
  const c = vscode.workspace.getConfiguration('kubeadm');
  const kc = c.get<string | string[]>('kubeconfig', []);
  return {
    kubeconfig: (Array.isArray(kc) ? kc : [kc]).filter((p) => typeof p === 'string' && p.trim() !== ''),
    targetVersion: c.get<string>('targetVersion', '').trim(),
    kubectlPath: c.get<string>('kubectlPath', 'kubectl').trim(),
  };
}
