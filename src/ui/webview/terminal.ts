import * as vscode from 'vscode';
import { offeredCommands, type ViewModel, type WebviewMessage } from '../../core/planView/protocol';

type RunMessage = Extract<WebviewMessage, { type: 'runInTerminal' }>;

export const terminalName = (node: string | null): string => `kubeadm: ${node ?? 'node'}`;

/**
 * "Run in terminal": only a command the current view offered, only after a modal confirmation that shows the exact
 * text. A terminal already named after the node (where you logged in to it) gets the command with Enter; a new
 * terminal is a local shell, so the command is only typed there, never executed, until you are on the node.
 */
export async function runInTerminal(message: RunMessage, view: ViewModel | undefined): Promise<{ readonly terminal: string; readonly executed: boolean } | undefined> {
  if (!view || !offeredCommands(view).has(message.command)) {
    void vscode.window.showErrorMessage('Kubeadm: this command is not one the view offered; nothing was run.');
    return undefined;
  }
  const name = terminalName(message.node);
  const existing = vscode.window.terminals.find((t) => t.name === name);
  const where = existing
    ? `It is sent to the terminal "${name}" and runs there at once: that terminal must be a shell on ${message.node ?? 'the node'}.`
    : `A new terminal "${name}" opens (a local shell): the command is typed but not run. Log in to ${message.node ?? 'the node'} there first, then press Enter.`;
  const restore = message.danger === 'restore' ? 'This changes the node (files or services). ' : '';
  const choice = await vscode.window.showWarningMessage(
    `${message.title}${message.node ? ` on ${message.node}` : ''}?`,
    { modal: true, detail: `${restore}${where}\n\n${message.command}` },
    existing ? 'Run' : 'Type in New Terminal',
  );
  if (!choice) return undefined;
  const terminal = existing ?? vscode.window.createTerminal({ name });
  terminal.show(false);
  terminal.sendText(message.command, existing !== undefined);
  return { terminal: name, executed: existing !== undefined };
}
