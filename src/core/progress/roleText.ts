import type { ClusterSnapshot } from '../snapshot/model';
import type { NodeRole } from '../upgrade/phases';

const list = (names: readonly string[]): string => (names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`);

/**
 * What the node's role means, in the docs' words instead of the internal role name ("first-control-plane"):
 * "cp-2 will run `kubeadm upgrade apply` (the first control plane to be upgraded); cp-1 and cp-3 will then run
 * `kubeadm upgrade node`".
 */
export function roleSentence(snapshot: ClusterSnapshot | undefined, node: string, role: NodeRole): string {
  const others = (snapshot?.nodes ?? []).filter((n) => n.controlPlane && n.name !== node).map((n) => n.name);
  switch (role) {
    case 'first-control-plane':
      return `${node} will run \`kubeadm upgrade apply\` (the first control plane to be upgraded)${others.length ? `; ${list(others)} will then run \`kubeadm upgrade node\`` : ''}.`;
    case 'control-plane':
      return `${node} will run \`kubeadm upgrade node\`: the control plane's version was already moved by \`kubeadm upgrade apply\` on another control plane.`;
    case 'worker':
      return `${node} is a worker: it will run \`kubeadm upgrade node\` (its kubelet configuration), after every control plane is upgraded.`;
  }
}
