import type { ClusterSnapshot } from '../snapshot/model';
import { formatVersion, minorDiff } from '../version';
import type { UpgradeInProgress } from '../skew/inProgress';

/** What the admin does next to finish an upgrade in progress, on which node, with which kubeadm command. */
export interface NextStep {
  /** finish: a control plane whose kubeadm step is done but whose kubelet is not; upgrade: the next pending one. */
  readonly kind: 'finish' | 'upgrade';
  readonly node: string;
  /** The control planes that follow, in order. */
  readonly then: readonly string[];
  /** The version the node moves to (the newer kube-apiserver's). */
  readonly target: string;
  /** The kubeadm command of the step as the docs write it, e.g. `kubeadm upgrade node`. */
  readonly command: string;
  /** One line: "Upgrade cp-1: `kubeadm upgrade node` (then cp-3)". */
  readonly label: string;
  /** Why this node and this step, for the tooltip. */
  readonly detail: string;
}

/**
 * The documented order: finish the control plane that is half-way (kubeadm done, kubelet not yet), then each
 * remaining control plane with `kubeadm upgrade node`; the last one also upgrades kube-proxy and CoreDNS
 * (kubeadm ≥ 1.28: "skip upgrade addons because control plane instances [...] have not been upgraded").
 */
export function nextStep(snapshot: ClusterSnapshot, p: UpgradeInProgress): NextStep | undefined {
  const target = formatVersion(p.to);
  const half = snapshot.nodes.find((n) => p.upgraded.includes(n.name) && n.kubelet?.version !== undefined && minorDiff(n.kubelet.version, p.to) < 0);
  if (half) {
    return {
      kind: 'finish',
      node: half.name,
      then: p.pending,
      target,
      command: 'kubeadm upgrade node',
      label: `Finish ${half.name}: kubelet still ${formatVersion(half.kubelet!.version!)}`,
      detail: `${half.name}'s control-plane components run ${target} but its kubelet does not yet. Upgrade Node re-runs \`kubeadm upgrade node\` (a no-op for what is done), then drains it, upgrades kubelet and kubectl to ${target}, restarts the kubelet and uncordons it.`,
    };
  }
  const [first, ...rest] = p.pending;
  if (!first) return undefined;
  const last = rest.length === 0;
  const then = rest.length ? ` (then ${rest.join(', ')})` : '';
  return {
    kind: 'upgrade',
    node: first,
    then: rest,
    target,
    command: 'kubeadm upgrade node',
    label: `Upgrade ${first}: \`kubeadm upgrade node\` to ${target}${then}`,
    detail:
      `${p.upgraded.join(', ')} already ${p.upgraded.length === 1 ? 'runs' : 'run'} ${target}. The other control planes run \`kubeadm upgrade node\` one at a time, each followed by its kubelet and kubectl.` +
      (last && p.to.major === 1 && p.to.minor >= 28 ? ` ${first} is the last control plane: its \`kubeadm upgrade node\` also upgrades kube-proxy and CoreDNS (kubeadm ≥ 1.28).` : '') +
      ' Workers follow once every control plane is done.',
  };
}
