import type { PlanViewModel, WhatWillChange } from '../../core/clusterPanel/model';
import { upgradeDiffFor, type NodeDiffOutcome } from '../../core/manifestDiff/forNode';
import { upgradeOptionsFor, type Settings } from '../settings';
import type { ExecutionServices } from '../webview/hostServices';
import type { ClusterPanel } from '../webview/clusterPanel';

/**
 * Fills the plan view's "What will change": `kubeadm upgrade diff <target>` on every control plane of the cluster (the
 * composition `kubeadm-upgrade diff` uses, with the cluster's patches folder), shown running first, then per node the
 * diff or why it could not run. Only while the panel still shows this plan.
 */
export async function fillWhatWillChange(services: ExecutionServices, panel: ClusterPanel, view: PlanViewModel, settings: Settings): Promise<void> {
  const context = view.source.context;
  const target = view.cards.find((c) => c.target)?.target;
  const snapshot = context ? services.store.get(context)?.snapshot : undefined;
  if (!context || !target || !snapshot) return;
  const patchesDir = upgradeOptionsFor(settings, context).patchesDir ?? null;
  const update = (w: WhatWillChange) => {
    const current = panel.currentView;
    if (current?.kind === 'plan' && current.source.at === view.source.at) panel.setView({ ...current, whatWillChange: w });
  };
  update({ target, running: true, patchesDir, nodes: [] });
  const cps = snapshot.nodes.filter((n) => n.controlPlane);
  const access = services.access.nodes(context, settings);
  const nodes: NodeDiffOutcome[] = await Promise.all(
    cps.map((n) =>
      settings.execution === 'ssh'
        ? upgradeDiffFor(n, target, (x) => access.executorFor(x), patchesDir ?? undefined)
        : Promise.resolve<NodeDiffOutcome>({ kind: 'notRun', node: n.name, reason: 'kubeadm upgrade diff is read from its output, which the terminal execution mode does not capture', fix: 'Set kubeadm.execution to ssh (or run `kubeadm-upgrade diff --node NODE --to TARGET` from a shell that reaches the node).' }),
    ),
  );
  for (const o of nodes) services.log.appendLine(`[plan] what will change on ${o.node}: ${o.kind === 'diff' ? `${o.diff.changes.length} manifest(s) change, ${o.diff.lost.length} hand edit(s) lost` : `could not run: ${o.reason}`}`);
  update({ target, running: false, patchesDir, nodes });
}
