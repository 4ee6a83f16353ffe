import { NO_TARGET, type CommandSpec } from './command';
import * as vscode from 'vscode';
import { auditTable } from '../../core/audit/table';
import type { Services } from '../services';
import type { VirtualDocs } from '../virtualDocs';

/**
 * Kubeadm: Show Audit Log — every command run on a node, as a read-only table grouped by run (what, where, exit
 * code, duration); the raw JSON-lines file is linked in the header and offered as a button.
 */
export function showAuditLog(services: Services, docs: VirtualDocs): CommandSpec<null> {
  return {
    id: 'kubeadm.showAuditLog',
    resolve: NO_TARGET,
    run: async () => {
      const file = services.upgrades.audit.file;
      const skipped: string[] = [];
      const entries = services.upgrades.audit.read((line, reason) => {
        skipped.push(`line ${line}: ${reason}`);
        services.log.appendLine(`Audit log ${file}, line ${line} skipped: ${reason}`);
      });
      if (entries.length === 0) {
        void vscode.window.showInformationMessage('Kubeadm: the audit log is empty (no command has run on a node yet).');
        return;
      }
      await docs.show('/audit log', auditTable(entries, file, skipped), 'markdown');
      const raw = await vscode.window.showInformationMessage(`Kubeadm: audit log of ${entries.length} command(s).`, 'Open Raw File');
      if (raw) await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: true });
    },
  };
}
