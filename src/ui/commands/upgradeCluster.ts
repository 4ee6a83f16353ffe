import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { ApiClusterSource } from '../../adapters/k8s/apiClusterSource';
import { KubeDrainApi } from '../../adapters/k8s/drain';
import { clusterOrder } from '../../core/upgrade/clusterOrder';
import { describeImpact } from '../../core/clusterUpgrade/batches';
import { parseMaxUnavailable } from '../../core/drain/maxUnavailable';
import { clusterRunId, formatPlan, newClusterRun, upgradePath } from '../../core/clusterUpgrade/plan';
import { prepareClusterPlan } from '../../core/clusterUpgrade/prepare';
import { readinessGateFrom } from '../../core/clusterUpgrade/readinessPorts';
import { runReadiness } from '../../core/readiness';
import { readinessDeps } from '../upgrade/readinessDeps';
import type { ClusterState } from '../../core/clusterStore';
import type { NodeAccess } from '../../core/exec/nodeAccess';
import { clusterVersion } from '../../core/skew/apiservers';
import { buildSnapshot } from '../../core/snapshot/build';
import { gatherNodeFacts, type NodeFacts } from '../../core/upgrade/prepare';
import { nextRepoVersionsCommand } from '../../core/upgrade/nextRepo';
import { parseAvailableVersions } from '../../core/upgrade/packages';
import type { OfferedVersion } from '../../core/upgrade/typedTarget';
import type { NodeSnapshot } from '../../core/snapshot/model';
import { askTarget } from '../targetInput';
import { ClusterPanel } from '../webview/clusterPanel';
import { candidateTargets } from '../../core/upgrade/targets';
import { formatMinor, formatVersion, parseVersion, type KubeVersion, type MinorRef } from '../../core/version';
import type { Services } from '../services';
import type { ClusterRuns } from '../clusterUpgrade/clusterRuns';
import { kubeadmSetting, readSettings, upgradeOptionsFor } from '../settings';
import { formatOverride } from '../../core/readiness/overrides';
import type { CheckId } from '../../core/readiness/types';
import { ClusterUpgradePanel } from '../webview/clusterUpgradePanel';
import type { CommandSpec } from './command';
import type { CommandContext } from './commandContext';
import { offerAfterClusterRun } from '../clusterUpgrade/afterRun';

/**
 * Kubeadm: Upgrade Cluster… — the target, the whole plan (order, batches with PDB impact, per-node commands, API
 * downtime), one confirmation, then the run with its progress view and the verification report.
 */
export function upgradeCluster(services: Services): CommandSpec<ClusterState> {
  return {
    id: 'kubeadm.upgradeCluster',
    resolve: async (c) => {
      const cluster = services.clusterRuns ? await pickCluster(services, c) : undefined;
      return cluster?.snapshot ? cluster : undefined;
    },
    failure: (cluster) => `cannot upgrade ${cluster.contextName}`,
    run: (cluster) => upgrade(services, services.clusterRuns!, cluster),
  };
}

async function upgrade(services: Services, runs: ClusterRuns, cluster: ClusterState): Promise<void> {
  if (runs.isActive(cluster.contextName)) {
    void vscode.window.showWarningMessage(`Kubeadm: ${cluster.contextName} is already being upgraded in this window.`);
    return;
  }
  const ctx = services.loader.context(cluster.contextName)!;
  const settings = readSettings();
  // One access to the nodes for picking the target and planning: each node's executor is fetched once (the run
  // takes its own).
  const nodes = services.access.nodes(cluster.contextName, settings);
  const picked = await pickTarget(nodes, cluster);
  if (!picked) return;
  const target = picked.version;
  const maxUnavailable = kubeadmSetting('upgrade.maxUnavailable', '1').trim() || '1';
  if (!parseMaxUnavailable(maxUnavailable)) throw new Error(`the setting kubeadm.upgrade.maxUnavailable must be a number ≥ 1 or a percentage (is "${maxUnavailable}")`);
  const snapshot = async () => buildSnapshot((await new ApiClusterSource(ctx.name, ctx.config).fetch()).objects);
  const now = new Date();
  const runId = clusterRunId(now, randomBytes(3).toString('hex'));
  const plan = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Planning the upgrade of ${cluster.contextName} (asking every node what it can install)…` }, () =>
    prepareClusterPlan(
      {
        snapshot,
        executorFor: async (name) => nodes.executorFor((await snapshot()).nodes.find((n) => n.name === name)!),
        drainApi: new KubeDrainApi(ctx.config),
      },
      { cluster: cluster.contextName, target, maxUnavailable, options: upgradeOptionsFor(settings, cluster.contextName), overrides: [], readiness: readinessGateFrom((t) => runReadiness({ ...readinessDeps(services, nodes, runId), maxUnavailable }, t)), now },
    ),
  );
  const text = formatPlan(plan);
  const problems = [...plan.refused, ...(plan.path ? [plan.path] : [])];
  if (problems.length > 0) {
    void vscode.window.showErrorMessage(`Kubeadm: ${cluster.contextName} cannot go to ${formatVersion(target)} in one run.`, { modal: true, detail: problems.join('\n\n') });
    return;
  }
  // Blockers stop here unless overridden one by one (each override is audited).
  const overrides: string[] = [];
  const overridden: string[] = [];
  if (plan.blocking.length > 0) {
    const picked = await vscode.window.showQuickPick(
      // An override names the check and, for a blocker about one node, that node only (as `--override ID:NODE`).
      plan.blocking.map((b) => ({ label: formatOverride({ id: b.id as CheckId, ...(b.node ? { node: b.node } : {}) }), detail: b.message, picked: false })),
      { canPickMany: true, title: 'Readiness blockers: pick the ones to override (all must be overridden to continue)' },
    );
    if (!picked || picked.length < plan.blocking.length) return;
    overrides.push(...picked.map((p) => p.label));
    overridden.push(...picked.map((p) => `• ${p.label}: ${p.detail}`));
  }
  const planned = newClusterRun(plan, { id: runId, options: upgradeOptionsFor(settings, cluster.contextName), skipSnapshot: false, overrides, now });
  const panel = ClusterUpgradePanel.show(runId, () => {});
  panel.planText = text;
  panel.update(planned, false);
  const summary = [
    `${plan.from} → ${formatVersion(target)}, ${planned.nodes.filter((n) => n.status === 'queued').length} nodes`,
    // A typed minor: which patch it became, said where the go/no-go is decided.
    ...(picked.said ? [`Target: ${picked.said}`] : []),
    `Order: ${plan.order.filter((n) => !n.skip).map((n) => n.name).join(' → ')}`,
    // The blockers the user chose to go past, named where the go/no-go is decided (each is also audited).
    // (An override is `ID` or `ID:NODE`: each is named with its blocker, not looked up by the bare id.)
    ...(overridden.length ? [`Overridden readiness blockers (${overridden.length}):`, ...overridden] : []),
    ...plan.batches.map((b, i) => `Batch ${i + 1}: ${b.nodes.join(', ')} (${describeImpact(b.impact)})`),
    `API downtime: ${plan.downtime}`,
    ...plan.readiness.notes,
    '',
    'The full plan, with every command per node, is in the Cluster Upgrade view. kubeadm upgrade apply asks once more.',
  ].join('\n');
  // The run takes an etcd snapshot before the first control plane changes and stops if it fails; going on
  // without one is an explicit choice here (the run audits it as skipped).
  const go = await vscode.window.showWarningMessage(`Upgrade ${cluster.contextName} to ${formatVersion(target)}?`, { modal: true, detail: `${summary}\n\nAn etcd snapshot is taken on ${plan.order.find((n) => !n.skip)?.name ?? 'the first control plane'} first.` }, 'Start Upgrade Cluster', 'Start Without etcd Snapshot');
  if (go !== 'Start Upgrade Cluster' && go !== 'Start Without etcd Snapshot') return;
  const state = { ...planned, skipSnapshot: go === 'Start Without etcd Snapshot' };
  for (const id of overrides) services.upgrades.audit.append({ time: now.toISOString(), run: runId, cluster: cluster.contextName, node: '-', phase: 'readiness-override', command: `override ${id}`, where: 'vscode', exitCode: 0, durationMs: 0 });
  await offerAfterClusterRun(services, await runs.run(state, text));
}

/** The named cluster, else the only loaded one, else a pick among the loaded ones (nothing said when there is none). */
async function pickCluster(services: Services, c: CommandContext): Promise<ClusterState | undefined> {
  if (c.target.context) return services.store.get(c.target.context);
  const loaded = services.store.list().filter((s) => s.snapshot);
  if (loaded.length <= 1) return loaded[0];
  return c.ui.pick(loaded.map((s) => ({ label: s.contextName, value: s })), { title: 'Upgrade which cluster?' });
}

/** Versions the first control plane's repository offers, checked against the skew policy; the path when too far. */
async function pickTarget(nodes: NodeAccess, cluster: ClusterState): Promise<{ version: KubeVersion; said?: string } | undefined> {
  const snapshot = cluster.snapshot!;
  const first = clusterOrder(snapshot, { major: 999, minor: 0, patch: 0, prerelease: '', raw: 'v999.0.0' }).find((n) => n.stage !== 'worker');
  const node = snapshot.nodes.find((n) => n.name === first?.name);
  if (!node) throw new Error('no control-plane node in the cluster');
  const facts = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Asking ${node.name} which versions its repository offers…` }, async () =>
    gatherNodeFacts(node.name, await nodes.executorFor(node)),
  );
  const repoMinor = facts.repo.find((l) => l.minor)?.minor;
  const current = clusterVersion(snapshot);
  const next = current ? { major: current.major, minor: current.minor + 1 } : undefined;
  // The next minor's versions: its own repository (pkgs.k8s.io is one per minor), asked without changing the node,
  // and what kubeadm upgrade plan offered on this cluster — not only "Another version…".
  const offered = await nextMinorOffers(nodes, node, facts, next, cluster.contextName);
  const sourceOf = new Map(offered.list.map((o) => [formatVersion(o.version), o.source]));
  const all = [...facts.versions, ...offered.list.filter((o) => !facts.versions.some((p) => formatVersion(p.version) === formatVersion(o.version))).map((o) => ({ packageVersion: '', version: o.version }))];
  const items = candidateTargets(snapshot, node.name, all, repoMinor).map((c) => {
    const refused = c.guards.find((g) => g.severity === 'refuse');
    const path = current ? upgradePath(current, c.version) : undefined;
    const from = sourceOf.get(formatVersion(c.version));
    return { label: `${refused ? '$(circle-slash) ' : ''}${formatVersion(c.version)}`, description: [c.note, from ? `offered by ${from}` : '', c.needsRepoSwitch ? 'switches the repo minor' : ''].filter(Boolean).join(' · '), detail: refused ? `Not allowed: ${refused.reason}${path ? ` Path: ${path}` : ''}` : undefined, version: c.version as KubeVersion | undefined };
  });
  items.push({ label: '$(edit) Another version…', description: offered.note ?? 'a minor (its newest patch offered) or a full version', detail: undefined, version: undefined });
  const picked = await vscode.window.showQuickPick(items, { title: `Upgrade ${cluster.contextName} (at ${current ? formatVersion(current) : 'unknown'}) to…`, placeHolder: `Versions ${node.name}'s repositories and kubeadm's plan offer, one minor at a time` });
  if (!picked) return undefined;
  if (picked.version) return { version: picked.version };
  const typedFrom = [...facts.versions.map((p) => ({ version: p.version, source: `${node.name}'s repository` })), ...offered.list];
  return askTarget(`Target version for ${cluster.contextName}`, typedFrom, next);
}

/**
 * The next minor's versions: the node's repository for that minor (read-only, nextRepo.ts; sudo for apt's index)
 * and the targets of this cluster's Plan view (kubeadm upgrade plan), when it is this context's and not stale.
 */
async function nextMinorOffers(nodes: NodeAccess, node: NodeSnapshot, facts: NodeFacts, next: MinorRef | undefined, context: string): Promise<{ list: OfferedVersion[]; note?: string }> {
  const list: OfferedVersion[] = [];
  let note: string | undefined;
  const plan = ClusterPanel.current('plan')?.currentView;
  if (plan?.kind === 'plan' && plan.source.context === context && !plan.stale) {
    for (const t of plan.header.targets) {
      const v = parseVersion(t);
      if (v) list.push({ version: v, source: `kubeadm upgrade plan on ${plan.source.node ?? 'a control plane'}` });
    }
  }
  const command = next && !facts.versions.some((p) => p.version.minor === next.minor) ? nextRepoVersionsCommand(facts.packageManager, facts.repo, next) : undefined;
  if (next && command) {
    const out = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Asking ${node.name} what the v${formatMinor(next)} repository offers (nothing on the node is changed)…` }, async () =>
      (await nodes.executorFor(node)).run(command, { sudo: true, timeoutMs: 120_000 }),
    );
    const found = out.exitCode === 0 ? parseAvailableVersions(out.stdout, 'kubeadm').filter((p) => p.version.minor === next.minor) : [];
    for (const p of found) list.push({ version: p.version, source: `the v${formatMinor(next)} repository` });
    if (found.length === 0) note = `the v${formatMinor(next)} repository could not be read (${(out.failure ?? out.stderr.trim().split('\n').pop()) || `exit ${out.exitCode}`}): type a version`;
  }
  return { list, ...(note ? { note } : {}) };
}
