import * as vscode from 'vscode';
import { parseVersion } from '../../core/version';

/**
 * Kubeadm: Check Skew for Target Version… — sets `kubeadm.targetVersion`, so the tree also shows what would become
 * unsupported once the control plane is at that version. An empty answer clears it.
 */
export function setTargetVersion() {
  return async () => {
    const current = vscode.workspace.getConfiguration('kubeadm').get<string>('targetVersion', '');
    const value = await vscode.window.showInputBox({
      title: 'Target Kubernetes version for the skew check',
      prompt: 'e.g. v1.32.3 — leave empty to check the current state only',
      value: current,
      validateInput: (v) => (v.trim() === '' || parseVersion(v) ? undefined : 'Not a Kubernetes version (expected e.g. v1.32.3)'),
    });
    if (value === undefined) return;
    await vscode.workspace.getConfiguration('kubeadm').update('targetVersion', value.trim(), vscode.ConfigurationTarget.Global);
  };
}
