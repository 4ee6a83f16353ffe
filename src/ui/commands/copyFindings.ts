import { NO_TARGET, type CommandSpec } from './command';
import * as vscode from 'vscode';
import type { TreeElement } from '../tree/elements';
import type { Services } from '../services';

/** Kubeadm: Copy Skew Findings — the cluster's (or node's) findings as JSON, the CLI's `skew --json` shape. */
export function copyFindings(services: Services): CommandSpec<null> {
  return {
    id: 'kubeadm.copyFindings',
    resolve: NO_TARGET,
    run: async (_, c) => {
      const element = c.arg as TreeElement | undefined;
      const contextName = element && 'cluster' in element ? element.cluster.contextName : undefined;
      const state = contextName ? services.store.get(contextName) : services.store.list()[0];
      if (!state) return;
      const findings = element?.kind === 'node' ? element.findings : state.findings;
      await vscode.env.clipboard.writeText(JSON.stringify({ context: state.contextName, findings }, null, 2));
      void vscode.window.showInformationMessage(`Copied ${findings.length} finding(s) of ${state.contextName}.`);
    },
  };
}
