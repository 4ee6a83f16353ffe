import { NO_TARGET, type CommandSpec } from './command';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { Services } from '../services';
import { runOwnCommand } from './register';

/** Kubeadm: Open Kubeconfig — opens the file the tree reads (the first that exists), to fix a server or credentials. */
export function openKubeconfig(services: Services): CommandSpec<null> {
  return {
    id: 'kubeadm.openKubeconfig',
    resolve: NO_TARGET,
    run: async () => {
      const file = services.loader.files.find((f) => fs.existsSync(f));
      if (!file) {
        const choice = await vscode.window.showWarningMessage(
          `No kubeconfig found (looked in ${services.loader.files.join(', ')}).`,
          'Choose a kubeconfig file…',
        );
        if (choice) await runOwnCommand('kubeadm.chooseKubeconfig');
        return;
      }
      await vscode.window.showTextDocument(vscode.Uri.file(file));
    },
  };
}
