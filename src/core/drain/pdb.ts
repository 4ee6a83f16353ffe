/**
 * Before evicting anything: which of the pods to evict a PodDisruptionBudget will hold back, and why, from the
 * budgets' status as the disruption controller last computed it (policy/v1 semantics of the eviction subresource).
 */
import { podKey, type DrainPdb, type DrainPod, type LabelSelector } from './types';

export type PdbBlockKind =
  /** The budget can never allow this eviction as configured (e.g. minAvailable 1 of 1 replica, maxUnavailable 0). */
  | 'never'
  /** The budget allows no disruption now; eviction is retried until more of its pods are healthy or the timeout. */
  | 'blocked'
  /** The budget allows some disruptions but fewer than the pods it covers on this node: they go one after another. */
  | 'limited'
  /** More than one budget covers the pod: the API server refuses the eviction (500) and the drain fails at once. */
  | 'conflict';

export interface PdbFinding {
  /** `namespace/name` of the pod. */
  pod: string;
  /** `namespace/name` of each budget covering the pod. */
  pdbs: string[];
  kind: PdbBlockKind;
  /** One sentence naming the budget, its numbers and the consequence. */
  reason: string;
}

const pdbKey = (p: DrainPdb) => `${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`;

/** metav1.LabelSelectorAsSelector semantics; `null`/`undefined` selects nothing, `{}` everything. */
export function selectorMatches(selector: LabelSelector | null | undefined, labels: Record<string, string> = {}): boolean {
  if (selector === null || selector === undefined) return false;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const r of selector.matchExpressions ?? []) {
    const key = r.key ?? '';
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    const values = r.values ?? [];
    switch (r.operator) {
      case 'In':
        if (!has || !values.includes(labels[key]!)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[key]!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** The budgets whose selector matches the pod (same namespace). */
export function pdbsForPod(pod: DrainPod, pdbs: readonly DrainPdb[]): DrainPdb[] {
  return pdbs.filter((p) => p.metadata?.namespace === pod.metadata?.namespace && selectorMatches(p.spec?.selector, pod.metadata?.labels));
}

/** intstr.GetScaledValueFromIntOrPercent with roundUp, as the disruption controller uses for both fields. */
export function scaledValue(value: number | string | undefined, total: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(value.trim());
  if (m) return Math.ceil((Number(m[1]) * total) / 100);
  const n = Number(value);
  return Number.isInteger(n) ? n : undefined;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function podReady(pod: DrainPod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** The budget's rule in words: "minAvailable 1 of 1 replica", "maxUnavailable 0", "minAvailable 50% (2 of 3 replicas)". */
export function describeBudget(pdb: DrainPdb): string {
  const spec = pdb.spec ?? {};
  const expected = pdb.status?.expectedPods ?? 0;
  const replicas = plural(expected, 'replica');
  if (spec.minAvailable !== undefined) {
    const v = scaledValue(spec.minAvailable, expected);
    return typeof spec.minAvailable === 'string' && spec.minAvailable.endsWith('%')
      ? `minAvailable ${spec.minAvailable} (${v ?? '?'} of ${replicas})`
      : `minAvailable ${spec.minAvailable} of ${replicas}`;
  }
  if (spec.maxUnavailable !== undefined) {
    const v = scaledValue(spec.maxUnavailable, expected);
    return typeof spec.maxUnavailable === 'string' && spec.maxUnavailable.endsWith('%')
      ? `maxUnavailable ${spec.maxUnavailable} (${v ?? '?'} of ${replicas})`
      : `maxUnavailable ${spec.maxUnavailable} of ${replicas}`;
  }
  return `no minAvailable/maxUnavailable, ${replicas}`;
}

/** True when the budget, as written, can never allow a voluntary disruption of its pods. */
export function neverAllows(pdb: DrainPdb): boolean {
  const spec = pdb.spec ?? {};
  const expected = pdb.status?.expectedPods ?? 0;
  if (spec.maxUnavailable !== undefined) return scaledValue(spec.maxUnavailable, expected) === 0;
  if (spec.minAvailable !== undefined) {
    const min = scaledValue(spec.minAvailable, expected);
    if (typeof spec.minAvailable === 'string' && spec.minAvailable.trim() === '100%') return true;
    return min !== undefined && expected > 0 && min >= expected;
  }
  return false;
}

/**
 * For each pod about to be evicted: the budgets that will hold it back and why. Pods no budget blocks are absent.
 * Eviction skips the budget for pods that are not running (Pending, Succeeded, Failed), and for unready pods when
 * the budget is healthy enough (IfHealthyBudget) or its unhealthyPodEvictionPolicy is AlwaysAllow.
 */
export function analyzePdbs(toEvict: readonly DrainPod[], pdbs: readonly DrainPdb[]): PdbFinding[] {
  const findings: PdbFinding[] = [];
  // How many of the pods to evict each budget covers: more than disruptionsAllowed means they must wait in turn.
  const covered = new Map<string, number>();
  const matches = new Map<DrainPod, DrainPdb[]>();
  for (const pod of toEvict) {
    const phase = pod.status?.phase;
    if (phase === 'Pending' || phase === 'Succeeded' || phase === 'Failed') continue;
    const m = pdbsForPod(pod, pdbs);
    matches.set(pod, m);
    if (m.length === 1) covered.set(pdbKey(m[0]!), (covered.get(pdbKey(m[0]!)) ?? 0) + 1);
  }
  for (const [pod, m] of matches) {
    if (m.length === 0) continue;
    const names = m.map(pdbKey);
    if (m.length > 1) {
      findings.push({
        pod: podKey(pod),
        pdbs: names,
        kind: 'conflict',
        reason: `pod ${podKey(pod)} is covered by ${m.length} PodDisruptionBudgets (${names.join(', ')}): the API server refuses to evict it ("This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.")`,
      });
      continue;
    }
    const pdb = m[0]!;
    const st = pdb.status ?? {};
    const allowed = st.disruptionsAllowed ?? 0;
    const healthy = st.currentHealthy ?? 0;
    const desired = st.desiredHealthy ?? 0;
    const expected = st.expectedPods ?? 0;
    if (!podReady(pod) && pod.status?.conditions !== undefined) {
      if (pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow' || healthy >= desired) continue;
    }
    const name = pdbKey(pdb);
    const head = `PDB ${name} allows ${plural(allowed, 'disruption')} (${describeBudget(pdb)})`;
    const stale = st.observedGeneration !== undefined && pdb.metadata?.generation !== undefined && st.observedGeneration < pdb.metadata.generation;
    const staleNote = stale ? ' (its status is not yet updated for the latest spec)' : '';
    if (allowed <= 0) {
      if (neverAllows(pdb)) {
        findings.push({ pod: podKey(pod), pdbs: [name], kind: 'never', reason: `${head}: this pod can never be evicted${staleNote}` });
      } else {
        findings.push({
          pod: podKey(pod),
          pdbs: [name],
          kind: 'blocked',
          reason: `${head}: ${healthy} of ${plural(expected, 'pod')} healthy, ${desired} needed; eviction is retried until more of its pods are healthy${staleNote}`,
        });
      }
      continue;
    }
    const onNode = covered.get(name) ?? 0;
    if (onNode > allowed) {
      findings.push({
        pod: podKey(pod),
        pdbs: [name],
        kind: 'limited',
        reason: `${head} and ${onNode} of its pods are on this node: they are evicted as replacements become healthy${staleNote}`,
      });
    }
  }
  return findings;
}
