import type { ClusterState } from '../../core/clusterStore';
import { countBySeverity, worstSeverity, type Finding, type Severity } from '../../core/skew';
import { upgradeInProgress, type NextStep } from '../../core/progress';
import { apiserverRange } from '../../core/skew/apiservers';
import type { ComponentInstance, NodeSnapshot } from '../../core/snapshot/model';
import { formatMinor, formatVersion } from '../../core/version';
import type { TreeElement } from './elements';
import type { CommandId } from '../commands/ids';

/** A TreeItem described in plain data, so the tree's text can be tested without VS Code. */
export interface Presentation {
  readonly id: string;
  readonly label: string;
  readonly description?: string;
  /** Markdown. */
  readonly tooltip?: string;
  readonly icon: { readonly id: string; readonly color?: string };
  readonly contextValue: string;
  readonly collapsible: 'none' | 'collapsed' | 'expanded';
  /** Run on click (the Next step item starts Upgrade Node on its node). */
  readonly command?: { readonly command: string; readonly title: string; readonly arguments?: unknown[] };
}

/** `kubeadm:node+controlPlane+cordoned+skewed`: menus match facets with `viewItem =~ /\+cordoned/`. */
export function contextValue(kind: string, facets: Record<string, boolean> = {}): string {
  return ['kubeadm:' + kind, ...Object.keys(facets).filter((k) => facets[k])].join('+');
}

const SEVERITY_ICON: Record<Severity, { id: string; color: string }> = {
  error: { id: 'error', color: 'list.errorForeground' },
  warning: { id: 'warning', color: 'list.warningForeground' },
  info: { id: 'info', color: 'foreground' },
};

export function present(el: TreeElement): Presentation {
  switch (el.kind) {
    case 'cluster':
      return presentCluster(el.cluster);
    case 'group': {
      const nodes = el.cluster.snapshot?.nodes.filter((n) => n.controlPlane === (el.role === 'controlPlane')) ?? [];
      const label = el.role === 'controlPlane' ? 'Control plane' : 'Workers';
      return {
        id: `${el.cluster.contextName}/${el.role}`,
        label,
        description: `${nodes.length}`,
        icon: { id: el.role === 'controlPlane' ? 'server-environment' : 'server' },
        contextValue: contextValue('group', { [el.role]: true }),
        collapsible: 'expanded',
      };
    }
    case 'node':
      return presentNode(el.cluster, el.node, el.findings, el.runLabel);
    case 'component':
      return {
        id: `${el.contextName ?? ''}/node/${el.node.name}/component/${el.label}`,
        label: el.label,
        description: el.instance ? componentText(el.instance) : el.text,
        tooltip: el.instance ? `\`${el.instance.source}\`` : undefined,
        icon: { id: 'symbol-constant' },
        contextValue: contextValue('component'),
        collapsible: 'none',
      };
    case 'nextStep':
      return presentNextStep(el.cluster, el.step);
    case 'finding': {
      const { label, rest } = findingLabel(el.finding);
      return {
        id: `${el.contextName ?? ''}/finding/${el.finding.node ?? '-'}/${el.finding.rule}/${el.finding.component}${el.occurrence ? `#${el.occurrence}` : ''}`,
        label,
        // The label is a short, complete sentence; the rest (or why it is expected) follows, the policy is in the hover.
        description: el.finding.expected ? el.finding.expected.text.split(': ')[0] : rest || el.finding.rule,
        tooltip: findingMarkdown(el.finding),
        icon: SEVERITY_ICON[el.finding.severity],
        contextValue: contextValue('finding', { [el.finding.severity]: true, expected: el.finding.expected !== undefined }),
        collapsible: 'none',
      };
    }
    case 'error':
      return {
        id: `${el.cluster.contextName}/error`,
        label: el.cluster.error?.message ?? 'Cannot read this cluster',
        description: el.cluster.error?.kind,
        tooltip: `**${el.cluster.error?.message ?? ''}**\n\nServer said: \`${el.cluster.error?.detail ?? ''}\`\n\nRight-click to retry or open the kubeconfig.`,
        icon: SEVERITY_ICON.error,
        contextValue: contextValue('error', { [el.cluster.error?.kind ?? 'other']: true }),
        collapsible: 'none',
      };
    case 'message':
      return { id: el.id, label: el.text, icon: { id: el.text === 'Loading…' ? 'loading~spin' : 'info' }, contextValue: contextValue('message'), collapsible: 'none' };
  }
}

function presentCluster(c: ClusterState): Presentation {
  const range = c.snapshot ? apiserverRange(c.snapshot) : undefined;
  const versions = range?.versions.map(formatVersion).join(', ');
  const counts = countBySeverity(c.findings);
  const badge = [counts.error ? `${counts.error} error${counts.error > 1 ? 's' : ''}` : '', counts.warning ? `${counts.warning} warning${counts.warning > 1 ? 's' : ''}` : '']
    .filter(Boolean)
    .join(', ');
  const progress = c.snapshot ? upgradeInProgress(c.snapshot) : undefined;
  const upgrading = progress ? `upgrade to ${formatMinor(progress.to)} in progress` : '';
  const description = c.status === 'error' ? 'unreachable' : c.status === 'loading' ? 'loading…' : [versions, upgrading, badge].filter(Boolean).join(' · ');
  const worst = c.status === 'error' ? 'error' : worstSeverity(c.findings.filter((f) => f.severity !== 'info'));
  return {
    id: `cluster/${c.contextName}`,
    label: c.contextName,
    description,
    tooltip: [`**${c.contextName}**`, c.server ? `Server: \`${c.server}\`` : '', versions ? `kube-apiserver: ${versions}` : '', progress ? `Upgrade in progress: ${progress.upgraded.join(', ')} at ${formatVersion(progress.to)}; ${progress.pending.join(', ')} still at ${formatMinor(progress.from)}` : '', badge ? `Findings: ${badge}` : c.status === 'ready' ? 'No skew findings' : '']
      .filter(Boolean)
      .join('\n\n'),
    icon: worst ? SEVERITY_ICON[worst] : { id: 'cloud' },
    contextValue: contextValue('cluster', { error: c.status === 'error', skewed: counts.error + counts.warning > 0 }),
    collapsible: 'expanded',
  };
}

function presentNode(cluster: ClusterState, n: NodeSnapshot, findings: readonly Finding[], runLabel?: string): Presentation {
  const worst = worstSeverity(findings.filter((f) => f.severity !== 'info'));
  // Labelled: "cp-3 v1.34.4" read like a 1.34 control plane when it was the kubelet's version.
  const kubelet = `kubelet ${n.kubelet?.version ? formatVersion(n.kubelet.version) : n.kubelet?.source ?? '?'}`;
  const kubeadm = n.kubeadm ? ` · kubeadm ${componentText(n.kubeadm)}` : '';
  const state = n.readiness !== 'Ready' ? n.readiness : n.unschedulable ? 'cordoned' : 'Ready';
  const facets = {
    controlPlane: n.controlPlane,
    worker: !n.controlPlane,
    cordoned: n.unschedulable,
    notReady: n.readiness !== 'Ready',
    skewed: worst !== undefined,
    upgrading: runLabel?.startsWith('upgrading') === true,
    upgradeStopped: runLabel !== undefined && !runLabel.startsWith('upgrading'),
  };
  return {
    id: `${cluster.contextName}/node/${n.name}`,
    label: n.name,
    description: `${kubelet}${kubeadm} · ${n.unschedulable && n.readiness !== 'Ready' ? `${state}, cordoned` : state}${runLabel ? ` · ${runLabel}` : ''}`,
    // A getter: the hover is built only when read (the tree reads it in resolveTreeItem, on hover).
    get tooltip() {
      return nodeTooltip(n, findings);
    },
    icon: runLabel?.startsWith('upgrading') ? { id: 'sync~spin' } : worst ? SEVERITY_ICON[worst] : { id: n.controlPlane ? 'server-environment' : 'server', color: n.readiness === 'Ready' ? undefined : 'disabledForeground' },
    contextValue: contextValue('node', facets),
    collapsible: 'collapsed',
  };
}

/** The hover: every version a kubeadm admin checks before an upgrade, and each finding with its rule. */
export function nodeTooltip(n: NodeSnapshot, findings: readonly Finding[]): string {
  const rows: [string, string | undefined][] = [
    ['Role', n.controlPlane ? 'control plane' : 'worker'],
    ['Status', `${n.readiness}${n.unschedulable ? ', cordoned (SchedulingDisabled)' : ''}`],
    ['kubelet', n.kubelet && componentText(n.kubelet)],
    ['kube-proxy', n.kubeProxy && componentText(n.kubeProxy)],
    ['Container runtime', n.containerRuntime],
    ['OS image', n.osImage],
    ['Kernel', n.kernelVersion],
    ['Internal IP', n.internalIP],
  ];
  if (n.controlPlane) {
    const c = n.controlPlaneComponents;
    rows.push(
      ['kube-apiserver', c['kube-apiserver'] && componentText(c['kube-apiserver'])],
      ['kube-controller-manager', c['kube-controller-manager'] && componentText(c['kube-controller-manager'])],
      ['kube-scheduler', c['kube-scheduler'] && componentText(c['kube-scheduler'])],
      ['etcd', c.etcd && componentText(c.etcd)],
    );
  }
  if (n.kubeadm) rows.push(['kubeadm', componentText(n.kubeadm)]);
  const table = ['| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${escapeMd(v ?? '—')} |`)].join('\n');
  const list = findings.map((f) => `- ${f.severity.toUpperCase()} \`${f.rule}\`: ${escapeMd(f.message)}`).join('\n');
  return `**${escapeMd(n.name)}**\n\n${table}${list ? `\n\n**Findings**\n\n${list}` : '\n\nNo skew findings.'}`;
}

function findingMarkdown(f: Finding): string {
  const expected = f.expected ? `\n\n**Expected during the upgrade:** ${escapeMd(f.expected.text)}` : '';
  return `**${f.severity.toUpperCase()}** \`${f.rule}\` (${f.component}${f.node ? ` on ${f.node}` : ''})\n\n${escapeMd(f.message)}${expected}`;
}

/**
 * A finding's first clause as the label (never cut by the view's width mid-version) and the rest for the description:
 * "kubelet v1.27.16 is 4 minors behind kube-apiserver v1.31.2" / "at most 3 are supported".
 */
export function findingLabel(f: Finding): { label: string; rest: string } {
  const detail = f.message.split(' Policy: ')[0]!.replace(/\.$/, '');
  // Long asides such as "(measured from the newest kube-apiserver: …)" move to the description.
  const asides: string[] = [];
  const short = detail.replace(/ \(([^()]{25,})\)/g, (_m, aside: string) => (asides.push(aside), ''));
  const cut = /(: |; )/.exec(short);
  const label = cut ? short.slice(0, cut.index) : short;
  const rest = [cut ? short.slice(cut.index + 2) : '', ...asides].filter(Boolean).join('; ');
  return { label, rest };
}

function presentNextStep(cluster: ClusterState, step: NextStep): Presentation {
  // Short enough for a narrow side bar: the node and the command in the label, the rest in the description.
  const then = step.then.length ? `, then ${step.then.join(', ')}` : '';
  const [label, description] =
    step.kind === 'finish'
      ? [`Next step: finish ${step.node}`, `${step.label.split(': ')[1] ?? ''}${then}`]
      : [`Next step: ${step.command} on ${step.node}`, `to ${step.target}${then}`];
  return {
    id: `${cluster.contextName}/next-step`,
    label,
    description,
    tooltip: `**Next step of the upgrade to ${step.target}:** ${escapeMd(step.label).replace(/\\`/g, '`')}\n\n${escapeMd(step.detail).replace(/\\`/g, '`')}\n\nClick to run **Upgrade Node** on ${escapeMd(step.node)} (it asks before each change).`,
    icon: { id: 'debug-step-over', color: 'charts.blue' },
    contextValue: contextValue('nextStep'),
    collapsible: 'none',
    command: { command: 'kubeadm.upgradeNode' satisfies CommandId, title: `Upgrade ${step.node}`, arguments: [{ context: cluster.contextName, node: step.node, target: step.target }] },
  };
}

function componentText(i: ComponentInstance): string {
  if (!i.version) return `${i.source} (unparsed)`;
  // etcd has its own numbering (3.5.15-0) and is never written with a leading v.
  return i.component === 'etcd' ? formatVersion(i.version).slice(1) : formatVersion(i.version);
}

function escapeMd(s: string): string {
  return s.replace(/[|\\`*_[\]<>]/g, (c) => `\\${c}`);
}
