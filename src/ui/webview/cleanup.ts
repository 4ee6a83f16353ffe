import * as vscode from 'vscode';
import { cleanupCommand } from '../../core/backups/cleanup';
import type { ViewModel, WebviewMessage } from '../../core/clusterPanel/protocol';
import { goAheadDespiteLock } from '../lockCheck';
import { CONFIGURE_EXECUTION, type ExecutionServices } from './hostServices';

type CleanupMessage = Extract<WebviewMessage, { type: 'cleanup' }>;

/**
 * Removes old backups on one node after a modal confirmation listing every folder. Only folders the current view
 * proposed for that node are accepted, and cleanupCommand refuses anything that is not a kubeadm backup.
 * Returns true when something was removed.
 */
export async function cleanupBackups(services: ExecutionServices, message: CleanupMessage, view: ViewModel | undefined): Promise<boolean> {
  const proposed = view?.kind === 'backups' ? view.nodes.find((n) => n.node === message.node)?.cleanupCandidates ?? [] : [];
  const paths = message.paths.filter((p) => proposed.includes(p));
  // The cluster is the one of the view the host rendered, never the message's.
  const context = view?.kind === 'backups' ? view.context : null;
  if (paths.length === 0 || paths.length !== message.paths.length || !context) {
    void vscode.window.showErrorMessage('Kubeadm: these folders are not the ones this view proposed; nothing was removed.');
    return false;
  }
  if (!(await goAheadDespiteLock(services, context, message.node, `Removing old backups on ${message.node}`))) return false;
  const command = cleanupCommand(paths);
  const ok = await vscode.window.showWarningMessage(
    `Remove ${paths.length} backup folder(s) on ${message.node}?`,
    { modal: true, detail: `They cannot be used for recovery afterwards. Runs as root:\n\n${command}` },
    'Remove',
  );
  if (ok !== 'Remove') return false;
  const executor = await services.executorFor(context, message.node);
  if (!executor) {
    void vscode.window.showWarningMessage(CONFIGURE_EXECUTION);
    return false;
  }
  const r = await executor.run(command, { sudo: true, timeoutMs: 120_000 });
  services.log.appendLine(`[backups] ${executor.description}: ${command} → exit ${r.exitCode ?? r.failure ?? 'unknown'}`);
  if (r.exitCode !== 0) {
    void vscode.window.showErrorMessage(`Kubeadm: removing backups on ${message.node} failed: ${r.failure ?? r.stderr.trim()}`);
    return false;
  }
  void vscode.window.showInformationMessage(`Removed ${paths.length} backup folder(s) on ${message.node}.`);
  return true;
}
