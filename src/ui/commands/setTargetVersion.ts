import { NO_TARGET, type CommandSpec } from './command';
import * as vscode from 'vscode';
import { gatherNodeFacts } from '../../core/upgrade/prepare';
import { targetChoices, type TargetChoice } from '../../core/upgrade/targetChoices';
import { parseVersion } from '../../core/version';
import type { Services } from '../services';
import { readSettings } from '../settings';

interface Item extends vscode.QuickPickItem {
  readonly value?: string;
}

/**
 * Kubeadm: Check Skew for Target Version… — sets `kubeadm.targetVersion`, so the tree also shows what would become
 * unsupported once the control plane is at that version. Offers the versions a control plane's package repository
 * has (read-only `apt-cache madison`/`yum list`, when node access is configured), or any version typed in.
 */
export function setTargetVersion(services: Services): CommandSpec<null> {
  return {
    id: 'kubeadm.setTargetVersion',
    resolve: NO_TARGET,
    run: async () => {
      const current = vscode.workspace.getConfiguration('kubeadm').get<string>('targetVersion', '');
      const { choices, from } = await repositoryChoices(services);
      const items: Item[] = [
        ...choices.map((c) => ({ label: c.version, description: `${c.note} · in ${from}'s package repository`, value: c.version })),
        { label: '$(edit) Another version…' },
        ...(current ? [{ label: '$(close) Clear', description: `now ${current}: check the current state only`, value: '' }] : []),
      ];
      const picked = await vscode.window.showQuickPick(items, {
        title: 'Target Kubernetes version for the skew check',
        placeHolder: choices.length ? `Versions ${from}'s package repository offers (patches of the running minor and the next minor)` : 'No node repository could be read: type a version',
      });
      if (!picked) return;
      const value = picked.value ?? (await askVersion(current));
      if (value === undefined) return;
      await vscode.workspace.getConfiguration('kubeadm').update('targetVersion', value.trim(), vscode.ConfigurationTarget.Global);
    },
  };
}

function askVersion(current: string): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: 'Target Kubernetes version for the skew check',
    prompt: 'A full version (vMAJOR.MINOR.PATCH) — leave empty to check the current state only',
    value: current,
    validateInput: (v) => (v.trim() === '' || parseVersion(v) ? undefined : 'Not a Kubernetes version (vMAJOR.MINOR.PATCH)'),
  });
}

/** Asks the first reachable control plane of the first loaded cluster; nothing (no error) when that is not possible. */
async function repositoryChoices(services: Services): Promise<{ choices: TargetChoice[]; from: string }> {
  const cluster = services.store.list().find((c) => c.snapshot?.nodes.some((n) => n.controlPlane));
  const node = cluster?.snapshot?.nodes.find((n) => n.controlPlane);
  // Over SSH only: in terminal mode this would open a terminal on the node just to fill a list.
  const settings = readSettings();
  if (!cluster || !node || settings.execution !== 'ssh') return { choices: [], from: '' };
  try {
    const facts = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Reading the kubeadm versions of ${node.name}'s package repository…` },
      async () => gatherNodeFacts(node.name, await services.access.nodes(cluster.contextName, settings).executorFor(node)),
    );
    return { choices: targetChoices(cluster.snapshot, facts.versions), from: node.name };
  } catch (e) {
    services.log.appendLine(`[target] cannot read ${node.name}'s package repository: ${(e as Error).message}`);
    return { choices: [], from: node.name };
  }
}
