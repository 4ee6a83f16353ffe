// An evicted pod whose replacement can only run on the node being drained: the node is cordoned, so the replacement
// stays Pending, the PodDisruptionBudget never gets its pod back, and every further eviction it guards is refused
// (429) until the drain's timeout. kubectl says "will retry" each time; this says why it never will succeed.
import { pdbsForPod } from './pdb';
import type { DrainPdb, DrainPod } from './types';

/** The parts of a Pending pod that say where it may run. */
export interface PendingPod extends Omit<DrainPod, 'status' | 'spec'> {
  spec?: DrainPod['spec'] & {
    nodeSelector?: Record<string, string>;
    affinity?: { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: NodeSelectorTerm[] } } };
  };
  status?: { phase?: string; conditions?: { type?: string; status?: string; reason?: string; message?: string }[] };
}

interface NodeSelectorTerm {
  matchExpressions?: { key?: string; operator?: string; values?: string[] }[];
  matchFields?: { key?: string; operator?: string; values?: string[] }[];
}

const HOSTNAME = 'kubernetes.io/hostname';

/** How `pod` is pinned to `node` (`nodeSelector kubernetes.io/hostname=worker-1`), or undefined when it is not. */
export function pinnedTo(pod: PendingPod, node: string): string | undefined {
  const selector = pod.spec?.nodeSelector?.[HOSTNAME];
  if (selector === node) return `nodeSelector ${HOSTNAME}=${node}`;
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  // Terms are ORed: pinned only when every term allows this node alone.
  if (terms && terms.length > 0 && terms.every((t) => termOnlyAllows(t, node))) return `required node affinity to ${node}`;
  return undefined;
}

function termOnlyAllows(t: NodeSelectorTerm, node: string): boolean {
  const only = (r: { key?: string; operator?: string; values?: string[] }, key: string) => r.key === key && r.operator === 'In' && r.values?.length === 1 && r.values[0] === node;
  return (t.matchExpressions ?? []).some((r) => only(r, HOSTNAME)) || (t.matchFields ?? []).some((r) => only(r, 'metadata.name'));
}

/** A Pending pod not yet on a node (the scheduler's Unschedulable condition when it set one). */
function unscheduled(pod: PendingPod): boolean {
  if (pod.spec?.nodeName || pod.metadata?.deletionTimestamp) return false;
  if (pod.status?.phase !== undefined && pod.status.phase !== 'Pending') return false;
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  return !scheduled || scheduled.status === 'False';
}

/**
 * The sentence for an eviction of `evicting` refused by a budget that waits for a replacement pinned to the cordoned
 * `node`; undefined when no such replacement is found (a budget that recovers on its own: kubectl's retry is right).
 */
export function pinnedReplacementReason(evicting: DrainPod, pending: readonly PendingPod[], pdbs: readonly DrainPdb[], node: string): string | undefined {
  const budgets = pdbsForPod(evicting, pdbs);
  if (budgets.length === 0) return undefined;
  for (const p of pending) {
    if (p.metadata?.namespace !== evicting.metadata?.namespace || !unscheduled(p)) continue;
    const pin = pinnedTo(p, node);
    const budget = budgets.find((b) => pdbsForPod(p, [b]).length > 0);
    if (!pin || !budget) continue;
    const ns = p.metadata?.namespace ?? '';
    const why = p.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False')?.message;
    return (
      `pod ${ns}/${p.metadata?.name ?? ''}, the replacement of an evicted pod, cannot be scheduled: it is pinned to ${node} (${pin}), which is cordoned${why ? ` (scheduler: ${why})` : ''}. ` +
      `PodDisruptionBudget ${ns}/${budget.metadata?.name ?? ''} will refuse to evict ${evicting.metadata?.name ?? ''} until it runs, so retrying cannot succeed. ` +
      `Remove the pin (or scale the workload so the budget allows a disruption), or uncordon ${node}.`
    );
  }
  return undefined;
}
