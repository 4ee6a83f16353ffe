import * as vscode from 'vscode';
import { dryRunScript } from '../../core/upgrade/phases';
import { formatVersion } from '../../core/version';
import { prepareUpgrade } from '../upgrade/prepareUpgrade';
import { resolveNode, type NodeArg } from '../pickNode';
import type { Services } from '../services';
import { readSettings } from '../settings';
import type { VirtualDocs } from '../virtualDocs';

/**
 * Kubeadm: Preview Upgrade (Dry Run) — asks the node what it can install (read-only commands), then prints the full
 * per-node script in a read-only `kubeadm-upgrade:` document titled `dry-run: worker-1 → v1.36.3` (never a dirty
 * Untitled editor that asks to be saved). Nothing that changes the node or the cluster runs.
 */
export function previewUpgrade(services: Services, docs: VirtualDocs) {
  return async (arg?: NodeArg) => {
    const ref = await resolveNode(services, arg);
    if (!ref) return;
    try {
      const executor = await services.upgradeDeps.executorFor(ref.cluster.contextName, ref.node);
      const ctx = await prepareUpgrade(ref.cluster, ref.node, executor, readSettings().upgrade, arg && 'context' in arg ? arg.target : undefined, 'preview');
      if (!ctx) return;
      await docs.show(`/dry-run: ${ref.node.name} → ${formatVersion(ctx.target)}`, dryRunScript(ctx), 'shellscript');
    } catch (e) {
      void vscode.window.showErrorMessage(`Kubeadm: cannot preview ${ref.node.name}: ${(e as Error).message}`);
    }
  };
}
