import * as vscode from 'vscode';
import { resumeGuards } from '../../core/upgrade/resumeGuards';
import type { UpgradeRunState } from '../../core/upgrade/state';
import { nodeRunDescription } from '../../core/clusterUpgrade/nodeRuns';
import { formatVersion } from '../../core/version';
import type { Services } from '../services';
import type { CommandSpec } from './command';
import type { CommandContext } from './commandContext';
import { offerAfterFailure } from './offerAfterFailure';
import { runOwnCommand } from './register';

/**
 * Kubeadm: Resume Upgrade — continues a failed, cancelled or interrupted run from the step it stopped at, after
 * reading the cluster again and re-checking the guards against it as it is now.
 */
export function resumeUpgrade(services: Services): CommandSpec<UpgradeRunState> {
  return {
    id: 'kubeadm.resumeUpgrade',
    resolve: (cc) => pickRun(services, cc),
    failure: (run) => `cannot resume the upgrade of ${run.context.node}`,
    run: async (run, cc) => {
      const c = run.context;
      // One Resume: a node run a stopped cluster run started is continued by that run (its batches and gates, and
      // its view and the tree then agree), never alone.
      const owner = await services.clusterRuns?.ownerOf(run.id);
      if (owner) {
        cc.ui.info(`Kubeadm: ${c.node}'s run is part of the stopped upgrade of ${owner.cluster} to ${formatVersion(owner.target)}: resuming that cluster upgrade.`);
        await runOwnCommand('kubeadm.resumeClusterUpgrade', owner.id);
        return;
      }
      await services.store.refresh(c.cluster);
      const snapshot = services.store.get(c.cluster)?.snapshot;
      const node = snapshot?.nodes.find((n) => n.name === c.node);
      if (!snapshot || !node) {
        cc.ui.error(`Kubeadm: ${c.node} is not in the loaded cluster ${c.cluster}; refresh and try again.`);
        return;
      }
      if (!(await guardsAllow(snapshot, run))) return;
      const result = await services.upgrades.run(run, node, services.access.nodes(c.cluster));
      void services.store.refresh(c.cluster);
      if (result.status === 'done') void vscode.window.showInformationMessage(`Kubeadm: ${c.node} upgraded to ${formatVersion(c.target)} and uncordoned.`);
      else await offerAfterFailure(services, result);
    },
  };
}

async function guardsAllow(snapshot: Parameters<typeof resumeGuards>[0], run: UpgradeRunState): Promise<boolean> {
  const c = run.context;
  const guards = resumeGuards(snapshot, run);
  const refused = guards.filter((g) => g.severity === 'refuse');
  if (refused.length > 0) {
    void vscode.window.showErrorMessage(`Kubeadm: the upgrade of ${c.node} to ${formatVersion(c.target)} cannot resume.`, { modal: true, detail: refused.map((g) => `• ${g.reason}`).join('\n') });
    return false;
  }
  for (const g of guards.filter((x) => x.severity === 'ask')) {
    const go = await vscode.window.showWarningMessage(`Kubeadm: resume the upgrade of ${c.node}?`, { modal: true, detail: g.reason }, 'Continue');
    if (go !== 'Continue') return false;
  }
  return true;
}

/** The run: its id (the argument from a notification), else the node item's unfinished run, else the only one or a pick. */
export async function pickRun(services: Services, c: CommandContext): Promise<UpgradeRunState | undefined> {
  const all = await services.upgrades.store.list();
  let runs = all.filter((r) => r.status !== 'done');
  // A node's tree item: its runs only (a `{context, node}` object names no node item, so it is not narrowed).
  const item = typeof c.arg === 'object' && c.arg !== null && (c.arg as { kind?: unknown }).kind === 'node' ? c.target : undefined;
  if (item) runs = runs.filter((r) => r.context.cluster === item.context && r.context.node === item.node);
  const runId = typeof c.arg === 'string' ? c.arg : runs.length === 1 ? runs[0]!.id : undefined;
  if (runId) {
    const r = all.find((x) => x.id === runId);
    if (!r) c.ui.error(`Kubeadm: no upgrade run ${runId}.`);
    return r;
  }
  if (runs.length === 0) {
    c.ui.info('Kubeadm: no unfinished upgrade to resume.');
    return undefined;
  }
  // Two unfinished runs of one node are told apart by kind (alone, or part of a cluster upgrade) and time.
  const owners = await Promise.all(runs.map((r) => services.clusterRuns?.ownerOf(r.id)));
  return c.ui.pick(
    runs.map((r, i) => ({ label: `${r.context.node} → ${formatVersion(r.context.target)}`, description: `${r.context.cluster} · ${nodeRunDescription(r, owners[i])}`, detail: r.error, value: r })),
    { title: 'Unfinished upgrades' },
  );
}
