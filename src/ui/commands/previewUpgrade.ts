import { dryRunScript } from '../../core/upgrade/phases';
import { formatVersion } from '../../core/version';
import { prepareUpgrade } from '../upgrade/prepareUpgrade';
import type { Services } from '../services';
import { readSettings, upgradeOptionsFor } from '../settings';
import type { VirtualDocs } from '../virtualDocs';
import type { CommandSpec } from './command';
import type { NodeRef } from './nodePickers';

/**
 * Kubeadm: Preview Upgrade (Dry Run) — asks the node what it can install (read-only commands), then prints the full
 * per-node script in a read-only `kubeadm-upgrade:` document titled `dry-run: worker-1 → v1.36.3` (never a dirty
 * Untitled editor that asks to be saved). Nothing that changes the node or the cluster runs.
 */
export function previewUpgrade(services: Services, docs: VirtualDocs): CommandSpec<NodeRef> {
  return {
    id: 'kubeadm.previewUpgrade',
    resolve: (c) => c.node(),
    failure: ({ node }) => `cannot preview ${node.name}`,
    run: async ({ cluster, node }, c) => {
      const settings = readSettings();
      const ctx = await prepareUpgrade(cluster, node, services.access.nodes(cluster.contextName, settings), upgradeOptionsFor(settings, cluster.contextName), c.target.version, 'preview');
      if (!ctx) return;
      await docs.show(`/dry-run: ${node.name} → ${formatVersion(ctx.target)}`, dryRunScript(ctx), 'shellscript');
    },
  };
}
