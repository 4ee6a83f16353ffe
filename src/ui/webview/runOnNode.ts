import * as vscode from 'vscode';
import { raw } from '../../core/exec/shell';
import { offeredCommands, type ViewModel, type WebviewMessage } from '../../core/clusterPanel/protocol';
import type { ExecutionServices } from './hostServices';

type RunMessage = Extract<WebviewMessage, { type: 'runOnNode' }>;

/**
 * "Run on node…": only a command the current view offered, only after a modal confirmation with its exact text; runs
 * with sudo through the node's executor (SSH or terminal, as configured) and is recorded in the audit log.
 */
export async function runOnNode(services: ExecutionServices, message: RunMessage, view: ViewModel | undefined): Promise<void> {
  if (!view || !offeredCommands(view).has(message.command) || !message.context) {
    void vscode.window.showErrorMessage('Kubeadm: this command is not one the view offered; nothing was run.');
    return;
  }
  const ok = await vscode.window.showWarningMessage(
    `${message.title} on ${message.node}?`,
    { modal: true, detail: `${message.danger === 'restore' ? 'This changes the node (files or services). ' : ''}Runs as root on ${message.node}:\n\n${message.command}` },
    'Run',
  );
  if (ok !== 'Run') return;
  const executor = await services.executorFor(message.context, message.node);
  if (!executor) {
    void vscode.window.showErrorMessage(`Kubeadm: no way to run commands on ${message.node} is configured.`);
    return;
  }
  const started = Date.now();
  const r = await executor.run(raw(message.command), { sudo: true, timeoutMs: 600_000 });
  services.upgrades.audit.append({ time: new Date().toISOString(), run: 'recovery', cluster: message.context, node: message.node, phase: message.title, command: `sudo ${message.command}`, where: executor.description, exitCode: r.exitCode, durationMs: Date.now() - started, ...(r.failure ? { failure: r.failure } : {}) });
  services.log.appendLine(`[recovery] ${message.node}: ${message.command}\n${r.stdout}${r.stderr}`);
  if (r.exitCode === 0) void vscode.window.showInformationMessage(`Kubeadm: "${message.title}" done on ${message.node}.`);
  else void vscode.window.showErrorMessage(`Kubeadm: "${message.title}" failed on ${message.node}: ${r.failure ?? (r.stderr.trim() || `exit ${r.exitCode}`)}`);
  services.log.show(true);
}
