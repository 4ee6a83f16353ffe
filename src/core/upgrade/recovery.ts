import { sh } from '../exec/shell';
import { formatVersion, parseVersion } from '../version';
import type { UpgradeRunState } from './state';

/**
 * What to do after a failed or cancelled run, step by step, for the step it stopped at (kubeadm docs, "Recovering
 * from a failure state"). Markdown, shown in the editor.
 */
export function recoveryMarkdown(run: UpgradeRunState, currentVersion?: string | null): string {
  const c = run.context;
  const current = parseVersion(currentVersion ?? undefined);
  const failed = run.phases.find((p) => p.status === 'failed' || p.status === 'running') ?? run.phases.find((p) => p.status === 'pending');
  const t = formatVersion(c.target);
  const lines = [
    `# Recovering ${c.node} (${c.role}) → ${t}`,
    '',
    `Cluster \`${c.cluster}\` · run \`${run.id}\` · status **${run.status}**${failed ? ` at step “${failed.title}”` : ''}.`,
    '',
    run.error ? `> ${run.error}` : '',
    '',
    run.cordoned
      ? `**${c.node} is cordoned** (SchedulingDisabled): new pods are not scheduled there until you uncordon it.`
      : `${c.node} was not drained: its workloads kept running.`,
    '',
    '## 1. Resume',
    '',
    'Every step is safe to run again: package installs are idempotent, and `kubeadm upgrade` is idempotent by design (kubeadm docs: “kubeadm upgrade … is idempotent, you can run it again after a failure”). Use **Kubeadm: Resume Upgrade**: it restarts at the failed step.',
    '',
  ];
  if (failed?.outputTail) lines.push('Output of the failed step (end):', '', '```', failed.outputTail, '```', '');
  if (failed?.error) lines.push(`Error: \`${failed.error}\``, '');
  lines.push('## 2. Look at the node', '', '```sh', 'systemctl status kubelet', 'journalctl -xeu kubelet --no-pager | tail -n 50', 'kubeadm version -o short', '```', '');
  if (c.role === 'first-control-plane') {
    lines.push(
      '## 3. A control plane in a bad state',
      '',
      'If `kubeadm upgrade apply` failed and did not roll back (e.g. the node shut down mid-way), re-run it, or force it at the version the cluster runs now:',
      '',
      '```sh',
      sh`kubeadm upgrade apply ${t} --yes`,
      current ? sh`kubeadm upgrade apply --force ${formatVersion(current)}` : '# kubeadm upgrade apply --force VERSION',
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
    lines.push('## 3. Re-run the node upgrade', '', '```sh', 'kubeadm upgrade node', '```', '', 'Backups of this node\'s manifests and etcd data are in `/etc/kubernetes/tmp`: see **Kubeadm: Show Backups and Recovery**.', '');
  } else {
    lines.push('## 3. Re-run the node upgrade', '', '```sh', 'kubeadm upgrade node', 'systemctl daemon-reload && systemctl restart kubelet', '```', '');
  }
  lines.push('## 4. Put the node back into service', '', 'Once `kubectl get node` shows it Ready at the expected version:', '', '```sh', sh`kubectl uncordon ${c.node}`, 'kubectl get nodes -o wide', 'kubectl get pods -n kube-system -o wide', '```', '');
  return lines.join('\n');
}
