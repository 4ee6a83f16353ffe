import * as vscode from 'vscode';
import type { ClusterState } from '../../core/clusterStore';
import type { TreeElement } from '../tree/elements';
import type { Services } from '../services';
import type { CommandSpec } from './command';

/** Kubeadm: Copy Skew Findings — the cluster's (or node's) findings as JSON, the CLI's `skew --json` shape. */
export function copyFindings(services: Services): CommandSpec<ClusterState> {
  return {
    id: 'kubeadm.copyFindings',
    // The item's cluster; from the palette the first one (nothing to copy without a cluster).
    resolve: (c) => Promise.resolve(c.target.context ? services.store.get(c.target.context) : services.store.list()[0]),
    run: async (state, c) => {
      const element = c.arg as TreeElement | undefined;
      const findings = element?.kind === 'node' ? element.findings : state.findings;
      await vscode.env.clipboard.writeText(JSON.stringify({ context: state.contextName, findings }, null, 2));
      void vscode.window.showInformationMessage(`Copied ${findings.length} finding(s) of ${state.contextName}.`);
    },
  };
}
