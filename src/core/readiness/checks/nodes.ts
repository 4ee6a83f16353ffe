import type { RawNode } from '../../snapshot/raw';
import { result, type CheckResult, type Severity } from '../types';
import type { Check } from './check';

const PRESSURE = ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'NetworkUnavailable'];

function isControlPlane(n: RawNode): boolean {
  const labels = n.metadata?.labels ?? {};
  return 'node-role.kubernetes.io/control-plane' in labels || 'node-role.kubernetes.io/master' in labels;
}

/** `nodes-ready`: every Node Ready and without pressure; a control plane that is not is a blocker. */
export const nodesReady: Check = {
  id: 'nodes-ready',
  async run(ctx) {
    const nodes = await ctx.nodes();
    const out: CheckResult[] = [];
    for (const n of nodes) {
      const name = n.metadata?.name ?? '?';
      const conditions = n.status?.conditions ?? [];
      const ready = conditions.find((c) => c.type === 'Ready');
      const problems: string[] = [];
      if (ready?.status !== 'True') problems.push(`Ready=${ready?.status ?? 'missing'}${ready?.reason ? ` (${ready.reason}${ready.message ? `: ${ready.message}` : ''})` : ''}`);
      for (const c of conditions) if (PRESSURE.includes(c.type ?? '') && c.status === 'True') problems.push(`${c.type}=True${c.message ? ` (${c.message})` : ''}`);
      if (problems.length === 0) continue;
      const cp = isControlPlane(n);
      const severity: Severity = cp ? 'blocker' : 'warning';
      out.push(
        result('nodes-ready', severity, name, `${cp ? 'Control plane' : 'Worker'} ${name} is not healthy: ${problems.join(', ')}`, [`Node/${name}`, ...problems],
          `Find out why with \`kubectl describe node ${name}\` and the kubelet's journal (\`journalctl -u kubelet\` on the node); fix it before upgrading${cp ? ' — a control plane that is not Ready cannot be upgraded safely' : ', or leave this worker out of the upgrade'}.`),
      );
    }
    if (out.length === 0) out.push(result('nodes-ready', 'ok', null, `All ${nodes.length} nodes are Ready without pressure conditions`, nodes.map((n) => `Node/${n.metadata?.name} Ready`)));
    return out;
  },
};

export const singleControlPlane: Check = {
  id: 'single-control-plane',
  async run(ctx) {
    const cps = (await ctx.nodes()).filter(isControlPlane).map((n) => n.metadata?.name ?? '?');
    if (cps.length === 1) {
      return [result('single-control-plane', 'info', cps[0]!, `One control plane (${cps[0]}): the Kubernetes API is unavailable while \`kubeadm upgrade apply\` restarts it`, [`control-plane nodes: ${cps[0]}`],
        'Plan a maintenance window; workloads keep running, but nothing can be scheduled or changed through the API for a few minutes.')];
    }
    return [result('single-control-plane', 'ok', null, `${cps.length} control planes: the API stays available while one is upgraded`, [`control-plane nodes: ${cps.join(', ')}`])];
  },
};
