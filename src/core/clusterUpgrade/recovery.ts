import type { ClusterNodeState } from './state';

/** The recovery steps after a node failed, for the report and the CLI. */
export function recoveryFor(n: ClusterNodeState): string[] {
  const step = n.step ? `step ${n.step.index}/${n.step.total} "${n.step.title}"` : 'its first step';
  return [
    `${n.name} stopped at ${step}. If it was drained it stays cordoned: nothing else was started.`,
    `Read the step's output (Output channel, or the audit log) and fix the cause on ${n.name}.`,
    `Resume (Kubeadm: Resume Cluster Upgrade, or \`kubeadm-upgrade resume\`): the guards run again and ${n.name} continues from the failed step.`,
    `To give up instead: make ${n.name} healthy and \`kubectl uncordon ${n.name}\` yourself; the other nodes keep their versions.`,
  ];
}
