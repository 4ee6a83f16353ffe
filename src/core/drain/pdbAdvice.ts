// What to do about a PodDisruptionBudget that blocks a drain, by the kind of budget. "Scale it up" helps a
// minAvailable budget (more replicas than the minimum leave room for one eviction) and never a maxUnavailable one
// (maxUnavailable: 0 forbids every voluntary eviction whatever the replica count). Pure.
import { quote } from '../exec/shell';
import { scaledValue } from './pdb';

/** The budget as the advice needs it: from the object (readiness, preview) or from a drain's message (a run). */
export interface BlockingBudget {
  readonly namespace: string;
  readonly name: string;
  readonly rule: 'minAvailable' | 'maxUnavailable' | 'none';
  /** As written: `1`, `0`, `50%`; null when unknown. */
  readonly value: string | null;
  /** Pods the budget covers (status.expectedPods), when known. */
  readonly replicas: number | null;
}

export interface PdbAdvice {
  /** Plain sentences naming the PDB and what helps (and what does not). */
  readonly text: string;
  /** Commands, in the order they would be used; the first is the look. */
  readonly commands: readonly string[];
}

/** A PodDisruptionBudget as any of the API views types it (drain, readiness). */
export interface PdbLike {
  readonly metadata?: { readonly name?: string | undefined; readonly namespace?: string | undefined } | undefined;
  readonly spec?: { readonly minAvailable?: unknown; readonly maxUnavailable?: unknown } | undefined;
  readonly status?: { readonly expectedPods?: number | undefined } | undefined;
}

export function budgetOf(pdb: PdbLike): BlockingBudget {
  const spec = pdb.spec ?? {};
  const value = (v: unknown) => (typeof v === 'number' || typeof v === 'string' ? String(v) : null);
  const rule = spec.minAvailable != null ? 'minAvailable' : spec.maxUnavailable != null ? 'maxUnavailable' : 'none';
  return {
    namespace: pdb.metadata?.namespace ?? '',
    name: pdb.metadata?.name ?? '',
    rule,
    value: rule === 'minAvailable' ? value(spec.minAvailable) : rule === 'maxUnavailable' ? value(spec.maxUnavailable) : null,
    replicas: pdb.status?.expectedPods ?? null,
  };
}

/** The budgets named in a drain's messages ("PDB ns/name allows 0 disruptions (maxUnavailable 0 of 2 replicas)"). */
export function budgetsInText(text: string): BlockingBudget[] {
  const out = new Map<string, BlockingBudget>();
  const re = /PDB ([a-z0-9.-]+)\/([a-z0-9.-]+) allows \d+ disruptions? \((minAvailable|maxUnavailable) (\d+%?)(?: \((?:\?|\d+) of (\d+) replicas?\)| of (\d+) replicas?)?\)/g;
  for (const m of text.matchAll(re)) {
    const key = `${m[1]}/${m[2]}`;
    const replicas = m[5] ?? m[6];
    if (!out.has(key)) out.set(key, { namespace: m[1]!, name: m[2]!, rule: m[3] as 'minAvailable' | 'maxUnavailable', value: m[4]!, replicas: replicas !== undefined ? Number(replicas) : null });
  }
  return [...out.values()];
}

export function pdbAdvice(b: BlockingBudget): PdbAdvice {
  const ref = `${b.namespace}/${b.name}`;
  const ns = quote(b.namespace);
  const name = quote(b.name);
  const look = `kubectl -n ${ns} get pdb ${name} -o wide`;
  const edit = `kubectl -n ${ns} edit pdb ${name}`;
  const patch = (field: string, value: number | string) =>
    `kubectl -n ${ns} patch pdb ${name} --type=merge -p ${quote(JSON.stringify({ spec: { [field]: value } }))}`;
  const replicas = b.replicas;
  if (b.rule === 'maxUnavailable') {
    const zero = b.value === '0' || b.value === '0%' || (b.value !== null && replicas !== null && scaledValue(b.value, replicas) === 0);
    if (zero) {
      return {
        text:
          `PodDisruptionBudget ${ref} has maxUnavailable: ${b.value}: it forbids every voluntary eviction, whatever the number of replicas, so scaling the workload up does not help. ` +
          `Allow one disruption for the upgrade (and set it back afterwards), then drain again.`,
        commands: [look, patch('maxUnavailable', 1), edit, patch('maxUnavailable', asWritten(b.value!))],
      };
    }
    return {
      text: `PodDisruptionBudget ${ref} (maxUnavailable ${b.value ?? '?'}) allows no disruption now: some of its pods are not Ready. Make them Ready (or allow one more disruption), then drain again.`,
      commands: [look, `kubectl -n ${ns} get pods -o wide`, edit],
    };
  }
  if (b.rule === 'minAvailable') {
    const min = b.value !== null && replicas !== null ? scaledValue(b.value, replicas) : b.value !== null && !b.value.endsWith('%') ? Number(b.value) : undefined;
    const full = min !== undefined && replicas !== null && min >= replicas;
    const lower = min !== undefined && min > 0 ? patch('minAvailable', min - 1) : null;
    return {
      text: full
        ? `PodDisruptionBudget ${ref} needs minAvailable ${b.value}${replicas !== null ? ` of its ${replicas} pod${replicas === 1 ? '' : 's'}` : ''}: none may be evicted. ` +
          `Either give the workload more replicas than the minimum (scale it to ${(min ?? 0) + 1}, on other nodes), or lower minAvailable for the upgrade and set it back afterwards; then drain again.`
        : `PodDisruptionBudget ${ref} (minAvailable ${b.value ?? '?'}) allows no disruption now: fewer of its pods are Ready than it needs. Wait for them to be Ready, scale the workload up, or lower minAvailable; then drain again.`,
      commands: [look, ...(lower ? [lower] : []), edit],
    };
  }
  return { text: `PodDisruptionBudget ${ref} allows no disruption now. Look at it and relax it for the upgrade, then drain again.`, commands: [look, edit] };
}

/** A value as it was written in the object: `0` as a number, `10%` as a string. */
function asWritten(value: string): number | string {
  return /^\d+$/.test(value) ? Number(value) : value;
}
