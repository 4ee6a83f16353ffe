import * as vscode from 'vscode';
import { newRunState } from '../../core/upgrade/state';
import { formatVersion } from '../../core/version';
import { phasesFor } from '../../core/upgrade/phases';
import { prepareUpgrade } from '../upgrade/prepareUpgrade';
import type { Services } from '../services';
import { readSettings, upgradeOptionsFor } from '../settings';
import type { CommandSpec } from './command';
import type { NodeRef } from './nodePickers';
import { offerAfterFailure } from './offerAfterFailure';

/** Kubeadm: Upgrade Node… — the role-aware kubeadm sequence on one node, with confirmations and resume. */
export function upgradeNode(services: Services): CommandSpec<NodeRef> {
  return {
    id: 'kubeadm.upgradeNode',
    resolve: (c) => c.node(),
    failure: ({ node }) => `cannot upgrade ${node.name}`,
    run: async ({ cluster, node }, c) => {
      if (services.upgrades.isRunning(cluster.contextName, node.name)) {
        c.ui.warning(`Kubeadm: ${node.name} is already being upgraded.`);
        return;
      }
      // One read of the settings and one access to the nodes for the whole command: the executor that asks the node
      // what it can install is the one the readiness check, the etcd snapshot and the steps run through.
      const settings = readSettings();
      const nodes = services.access.nodes(cluster.contextName, settings);
      const ctx = await prepareUpgrade(cluster, node, nodes, upgradeOptionsFor(settings, cluster.contextName), c.target.version);
      if (!ctx) return;
      const state = newRunState(`${ctx.stamp}-${node.name}`, ctx, phasesFor(ctx), new Date());
      const result = await services.upgrades.run(state, node, nodes);
      // The run installed kubeadm at the target first: the tree shows it until a plan asks the node again.
      if (result.status === 'done') services.store.setKubeadmVersion(cluster.contextName, node.name, formatVersion(ctx.target));
      void services.store.refresh(cluster.contextName);
      if (result.status === 'done') void vscode.window.showInformationMessage(`Kubeadm: ${node.name} upgraded to ${ctx.target.raw} and uncordoned.`);
      else await offerAfterFailure(services, result);
    },
  };
}
