import { budgetsInText, pdbAdvice } from '../drain/pdbAdvice';
import { sh } from '../exec/shell';
import { formatVersion, parseVersion } from '../version';
import type { PhaseId } from './phases';
import type { UpgradeRunState } from './state';

/** Steps before `kubeadm upgrade`: nothing of the cluster has changed yet. */
const BEFORE_KUBEADM: ReadonlySet<PhaseId> = new Set(['switch-repo', 'check-packages', 'install-kubeadm', 'verify-kubeadm', 'plan', 'prepull-images']);
const KUBELET: ReadonlySet<PhaseId> = new Set(['install-kubelet', 'restart-kubelet', 'wait-ready']);

/**
 * What to do after a failed or cancelled run, for the step it stopped at and the cause the explainer found
 * (`failureIds`, e.g. `drain-pdb-blocked`): a drain held back by a PodDisruptionBudget gets the PDB and the command
 * that relaxes it, never the kubelet's journal or `kubeadm upgrade node` on a node whose kubeadm part is done.
 * Markdown, shown in the editor. Root commands carry `sudo`.
 */
export function recoveryMarkdown(run: UpgradeRunState, failureIds: readonly string[] = [], currentVersion?: string | null): string {
  const c = run.context;
  const current = parseVersion(currentVersion ?? undefined);
  const failed = run.phases.find((p) => p.status === 'failed' || p.status === 'running') ?? run.phases.find((p) => p.status === 'pending');
  const t = formatVersion(c.target);
  const done = run.phases.filter((p) => p.status === 'done' || p.status === 'skipped').map((p) => p.title);
  const lines = [
    `# Recovering ${c.node} (${c.role}) → ${t}`,
    '',
    `Cluster \`${c.cluster}\` · run \`${run.id}\` · status **${run.status}**${failed ? ` at step “${failed.title}”` : ''}.`,
    '',
    run.error ? `> ${run.error}` : '',
    '',
    done.length ? `Done on ${c.node}: ${done.join(', ')}.` : `Nothing was done on ${c.node} yet.`,
    '',
    run.cordoned
      ? `**${c.node} is cordoned** (SchedulingDisabled): new pods are not scheduled there until you uncordon it.`
      : `${c.node} was not drained: its workloads kept running.`,
    '',
  ];
  const drainIds = failureIds.filter((id) => id.startsWith('drain-'));
  if (failed?.id === 'drain' || drainIds.length > 0) lines.push(...drainSection(run, drainIds));
  else if (failed && BEFORE_KUBEADM.has(failed.id)) lines.push(...beforeKubeadmSection(run));
  else if (failed && KUBELET.has(failed.id)) lines.push(...kubeletSection(run));
  else if (failed?.id === 'uncordon') lines.push('## Uncordon the node', '', '```sh', sh`kubectl uncordon ${c.node}`, '```', '');
  else lines.push(...kubeadmSection(run, t, current));
  lines.push('## Put the node back into service', '', 'Once `kubectl get node` shows it Ready at the expected version:', '', '```sh', sh`kubectl uncordon ${c.node}`, 'kubectl get nodes -o wide', 'kubectl get pods -n kube-system -o wide', '```', '');
  return lines.join('\n');
}

function failedOutput(run: UpgradeRunState): string[] {
  const failed = run.phases.find((p) => p.status === 'failed');
  const out: string[] = [];
  if (failed?.outputTail) out.push('Output of the failed step (end):', '', '```', failed.outputTail, '```', '');
  if (failed?.error) out.push(`Error: \`${failed.error}\``, '');
  return out;
}

const RESUME =
  'Use **Kubeadm: Resume Upgrade**: it restarts at the failed step; the steps before it are not run again.';

function drainSection(run: UpgradeRunState, ids: readonly string[]): string[] {
  const c = run.context;
  const text = [run.error ?? '', ...run.phases.map((p) => `${p.error ?? ''}\n${p.outputTail ?? ''}`)].join('\n');
  const budgets = budgetsInText(text);
  const out = [
    '## What stopped it: the drain',
    '',
    `The drain of ${c.node} did not finish. ${run.phases.some((p) => p.id === 'kubeadm-upgrade' && p.status === 'done') ? `\`kubeadm upgrade\` already succeeded on ${c.node}, and its` : 'Its'} kubelet was not touched: nothing on the node needs repairing.`,
    '',
  ];
  if (budgets.length) {
    out.push('## 1. Let the PodDisruptionBudget allow the eviction', '');
    for (const b of budgets) {
      const a = pdbAdvice(b);
      out.push(`### PodDisruptionBudget \`${b.namespace}/${b.name}\``, '', a.text, '', '```sh', ...a.commands, '```', '');
    }
  } else if (ids.includes('drain-pdb-blocked')) {
    out.push(
      '## 1. Let the PodDisruptionBudget allow the eviction',
      '',
      'A PodDisruptionBudget refused the eviction. Find it (`kubectl get pdb -A -o wide` shows ALLOWED DISRUPTIONS 0). With `maxUnavailable: 0`, scaling the workload up cannot help: allow one disruption for the upgrade; with `minAvailable` equal to the replicas, add a replica or lower `minAvailable`.',
      '',
      '```sh',
      'kubectl get pdb -A -o wide',
      'kubectl -n <namespace> edit pdb <name>',
      '```',
      '',
    );
  } else {
    out.push('## 1. Fix what held the drain back', '', 'What Happened names the pods and why they could not be evicted.', '', ...failedOutput(run));
  }
  out.push('## 2. Resume', '', `${RESUME} The drain runs again.`, '', '## Or stop here for now', '', `Uncordon ${c.node}: it keeps running at its current kubelet version, which the skew policy allows.`, '');
  return out;
}

function beforeKubeadmSection(run: UpgradeRunState): string[] {
  return [
    '## What stopped it: a package step',
    '',
    'Nothing of the cluster was changed yet: `kubeadm upgrade` did not run and the node was not drained.',
    '',
    ...failedOutput(run),
    '## 1. Fix the cause on the node, then resume',
    '',
    RESUME,
    '',
  ];
}

function kubeletSection(run: UpgradeRunState): string[] {
  return [
    '## What stopped it: the kubelet',
    '',
    '`kubeadm upgrade` is done; the kubelet package, its restart or the node becoming Ready again did not finish.',
    '',
    ...failedOutput(run),
    '## 1. Look at the kubelet on the node',
    '',
    '```sh',
    'sudo systemctl status kubelet --no-pager',
    'sudo journalctl -xeu kubelet --no-pager | tail -n 50',
    'kubelet --version',
    '```',
    '',
    '## 2. Resume',
    '',
    RESUME,
    '',
  ];
}

function kubeadmSection(run: UpgradeRunState, t: string, current: ReturnType<typeof parseVersion>): string[] {
  const c = run.context;
  const lines = [
    '## 1. Resume',
    '',
    'Every step is safe to run again: package installs are idempotent, and `kubeadm upgrade` is idempotent by design (kubeadm docs: “kubeadm upgrade … is idempotent, you can run it again after a failure”). Use **Kubeadm: Resume Upgrade**: it restarts at the failed step.',
    '',
    ...failedOutput(run),
    '## 2. Look at the node',
    '',
    '```sh',
    'sudo systemctl status kubelet --no-pager',
    'sudo journalctl -xeu kubelet --no-pager | tail -n 50',
    'kubeadm version -o short',
    '```',
    '',
  ];
  if (c.role === 'first-control-plane') {
    lines.push(
      '## 3. A control plane in a bad state',
      '',
      'If `kubeadm upgrade apply` failed and did not roll back (e.g. the node shut down mid-way), re-run it, or force it at the version the cluster runs now:',
      '',
      '```sh',
      sh`sudo kubeadm upgrade apply ${t} --yes`,
      current ? sh`sudo kubeadm upgrade apply --force ${formatVersion(current)}` : '# sudo kubeadm upgrade apply --force VERSION',
      '```',
      '',
      current
        ? `\`${formatVersion(current)}\` is the version the cluster runs now (kubeadm-config's kubernetesVersion).`
        : 'Fill in VERSION: the version the cluster runs now (`kubectl -n kube-system get cm kubeadm-config -o jsonpath={.data.ClusterConfiguration}`, its `kubernetesVersion`); it was not known when these steps were written.',
      '',
      'kubeadm keeps backups in `/etc/kubernetes/tmp` (`kubeadm-backup-manifests-*`, `kubeadm-backup-etcd-*`): **Kubeadm: Show Backups and Recovery** lists them and fills in the restore commands for this node.',
      '',
    );
  } else if (c.role === 'control-plane') {
    lines.push('## 3. Re-run the node upgrade', '', '```sh', 'sudo kubeadm upgrade node', '```', '', 'Backups of this node\'s manifests and etcd data are in `/etc/kubernetes/tmp`: see **Kubeadm: Show Backups and Recovery**.', '');
  } else {
    lines.push('## 3. Re-run the node upgrade', '', '```sh', 'sudo kubeadm upgrade node', 'sudo systemctl daemon-reload && sudo systemctl restart kubelet', '```', '');
  }
  return lines;
}
