import { pdbsForPod } from '../drain/pdb';
import type { DrainPdb, DrainPod } from '../drain/types';

/** One PodDisruptionBudget as batching sees it: how many disruptions it allows now, and its pods per node. */
export interface PdbBudget {
  /** `namespace/name`. */
  readonly name: string;
  readonly allowed: number;
  readonly podsByNode: Readonly<Record<string, number>>;
}

export interface PdbImpact {
  readonly pdb: string;
  /** Pods of this budget the batch's drains evict. */
  readonly pods: number;
  readonly allowed: number;
  /** More pods than allowed disruptions (only possible in a batch of one node): evictions wait for replacements. */
  readonly serialised: boolean;
}

export interface Batch {
  readonly nodes: readonly string[];
  readonly impact: readonly PdbImpact[];
  /** Why the batch is smaller than maxUnavailable, when a budget kept a node out. */
  readonly limitedBy?: string;
}

/**
 * The budgets of the pods a drain would evict (DaemonSet pods stay, finished and mirror pods are not evicted), with
 * their pods counted per node, from the live pods and budgets.
 */
export function budgetsFrom(pdbs: readonly DrainPdb[], podsByNode: Readonly<Record<string, readonly DrainPod[]>>): PdbBudget[] {
  const out = new Map<string, { allowed: number; podsByNode: Record<string, number> }>();
  for (const pdb of pdbs) {
    out.set(`${pdb.metadata?.namespace ?? ''}/${pdb.metadata?.name ?? ''}`, { allowed: pdb.status?.disruptionsAllowed ?? 0, podsByNode: {} });
  }
  for (const [node, pods] of Object.entries(podsByNode)) {
    for (const pod of pods) {
      if (!evictable(pod)) continue;
      for (const pdb of pdbsForPod(pod, pdbs)) {
        const b = out.get(`${pdb.metadata?.namespace ?? ''}/${pdb.metadata?.name ?? ''}`)!;
        b.podsByNode[node] = (b.podsByNode[node] ?? 0) + 1;
      }
    }
  }
  return [...out.entries()].map(([name, b]) => ({ name, ...b })).filter((b) => Object.keys(b.podsByNode).length > 0);
}

function evictable(pod: DrainPod): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  if (pod.metadata?.annotations?.['kubernetes.io/config.mirror']) return false;
  return !(pod.metadata?.ownerReferences ?? []).some((o) => o.controller && o.kind === 'DaemonSet');
}

/**
 * Workers in batches of at most `max`, in order, each node joining the first batch it fits: a node fits when the
 * batch has room and, for every budget, the pods the batch would evict together stay within the disruptions the
 * budget allows. A node alone always fits (its drain then evicts in turn, as `kubectl drain` does).
 */
export function batchWorkers(workers: readonly string[], max: number, budgets: readonly PdbBudget[]): Batch[] {
  const batches: string[][] = [];
  const limited = new Map<number, string>();
  for (const node of workers) {
    let placed = false;
    for (let i = 0; i < batches.length && !placed; i++) {
      const b = batches[i]!;
      if (b.length >= max) continue;
      const over = exceeded([...b, node], budgets);
      if (over) {
        if (!limited.has(i)) limited.set(i, `${node} was kept out: ${over}`);
        continue;
      }
      b.push(node);
      placed = true;
    }
    if (!placed) batches.push([node]);
  }
  return batches.map((nodes, i) => ({ nodes, impact: impactOf(nodes, budgets), ...(limited.has(i) && nodes.length < max ? { limitedBy: limited.get(i)! } : {}) }));
}

/** The next batch to start from the remaining workers and the budgets as they are now. */
export function nextBatch(remaining: readonly string[], max: number, budgets: readonly PdbBudget[]): Batch | undefined {
  return batchWorkers(remaining, max, budgets)[0];
}

function exceeded(nodes: readonly string[], budgets: readonly PdbBudget[]): string | undefined {
  for (const b of budgets) {
    const pods = nodes.reduce((n, node) => n + (b.podsByNode[node] ?? 0), 0);
    const onNodes = nodes.filter((node) => (b.podsByNode[node] ?? 0) > 0).length;
    // Only a budget that covers pods on more than one of the nodes can be overrun by draining them together.
    if (onNodes > 1 && pods > b.allowed) return `PDB ${b.name} allows ${b.allowed} disruption${b.allowed === 1 ? '' : 's'} and draining ${nodes.join(', ')} together would evict ${pods} of its pods`;
  }
  return undefined;
}

export function impactOf(nodes: readonly string[], budgets: readonly PdbBudget[]): PdbImpact[] {
  return budgets
    .map((b) => {
      const pods = nodes.reduce((n, node) => n + (b.podsByNode[node] ?? 0), 0);
      return { pdb: b.name, pods, allowed: b.allowed, serialised: pods > b.allowed };
    })
    .filter((i) => i.pods > 0);
}

export function describeImpact(impact: readonly PdbImpact[]): string {
  if (impact.length === 0) return 'no PodDisruptionBudget covers the pods evicted';
  return impact.map((i) => `${i.pdb}: ${i.pods} pod${i.pods === 1 ? '' : 's'} evicted, ${i.allowed} disruption${i.allowed === 1 ? '' : 's'} allowed${i.serialised ? ' (evicted one after another as replacements become ready)' : ''}`).join('; ');
}
