import * as vscode from 'vscode';
import type { CommandId } from './commands/ids';

export const FIRST_STEPS_VIEW = 'kubeadmFirstSteps';
const HIDDEN_KEY = 'kubeadm.firstStepsHidden';
const CONTEXT_KEY = 'kubeadm.showFirstSteps';

/**
 * The "Kubeadm: First Steps" view: an empty tree whose welcome content (package.json viewsWelcome) lists the three
 * things to do first — Check Upgrade Readiness…, Plan Upgrade, right-click a node — until the user hides it.
 */
export function registerFirstSteps(state: vscode.Memento): vscode.Disposable {
  const empty: vscode.TreeDataProvider<never> = { getTreeItem: (e) => e, getChildren: () => [] };
  const show = (visible: boolean) => vscode.commands.executeCommand('setContext', CONTEXT_KEY, visible);
  void show(!state.get<boolean>(HIDDEN_KEY, false));
  return vscode.Disposable.from(
    vscode.window.registerTreeDataProvider(FIRST_STEPS_VIEW, empty),
    vscode.commands.registerCommand('kubeadm.hideFirstSteps' satisfies CommandId, async () => {
      await state.update(HIDDEN_KEY, true);
      await show(false);
    }),
    vscode.commands.registerCommand('kubeadm.showFirstSteps' satisfies CommandId, async () => {
      await state.update(HIDDEN_KEY, false);
      await show(true);
      await vscode.commands.executeCommand(`${FIRST_STEPS_VIEW}.focus`);
    }),
  );
}
