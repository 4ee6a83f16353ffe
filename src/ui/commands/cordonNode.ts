import { KubeDrainApi } from '../../adapters/k8s/drain';
import { auditedDrainApi } from '../../adapters/storage/audited';
import { setCordon } from '../../core/drain';
import { goAheadDespiteLock } from '../lockCheck';
import type { Services } from '../services';
import type { CommandSpec } from './command';
import type { NodeRef } from './nodePickers';

/** Kubeadm: Cordon Node / Uncordon Node — kubectl's cordon and uncordon (no request when already in that state). */
export function setCordonCommand(services: Services, unschedulable: boolean): CommandSpec<NodeRef> {
  return {
    id: unschedulable ? 'kubeadm.cordonNode' : 'kubeadm.uncordonNode',
    resolve: (c) => c.node((n) => n.unschedulable !== unschedulable),
    failure: ({ node }) => `${unschedulable ? 'cordon' : 'uncordon'} of ${node.name} failed`,
    run: async ({ cluster, node }, c) => {
      const ctx = services.loader.context(cluster.contextName);
      if (!ctx) return;
      if (!(await goAheadDespiteLock(services, cluster.contextName, node.name, `${unschedulable ? 'Cordon' : 'Uncordon'} of ${node.name}`))) return;
      const api = auditedDrainApi(new KubeDrainApi(ctx.config), (e) => services.upgrades.audit.append(e), { cluster: cluster.contextName, node: node.name, where: `API ${ctx.server ?? ''}` });
      const r = await setCordon(api, node.name, unschedulable);
      void services.store.refresh(cluster.contextName);
      c.ui.info(`Kubeadm: ${r.message}`);
    },
  };
}
