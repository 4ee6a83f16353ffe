import * as vscode from 'vscode';
import { runCommand, type CommandSpec } from './command';
import { commandContext } from './commandContext';
import type { CommandId } from './ids';
import type { CommandUi } from './commandUi';
import type { ClusterList } from './nodePickers';

/** The command wrapper's UI in VS Code. */
export const vscodeCommandUi: CommandUi = {
  error: (message) => void vscode.window.showErrorMessage(message),
  warning: (message) => void vscode.window.showWarningMessage(message),
  info: (message) => void vscode.window.showInformationMessage(message),
  pick: async (items, options) => (await vscode.window.showQuickPick(items.map((item) => ({ ...item, item })), options))?.item.value,
};

/** Runs one of the extension's own commands (the id is checked at compile time). */
export function runOwnCommand(id: CommandId, ...args: unknown[]): Thenable<unknown> {
  return vscode.commands.executeCommand(id, ...args);
}

/** Registers a command through the one wrapper (commands/command.ts): its argument read once, its failure reported. */
export function commandRegistrar(clusters: ClusterList): <T>(spec: CommandSpec<T>) => vscode.Disposable {
  return (spec) => vscode.commands.registerCommand(spec.id, (arg?: unknown) => runCommand(spec, commandContext(arg, clusters, vscodeCommandUi)));
}
