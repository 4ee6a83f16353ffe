import * as vscode from 'vscode';
import { dryRunScript } from '../../core/upgrade/phases';
import { prepareUpgrade } from '../upgrade/prepareUpgrade';
import { resolveNode, type NodeArg } from '../pickNode';
import type { Services } from '../services';
import { readSettings } from '../settings';

/**
 * Kubeadm: Preview Upgrade (Dry Run) — asks the node what it can install (read-only commands), then prints the full
 * per-node script in an editor. Nothing that changes the node or the cluster runs.
 */
export function previewUpgrade(services: Services) {
  return async (arg?: NodeArg) => {
    const ref = await resolveNode(services, arg);
    if (!ref) return;
    try {
      const executor = await services.upgradeDeps.executorFor(ref.cluster.contextName, ref.node);
      const ctx = await prepareUpgrade(ref.cluster, ref.node, executor, readSettings().upgrade, arg && 'context' in arg ? arg.target : undefined, 'preview');
      if (!ctx) return;
      const doc = await vscode.workspace.openTextDocument({ language: 'shellscript', content: dryRunScript(ctx) });
      await vscode.window.showTextDocument(doc);
    } catch (e) {
      void vscode.window.showErrorMessage(`Kubeadm: cannot preview ${ref.node.name}: ${(e as Error).message}`);
    }
  };
}
