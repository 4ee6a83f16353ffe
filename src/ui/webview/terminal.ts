import * as vscode from 'vscode';
import { unaudited } from '../../adapters/storage/audited';
import { raw } from '../../core/exec/shell';
import { runRecoveryStep } from '../../core/exec/recoveryStep';
import type { ViewModel, WebviewMessage } from '../../core/clusterPanel/protocol';
import { CONFIGURE_EXECUTION, type ExecutionServices } from './hostServices';
import { offeredStep } from './offeredStep';
import { goAheadDespiteLock } from '../lockCheck';

type RunMessage = Extract<WebviewMessage, { type: 'runInTerminal' | 'runOnNode' }>;

let channel: vscode.OutputChannel | undefined;

/**
 * "Run in terminal…" / "Run on node…" on a step of the backups view: only a step the view the host rendered offers,
 * looked up by its id, with the context, node, title, danger and command taken from that view (offeredStep), never
 * from the message; only through that node's executor (SSH, or the terminal executor's own ssh session to the node),
 * after a modal confirmation showing the exact text. Output streams to "Kubeadm: Recovery", the exit code is shown
 * and the audit log gets a line when it starts and when it ends. Never sent into a terminal found by name: a terminal
 * called `kubeadm: <node>` may be a local shell.
 */
export async function runOfferedStep(message: RunMessage, view: ViewModel | undefined, services: ExecutionServices): Promise<void> {
  const step = offeredStep(view, message);
  if (!step) {
    void vscode.window.showErrorMessage('Kubeadm: this command is not one the view offered; nothing was run.');
    return;
  }
  if (!(await goAheadDespiteLock(services, step.context, step.node, `"${step.title}" on ${step.node}`))) return;
  const executor = await services.executorFor(step.context, step.node);
  if (!executor) {
    void vscode.window.showErrorMessage(`Kubeadm: ${CONFIGURE_EXECUTION}`);
    return;
  }
  channel ??= vscode.window.createOutputChannel('Kubeadm: Recovery');
  const out = channel;
  const r = await runRecoveryStep(
    { context: step.context, node: step.node, title: step.title, command: raw(step.command), danger: step.danger },
    {
      executor: unaudited(executor), // runRecoveryStep writes the audit lines (with the step's title)
      confirm: async (question, detail) => (await vscode.window.showWarningMessage(question, { modal: true, detail }, 'Run')) === 'Run',
      output: (text) => {
        out.show(true);
        out.append(text);
      },
      audit: (entry) => services.appendAudit?.(entry),
    },
  );
  if (!r) return;
  if (r.exitCode === 0) void vscode.window.showInformationMessage(`Kubeadm: "${step.title}" on ${step.node} finished (exit code 0).`);
  else void vscode.window.showErrorMessage(`Kubeadm: "${step.title}" on ${step.node} failed: ${r.exitCode === null ? r.failure ?? 'no exit code' : `exit code ${r.exitCode}`}. See "Kubeadm: Recovery".`);
}
