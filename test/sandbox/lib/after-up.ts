// Scenario states that would stop `up` from seeing a Ready cluster, applied after it does:
// NotReady nodes (held like a kubelet that stopped reporting), pods deleted while a finalizer
// holds them (Terminating), and kubectl requests (e.g. a deprecated API, so the apiserver's
// apiserver_requested_deprecated_apis metric has a series).
import { kubectl } from './cluster';

export interface AfterUp { notReady?: string[]; deletePods?: string[]; kubectl?: string[][] }

export function applyAfterUp(kubeconfig: string, a: AfterUp | undefined): void {
  if (!a) return;
  for (const node of a.notReady ?? []) {
    // The label keeps kwok's node stages from marking it Ready again (stages/stages.yaml).
    kubectl(kubeconfig, ['label', 'node', node, 'sandbox.kubeadm-upgrade/kubelet=stopped', '--overwrite']);
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    kubectl(kubeconfig, ['patch', 'node', node, '--subresource=status', '--type=strategic', '-p', JSON.stringify({
      status: { conditions: [{ type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastHeartbeatTime: now, lastTransitionTime: now }] },
    })]);
  }
  for (const ref of a.deletePods ?? []) {
    const [ns, name] = ref.split('/');
    kubectl(kubeconfig, ['delete', 'pod', '-n', ns!, name!, '--wait=false', '--grace-period=1']);
  }
  for (const args of a.kubectl ?? []) kubectl(kubeconfig, args);
}
