import { resolveMaxUnavailable } from '../../drain/maxUnavailable';
import type { RawNode } from '../../snapshot/raw';
import { formatCpu, formatMemory } from '../parse/quantity';
import { canLand, freeOn, isControlPlaneNode, isRescheduledOnDrain, nodeName, podRef, podRequests, type Requests } from '../podFacts';
import type { KPod } from '../ports';
import { result, type CheckResult } from '../types';
import type { Check } from './check';

const fmt = (r: Requests) => `cpu ${formatCpu(r.cpu)}, memory ${formatMemory(r.memory)}`;

/** Per node: its free capacity and the pods a drain reschedules, computed once for every batch. */
export function capacityIndex(nodes: readonly RawNode[], pods: readonly KPod[]): { free: Map<string, Requests & { pods: number }>; evictable: Map<string, KPod[]> } {
  const byNode = new Map<string, KPod[]>();
  for (const p of pods) {
    const n = p.spec?.nodeName;
    if (!n) continue;
    const list = byNode.get(n);
    if (list) list.push(p);
    else byNode.set(n, [p]);
  }
  const free = new Map(nodes.map((n) => [nodeName(n), freeOn(n, byNode.get(nodeName(n)) ?? [])]));
  const evictable = new Map([...byNode].map(([n, list]) => [n, list.filter(isRescheduledOnDrain)]));
  return { free, evictable };
}

/** The pods evicted from `batch` that no remaining node can take (first fit, largest request first). */
export function strandedPods(batch: readonly string[], nodes: readonly RawNode[], index: ReturnType<typeof capacityIndex>): { stranded: KPod[]; evicted: KPod[]; free: () => Map<string, Requests & { pods: number }> } {
  const inBatch = new Set(batch);
  const evicted = batch.flatMap((n) => index.evictable.get(n) ?? []);
  // Only the nodes that took a pod differ from the index: keep those, read the rest from it.
  const changed = new Map<string, Requests & { pods: number }>();
  const freeOf = (name: string) => changed.get(name) ?? index.free.get(name)!;
  const stranded: KPod[] = [];
  const withNeed = evicted.map((p) => ({ p, need: podRequests(p) })).sort((a, b) => b.need.cpu - a.need.cpu || b.need.memory - a.need.memory);
  for (const { p, need } of withNeed) {
    const home = nodes.find((n) => {
      const name = nodeName(n);
      if (inBatch.has(name)) return false;
      const f = freeOf(name);
      return f.cpu >= need.cpu && f.memory >= need.memory && f.pods >= 1 && canLand(p, n);
    });
    if (!home) {
      stranded.push(p);
      continue;
    }
    const f = freeOf(nodeName(home));
    changed.set(nodeName(home), { cpu: f.cpu - need.cpu, memory: f.memory - need.memory, pods: f.pods - 1 });
  }
  return { stranded, evicted, free: () => new Map(nodes.filter((n) => !inBatch.has(nodeName(n))).map((n) => [nodeName(n), freeOf(nodeName(n))])) };
}

/**
 * `drain-capacity`: when a node (or the largest planned worker batch) is drained, can the other schedulable nodes take
 * its pods' CPU/memory requests? Taints/tolerations and nodeSelector are honoured; affinity, topology spread and
 * volumes are not (so "fits" is optimistic, "does not fit" is certain for requests).
 */
export const drainCapacity: Check = {
  id: 'drain-capacity',
  async run(ctx) {
    const [listed, pods] = await Promise.all([ctx.nodes(), ctx.pods()]);
    const byRun = new Set(ctx.deps.cordonedByRun ?? []);
    const nodes = listed.map((n) => (byRun.has(nodeName(n)) ? uncordoned(n) : n));
    const drained = new Set(ctx.deps.drainNodes ?? nodes.map(nodeName));
    const index = capacityIndex(nodes, pods);
    const requested = (name: string) => (index.evictable.get(name) ?? []).reduce((n, p) => n + podRequests(p).cpu, 0);
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
      const { stranded, evicted, free } = strandedPods(batch, nodes, index);
      if (stranded.length === 0) continue;
      const where = batch.join(', ');
      out.push(result('drain-capacity', 'blocker', batch.length === 1 ? batch[0]! : null,
        `Draining ${where}: ${stranded.length} of ${evicted.length} evicted pod(s) would stay Pending — ${stranded.map(podRef).join(', ')}`,
        [...stranded.map((p) => `Pod/${podRef(p)} on ${p.spec?.nodeName} requests ${fmt(podRequests(p))}${Object.keys(p.spec?.nodeSelector ?? {}).length ? `, nodeSelector ${JSON.stringify(p.spec?.nodeSelector)}` : ''}`),
          ...[...free()].map(([n, f]) => `${n}: free ${fmt(f)}${canLandAnywhere(nodes, n) ? '' : ' (not schedulable: NotReady, cordoned or tainted)'}`)],
        `Make room before draining ${where}: add a node or capacity, lower the pods' requests, scale the workloads down, or drain fewer nodes at once (kubeadm.upgrade.maxUnavailable).`));
    }
    if (out.length === 0) out.push(result('drain-capacity', 'ok', null, `Every drained node's evicted pods fit on the remaining nodes (${batches.length} drain(s) checked${batchSize > 1 ? `, worker batches of ${batchSize}` : ''})`));
    return out;
  },
};

/** The node as it will be once the run uncordons it: schedulable, without the taint the node controller adds for a cordon. */
function uncordoned(n: RawNode): RawNode {
  return { ...n, spec: { ...n.spec, unschedulable: false, taints: (n.spec?.taints ?? []).filter((t) => t.key !== 'node.kubernetes.io/unschedulable') } };
}

function canLandAnywhere(nodes: readonly RawNode[], name: string): boolean {
  const n = nodes.find((x) => nodeName(x) === name);
  return !!n && canLand({ spec: { tolerations: [] } }, n);
}
