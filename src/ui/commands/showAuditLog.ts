import * as vscode from 'vscode';
import type { Services } from '../services';

/** Kubeadm: Show Audit Log — every command run on a node (JSON lines: what, where, exit code, duration). */
export function showAuditLog(services: Services) {
  return async () => {
    const file = services.upgrades.audit.file;
    if (services.upgrades.audit.read().length === 0) {
      void vscode.window.showInformationMessage('Kubeadm: the audit log is empty (no command has run on a node yet).');
      return;
    }
    await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: true });
  };
}
