import { resolveMaxUnavailable } from '../../clusterUpgrade/maxUnavailable';
import type { RawNode } from '../../snapshot/raw';
import { formatCpu, formatMemory } from '../parse/quantity';
import { canLand, freeOn, isControlPlaneNode, isRescheduledOnDrain, nodeName, podRef, podRequests, type Requests } from '../podFacts';
import type { KPod } from '../ports';
import { result, type CheckResult } from '../types';
import type { Check } from './check';

const fmt = (r: Requests) => `cpu ${formatCpu(r.cpu)}, memory ${formatMemory(r.memory)}`;

/** The pods evicted from `batch` that no remaining node can take (first fit, largest request first). */
export function strandedPods(batch: readonly string[], nodes: readonly RawNode[], pods: readonly KPod[]): { stranded: KPod[]; evicted: KPod[]; free: Map<string, Requests & { pods: number }> } {
  const inBatch = new Set(batch);
  const evicted = pods.filter((p) => inBatch.has(p.spec?.nodeName ?? '') && isRescheduledOnDrain(p));
  const others = nodes.filter((n) => !inBatch.has(nodeName(n)));
  const free = new Map(others.map((n) => [nodeName(n), freeOn(n, pods)]));
  const stranded: KPod[] = [];
  const order = [...evicted].sort((a, b) => podRequests(b).cpu - podRequests(a).cpu || podRequests(b).memory - podRequests(a).memory);
  for (const p of order) {
    const need = podRequests(p);
    const home = others.find((n) => {
      const f = free.get(nodeName(n))!;
      return canLand(p, n) && f.cpu >= need.cpu && f.memory >= need.memory && f.pods >= 1;
    });
    if (!home) {
      stranded.push(p);
      continue;
    }
    const f = free.get(nodeName(home))!;
    free.set(nodeName(home), { cpu: f.cpu - need.cpu, memory: f.memory - need.memory, pods: f.pods - 1 });
  }
  return { stranded, evicted, free };
}

/**
 * `drain-capacity`: when a node (or the largest planned worker batch) is drained, can the other schedulable nodes take
 * its pods' CPU/memory requests? Taints/tolerations and nodeSelector are honoured; affinity, topology spread and
 * volumes are not (so "fits" is optimistic, "does not fit" is certain for requests).
 */
export const drainCapacity: Check = {
  id: 'drain-capacity',
  async run(ctx) {
    const [nodes, pods] = await Promise.all([ctx.nodes(), ctx.pods()]);
    const drained = new Set(ctx.deps.drainNodes ?? nodes.map(nodeName));
    const requested = (name: string) => pods.filter((p) => p.spec?.nodeName === name && isRescheduledOnDrain(p)).reduce((n, p) => n + podRequests(p).cpu, 0);
    const workers = nodes.filter((n) => !isControlPlaneNode(n) && drained.has(nodeName(n))).map(nodeName);
    const batchSize = ctx.deps.maxUnavailable ? resolveMaxUnavailable(ctx.deps.maxUnavailable, workers.length) : 1;
    // Control planes are drained alone; workers alone, and with a batch size above one also the batch that evicts the most.
    const batches: string[][] = [
      ...nodes.filter((n) => isControlPlaneNode(n) && drained.has(nodeName(n))).map((n) => [nodeName(n)]),
      ...workers.map((w) => [w]),
    ];
    if (batchSize > 1 && workers.length > 1) batches.push([...workers].sort((a, b) => requested(b) - requested(a)).slice(0, batchSize).sort());
    const out: CheckResult[] = [];
    for (const batch of batches) {
      const { stranded, evicted, free } = strandedPods(batch, nodes, pods);
      if (stranded.length === 0) continue;
      const where = batch.join(', ');
      out.push(result('drain-capacity', 'blocker', batch.length === 1 ? batch[0]! : null,
        `Draining ${where}: ${stranded.length} of ${evicted.length} evicted pod(s) would stay Pending — ${stranded.map(podRef).join(', ')}`,
        [...stranded.map((p) => `Pod/${podRef(p)} on ${p.spec?.nodeName} requests ${fmt(podRequests(p))}${Object.keys(p.spec?.nodeSelector ?? {}).length ? `, nodeSelector ${JSON.stringify(p.spec?.nodeSelector)}` : ''}`),
          ...[...free].map(([n, f]) => `${n}: free ${fmt(f)}${canLandAnywhere(nodes, n) ? '' : ' (not schedulable: NotReady, cordoned or tainted)'}`)],
        `Make room before draining ${where}: add a node or capacity, lower the pods' requests, scale the workloads down, or drain fewer nodes at once (kubeadm.upgrade.maxUnavailable).`));
    }
    if (out.length === 0) out.push(result('drain-capacity', 'ok', null, `Every drained node's evicted pods fit on the remaining nodes (${batches.length} drain(s) checked${batchSize > 1 ? `, worker batches of ${batchSize}` : ''})`));
    return out;
  },
};

function canLandAnywhere(nodes: readonly RawNode[], name: string): boolean {
  const n = nodes.find((x) => nodeName(x) === name);
  return !!n && canLand({ spec: { tolerations: [] } }, n);
}
