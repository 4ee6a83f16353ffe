import type { AvailableUpgrade, ParsedPlan, PlanComponent } from '../plan';
import type { ClusterSnapshot } from '../snapshot/model';
import { compareVersions, formatVersion, parseVersion } from '../version';
import { configRow } from './configAdvice';
import type { ComponentRow, PlanCard, PlanHeader, PlanSource, PlanState, PlanViewModel } from './model';
import { cardBlock, fetchWarnings, versionsKey } from './readiness';
import { skewImpact } from '../skew/impact';

export interface PlanViewContext {
  readonly source: PlanSource;
  /** The output exactly as captured, for the collapsible raw section. */
  readonly raw: string;
  /** `kubeadm version -o short` on the node the plan ran on: the header shows it, not the plan's target kubeadm. */
  readonly nodeKubeadmVersion?: string | null;
}

/** A parsed plan (+ the cluster's snapshot when known) → everything the plan webview shows. Pure. */
export function planViewModel(plan: ParsedPlan, snapshot: ClusterSnapshot | undefined, context: PlanViewContext): PlanViewModel {
  const header = planHeader(plan, snapshot, context);
  const state = planState(plan);
  const cards = plan.availableUpgrades.map((u) => planCard(u, header.kubeadmVersion, context.source, snapshot));
  const targets = header.targets;
  return {
    kind: 'plan',
    source: context.source,
    header,
    state,
    stateText: stateText(state, plan, header),
    cards,
    configRows: plan.configVersions.map(configRow),
    skew: snapshot && snapshot.nodes.length > 0 ? targets.map((t) => skewImpact(snapshot, t)) : null,
    diagnostics: plan.diagnostics,
    fetchWarnings: fetchWarnings(context.raw),
    versions: versionsKey(snapshot),
    stale: false,
    unparsed: plan.unparsed,
    raw: context.raw,
    format: plan.format,
  };
}

function planHeader(plan: ParsedPlan, snapshot: ClusterSnapshot | undefined, context: PlanViewContext): PlanHeader {
  const source = context.source;
  const fromSnapshot = snapshot?.kubernetesVersion ?? snapshot?.serverVersion;
  return {
    cluster: source.context,
    // The node's own kubeadm first: a JSON plan's kubeadm row names the target's kubeadm, not the one installed.
    kubeadmVersion: context.nodeKubeadmVersion || nodeKubeadm(snapshot, source.node) || plan.kubeadmVersion,
    currentVersion: plan.clusterVersion ?? (fromSnapshot ? formatVersion(fromSnapshot) : null),
    targets: plan.availableUpgrades.map((u) => u.targetVersion).filter((t): t is string => t !== null),
  };
}

function nodeKubeadm(snapshot: ClusterSnapshot | undefined, node: string | null): string | null {
  const v = snapshot?.nodes.find((n) => n.name === node)?.kubeadm?.version;
  return v ? formatVersion(v) : null;
}

function planState(plan: ParsedPlan): PlanState {
  if (plan.diagnostics.some((d) => d.severity === 'error')) return 'failed';
  if (plan.availableUpgrades.length > 0) return 'upgrades';
  if (plan.upToDate) return 'upToDate';
  return 'unknown';
}

function stateText(state: PlanState, plan: ParsedPlan, h: PlanHeader): string {
  switch (state) {
    case 'failed': {
      const first = plan.diagnostics.find((d) => d.severity === 'error');
      return `kubeadm upgrade plan reported an error: ${first?.message ?? ''}`.trim();
    }
    case 'upgrades':
      return `${plan.availableUpgrades.length} upgrade${plan.availableUpgrades.length === 1 ? '' : 's'} available${h.targets.length ? `: ${h.targets.join(', ')}` : ''}.`;
    case 'upToDate': {
      if (plan.format === 'empty') return 'Up to date: kubeadm printed no plan, which means there is nothing to upgrade to with this kubeadm.';
      const running = h.currentVersion ? ` The cluster runs ${h.currentVersion}` : ' The cluster';
      const kubeadm = h.kubeadmVersion ? ` and kubeadm ${h.kubeadmVersion} offers no newer version.` : ' has no newer version to go to.';
      return `Up to date.${running}${kubeadm} To go to the next minor, install a newer kubeadm on this node first.`;
    }
    default:
      return 'No available upgrade was found in this output, and it does not say the cluster is up to date: check the raw output below.';
  }
}

function planCard(u: AvailableUpgrade, kubeadmVersion: string | null, source: PlanSource, snapshot: ClusterSnapshot | undefined): PlanCard {
  const rows = u.components.map(componentRow);
  const components = rows.filter((r) => r.name !== 'kubelet');
  const upgradeNode = source.origin === 'run' ? source.node : null;
  return {
    heading: u.targetVersion ? `Upgrade to ${u.targetVersion}` : u.description,
    description: u.description,
    target: u.targetVersion,
    applyCommand: u.applyCommand,
    note: u.note ?? kubeadmNote(kubeadmVersion, u.targetVersion),
    components,
    kubelets: rows.filter((r) => r.name === 'kubelet'),
    changedCount: rows.filter((r) => r.changed).length,
    upgradeNode,
    blocked: cardBlock(snapshot, upgradeNode, u.targetVersion),
  };
}

/** kubeadm prints this note itself; we add it when the output lacks it but the versions say so. */
function kubeadmNote(kubeadmVersion: string | null, target: string | null): string | null {
  const k = parseVersion(kubeadmVersion);
  const t = parseVersion(target);
  if (!k || !t || compareVersions(k, t) >= 0) return null;
  return `Before you can perform this upgrade, you have to update kubeadm to ${formatVersion(t)}.`;
}

export function componentRow(c: PlanComponent): ComponentRow {
  const current = c.current ?? '';
  const target = c.target ?? '';
  return {
    name: c.name,
    where: c.node ?? (c.count !== null ? `${c.count} x` : ''),
    node: c.node,
    count: c.count,
    current,
    target,
    changed: current !== '' && target !== '' && strip(current) !== strip(target),
  };
}

const strip = (v: string): string => v.trim().replace(/^v/, '');
