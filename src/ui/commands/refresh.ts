import { NO_TARGET, type CommandSpec } from './command';
import type { TreeElement } from '../tree/elements';
import type { Services } from '../services';

/** Kubeadm: Refresh — re-reads the kubeconfig and every cluster; on a cluster item, only that cluster. */
export function refresh(services: Services): CommandSpec<null> {
  return {
    id: 'kubeadm.refresh',
    resolve: NO_TARGET,
    run: async (_, c) => {
      const element = c.arg as TreeElement | undefined;
      if (element && (element.kind === 'cluster' || element.kind === 'error')) {
        await services.store.refresh(element.cluster.contextName);
        return;
      }
      await services.loader.load();
    },
  };
}
