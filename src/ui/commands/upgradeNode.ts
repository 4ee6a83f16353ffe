import * as vscode from 'vscode';
import { newRunState } from '../../core/upgrade/state';
import { formatVersion } from '../../core/version';
import { phasesFor } from '../../core/upgrade/phases';
import { prepareUpgrade } from '../upgrade/prepareUpgrade';
import { resolveNode, type NodeArg } from '../pickNode';
import type { Services } from '../services';
import { readSettings } from '../settings';
import { offerAfterFailure } from './offerAfterFailure';

/** Kubeadm: Upgrade Node… — the role-aware kubeadm sequence on one node, with confirmations and resume. */
export function upgradeNode(services: Services) {
  return async (arg?: NodeArg) => {
    const ref = await resolveNode(services, arg);
    if (!ref) return;
    const { cluster, node } = ref;
    if (services.upgrades.isRunning(cluster.contextName, node.name)) {
      void vscode.window.showWarningMessage(`Kubeadm: ${node.name} is already being upgraded.`);
      return;
    }
    try {
      const executor = await services.upgradeDeps.executorFor(cluster.contextName, node);
      const preset = arg && 'context' in arg ? arg.target : undefined;
      const ctx = await prepareUpgrade(cluster, node, executor, readSettings().upgrade, preset);
      if (!ctx) return;
      const state = newRunState(`${ctx.stamp}-${node.name}`, ctx, phasesFor(ctx), new Date());
      const result = await services.upgrades.run(state, node);
      // The run installed kubeadm at the target first: the tree shows it until a plan asks the node again.
      if (result.status === 'done') services.store.setKubeadmVersion(cluster.contextName, node.name, formatVersion(ctx.target));
      void services.store.refresh(cluster.contextName);
      if (result.status === 'done') void vscode.window.showInformationMessage(`Kubeadm: ${node.name} upgraded to ${ctx.target.raw} and uncordoned.`);
      else await offerAfterFailure(result);
    } catch (e) {
      void vscode.window.showErrorMessage(`Kubeadm: cannot upgrade ${node.name}: ${(e as Error).message}`);
    }
  };
}
