import * as vscode from 'vscode';
import { askTargetVersion } from '../targetInput';
import type { ClusterState } from '../../core/clusterStore';
import type { NodeAccess } from '../../core/exec/nodeAccess';
import type { NodeSnapshot } from '../../core/snapshot/model';
import { phasesFor, type UpgradeContext, type UpgradeOptions } from '../../core/upgrade/phases';
import { buildContext, gatherNodeFacts } from '../../core/upgrade/prepare';
import { roleSentence } from '../../core/progress';
import { repoDiffText } from '../../core/upgrade/repo';
import { candidateTargets, type TargetCandidate } from '../../core/upgrade/targets';
import { formatMinor, formatVersion, newestPatchOf, parseMinor, parseVersion, type KubeVersion } from '../../core/version';
import { preUpgradeGate } from './preUpgradeGate';

/**
 * Asks the node what it can install, lets the user pick a target the policy allows, applies the guards, and
 * returns the context of the run; undefined when the user stops or a guard refuses (after saying why).
 */
export async function prepareUpgrade(
  cluster: ClusterState,
  node: NodeSnapshot,
  /** The command's access to the cluster's nodes: the executor fetched here is the one the run uses. */
  nodes: NodeAccess,
  options: UpgradeOptions,
  presetTarget?: string,
  /** `preview` (dry run) skips the final "Start Upgrade?" question: nothing will run. */
  mode: 'run' | 'preview' = 'run',
): Promise<UpgradeContext | undefined> {
  const snapshot = cluster.snapshot!;
  const facts = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Asking ${node.name} what it can install…` }, async () =>
    gatherNodeFacts(node.name, await nodes.executorFor(node)),
  );
  const repoMinor = facts.repo.find((l) => l.minor)?.minor;
  const candidates = candidateTargets(snapshot, node.name, facts.versions, repoMinor);
  const target = presetTarget ? pickPreset(presetTarget, candidates) : await pickTarget(node, candidates, repoMinor);
  if (!target) return undefined;

  const { context: ctx, guards } = buildContext(cluster.contextName, snapshot, node.name, facts, target.version, options, new Date());
  const refused = guards.filter((g) => g.severity === 'refuse');
  if (refused.length > 0) {
    void vscode.window.showErrorMessage(`Kubeadm: ${node.name} cannot be upgraded to ${formatVersion(target.version)}.`, { modal: true, detail: refused.map((g) => `• ${g.reason}`).join('\n') });
    return undefined;
  }
  for (const g of guards.filter((x) => x.severity === 'ask')) {
    const go = await vscode.window.showWarningMessage(`Kubeadm: continue with ${node.name}?`, { modal: true, detail: g.reason }, 'Continue');
    if (go !== 'Continue') return undefined;
  }
  if (mode === 'preview') return ctx;
  // Readiness report and (first control plane) etcd snapshot; either can stop the upgrade here.
  if (!(await preUpgradeGate(cluster, node, ctx, nodes))) return undefined;
  const repoChange = ctx.repoChange;
  const steps = phasesFor(ctx).map((p, i) => `${i + 1}. ${p.title}${p.confirm ? '  [asks first]' : ''}`);
  const detail = [
    roleSentence(snapshot, node.name, ctx.role),
    `Package manager: ${ctx.packageManager} · package ${ctx.packageVersion}`,
    repoChange ? `\nRepository change:\n${repoDiffText(repoChange)}` : '',
    `\nSteps:\n${steps.join('\n')}`,
  ].join('\n');
  const start = await vscode.window.showInformationMessage(`Upgrade ${node.name} to ${formatVersion(ctx.target)}?`, { modal: true, detail }, 'Start Upgrade');
  return start === 'Start Upgrade' ? ctx : undefined;
}

interface TargetItem extends vscode.QuickPickItem {
  readonly candidate?: TargetCandidate;
}

async function pickTarget(node: NodeSnapshot, candidates: TargetCandidate[], repoMinor: { major: number; minor: number } | undefined): Promise<TargetCandidate | undefined> {
  const items: TargetItem[] = candidates.map((c) => {
    const refused = c.guards.find((g) => g.severity === 'refuse');
    return {
      label: `${refused ? '$(circle-slash) ' : ''}${formatVersion(c.version)}`,
      description: [c.note, c.packageVersion ? `package ${c.packageVersion}` : '', c.needsRepoSwitch ? 'switches the repo minor' : ''].filter(Boolean).join(' · '),
      detail: refused ? `Not allowed: ${refused.reason}` : undefined,
      candidate: c,
    };
  });
  items.push({ label: '$(edit) Another version…', description: repoMinor ? `e.g. the next minor, v${repoMinor.major}.${repoMinor.minor + 1}.x (the repo is switched first)` : undefined });
  const picked = await vscode.window.showQuickPick(items, {
    title: `Upgrade ${node.name} (kubelet ${node.kubelet?.version ? formatVersion(node.kubelet.version) : 'unknown'}) to…`,
    placeHolder: candidates.length ? 'Versions the node\'s package repository offers, checked against the skew policy' : 'The repository offers nothing newer: enter a version',
    matchOnDescription: true,
  });
  if (!picked) return undefined;
  if (picked.candidate) return picked.candidate;
  const offered = candidates.map((c) => ({ version: c.version, source: `${node.name}'s package repository` }));
  const version = await askTargetVersion(`Target version for ${node.name}`, offered, repoMinor ? { major: repoMinor.major, minor: repoMinor.minor + 1 } : undefined);
  return version ? { version, needsRepoSwitch: !!repoMinor && repoMinor.minor !== version.minor, guards: [] } : undefined;
}

function pickPreset(text: string, candidates: TargetCandidate[]): TargetCandidate | undefined {
  const minor = parseMinor(text);
  if (minor) {
    // A bare minor: the newest patch of it the node's repository offers, and say which; nothing offered, no guess.
    const newest = newestPatchOf(minor, candidates.map((c) => c.version));
    const pick = newest && candidates.find((c) => c.version === newest);
    if (pick) void vscode.window.showInformationMessage(`Kubeadm: ${text} → ${formatVersion(pick.version)}, the newest ${formatMinor(minor)} patch the node's repository offers.`);
    else void vscode.window.showErrorMessage(`Kubeadm: the node's repository offers no ${formatMinor(minor)} release: give a full version such as v${formatMinor(minor)}.0.`);
    return pick;
  }
  const v: KubeVersion | undefined = parseVersion(text);
  if (!v) return undefined;
  return candidates.find((c) => formatVersion(c.version) === formatVersion(v)) ?? { version: v, needsRepoSwitch: false, guards: [] };
}
