import type { NodeExecutor } from '../exec/executor';
import type { NodeSnapshot } from '../snapshot/model';
import { formatVersion } from '../version';
import { collectUpgradeDiff, DiffUnavailable } from './collect';
import type { UpgradeDiff } from './upgradeDiff';

/** One control plane's "what will change": kubeadm's diff, or why it could not run and what to do. */
export type NodeDiffOutcome =
  | { readonly kind: 'diff'; readonly node: string; readonly diff: UpgradeDiff }
  | { readonly kind: 'notRun'; readonly node: string; readonly reason: string; readonly fix: string };

const REACH_FIX = 'Make the node reachable: map it to an SSH host (setting kubeadm.ssh.hosts, or a Host entry in the ssh_config of kubeadm.ssh.configFile; CLI: --ssh-config), then run it again.';
const KUBEADM_FIX = 'Install kubeadm on the node (the package of its current version, or the target\'s as the upgrade does first), then run it again.';
const DIFF_FIX = 'kubeadm upgrade diff needs the node\'s /etc/kubernetes/admin.conf and an apiserver that answers; fix what kubeadm says, then run it again.';

/**
 * What `kubeadm upgrade apply/node` to `target` changes on one control plane and what it erases, or why that could not
 * be read: the one composition behind `kubeadm-upgrade diff` and the Plan view's "What will change". Never throws for
 * the node's own trouble (no SSH mapping, kubeadm missing, kubeadm's error): each becomes a "could not run" outcome.
 */
export async function upgradeDiffFor(node: NodeSnapshot, target: string, executorFor: (n: NodeSnapshot) => Promise<NodeExecutor>, patchesDir?: string): Promise<NodeDiffOutcome> {
  const notRun = (reason: string, fix: string): NodeDiffOutcome => ({ kind: 'notRun', node: node.name, reason, fix });
  const current = node.controlPlaneComponents['kube-apiserver']?.version;
  if (!current) return notRun(`the version of ${node.name}'s kube-apiserver cannot be read from its mirror pod`, 'Check the kube-apiserver mirror pod in kube-system (the kubelet on the node recreates it), then run it again.');
  let executor: NodeExecutor;
  try {
    executor = await executorFor(node);
  } catch (e) {
    return notRun(`cannot run commands on ${node.name}: ${(e as Error).message}`, REACH_FIX);
  }
  try {
    const diff = await collectUpgradeDiff(executor, { node: node.name, current: formatVersion(current), target, ...(patchesDir ? { patchesDir } : {}) });
    return { kind: 'diff', node: node.name, diff };
  } catch (e) {
    if (!(e instanceof DiffUnavailable)) return notRun(`cannot run commands on ${node.name}: ${(e as Error).message}`, REACH_FIX);
    return /kubeadm: (command )?not found|No such file or directory|exit 127\b/.test(e.message) ? notRun(`kubeadm is not installed on ${node.name} (${e.message})`, KUBEADM_FIX) : notRun(e.message, DIFF_FIX);
  }
}
