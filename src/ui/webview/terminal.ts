import * as vscode from 'vscode';
import { unaudited } from '../../adapters/storage/audited';
import { raw } from '../../core/exec/shell';
import { runRecoveryStep } from '../../core/exec/recoveryStep';
import { offeredCommands, type ViewModel, type WebviewMessage } from '../../core/clusterPanel/protocol';
import { CONFIGURE_EXECUTION, type ExecutionServices } from './hostServices';

type RunMessage = Extract<WebviewMessage, { type: 'runInTerminal' }>;

let channel: vscode.OutputChannel | undefined;

/**
 * "Run…" on a recovery step: only a command the current view offered, only on the node it names, only through that
 * node's executor (SSH, or the terminal executor's own ssh session to the node), after a modal confirmation showing
 * the exact text. Output streams to "Kubeadm: Recovery", the exit code is shown and an audit entry written. Never
 * sent into a terminal found by name: a terminal called `kubeadm: <node>` may be a local shell.
 */
export async function runInTerminal(message: RunMessage, view: ViewModel | undefined, services: ExecutionServices): Promise<void> {
  if (!view || !offeredCommands(view).has(message.command)) {
    void vscode.window.showErrorMessage('Kubeadm: this command is not one the view offered; nothing was run.');
    return;
  }
  if (!message.context || !message.node) {
    void vscode.window.showErrorMessage('Kubeadm: this step names no node to run on; copy it and run it on the node yourself.');
    return;
  }
  const executor = await services.executorFor(message.context, message.node);
  if (!executor) {
    void vscode.window.showErrorMessage(`Kubeadm: ${CONFIGURE_EXECUTION}`);
    return;
  }
  channel ??= vscode.window.createOutputChannel('Kubeadm: Recovery');
  const out = channel;
  const r = await runRecoveryStep(
    { context: message.context, node: message.node, title: message.title, command: raw(message.command), danger: message.danger },
    {
      executor: unaudited(executor), // runRecoveryStep writes the one audit line (with the step's title)
      confirm: async (question, detail) => (await vscode.window.showWarningMessage(question, { modal: true, detail }, 'Run')) === 'Run',
      output: (text) => {
        out.show(true);
        out.append(text);
      },
      audit: (entry) => services.appendAudit?.(entry),
    },
  );
  if (!r) return;
  if (r.exitCode === 0) void vscode.window.showInformationMessage(`Kubeadm: "${message.title}" on ${message.node} finished (exit code 0).`);
  else void vscode.window.showErrorMessage(`Kubeadm: "${message.title}" on ${message.node} failed: ${r.exitCode === null ? r.failure ?? 'no exit code' : `exit code ${r.exitCode}`}. See "Kubeadm: Recovery".`);
}
