import { NO_TARGET, type CommandSpec } from './command';
import * as vscode from 'vscode';

/** Kubeadm: Choose How Steps Run… — sets `kubeadm.execution` (SSH with ssh2, or an integrated terminal per node). */
export function chooseExecution(): CommandSpec<null> {
  return {
    id: 'kubeadm.chooseExecution',
    resolve: NO_TARGET,
    run: async () => {
      const current = vscode.workspace.getConfiguration('kubeadm').get<string>('execution', 'ssh');
      const items = [
        { label: 'ssh', description: 'ssh2, one connection per node; output in a pseudoterminal; sudo password asked in a password box' },
        { label: 'terminal', description: 'an integrated terminal per node (ssh -t from a local shell); you can type into it' },
      ].map((i) => ({ ...i, picked: i.label === current }));
      const picked = await vscode.window.showQuickPick(items, { title: 'How upgrade steps run on a node', placeHolder: `now: ${current}` });
      if (!picked) return;
      await vscode.workspace.getConfiguration('kubeadm').update('execution', picked.label, vscode.ConfigurationTarget.Global);
    },
  };
}
