import type { RawNode } from '../snapshot/raw';
import type { KPod } from './ports';
import { parseQuantity } from './parse/quantity';

/** How the readiness checks see pods and nodes for scheduling questions (the scheduler's rules, approximately). */

export const podRef = (p: KPod) => `${p.metadata?.namespace}/${p.metadata?.name}`;

export function isMirrorPod(p: KPod): boolean {
  return !!p.metadata?.annotations?.['kubernetes.io/config.mirror'] || (p.metadata?.ownerReferences ?? []).some((o) => o.kind === 'Node');
}

export function controllerOf(p: KPod): { kind?: string; name?: string } | undefined {
  return (p.metadata?.ownerReferences ?? []).find((o) => o.controller) ?? p.metadata?.ownerReferences?.[0];
}

/** Running or pending, not being deleted: it occupies its node. */
export function isActive(p: KPod): boolean {
  return p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed' && !p.metadata?.deletionTimestamp;
}

/**
 * What `kubectl drain` evicts and a controller recreates elsewhere: active pods with a controller, except DaemonSet
 * pods (drain ignores them) and mirror pods (static pods stay). Bare pods are deleted, not rescheduled.
 */
export function isRescheduledOnDrain(p: KPod): boolean {
  if (!isActive(p) || isMirrorPod(p)) return false;
  const owner = controllerOf(p);
  return !!owner && owner.kind !== 'DaemonSet';
}

export interface Requests {
  cpu: number;
  memory: number;
}

/** The scheduler's request of a pod: the sum over its containers, or the largest init container when larger. */
export function podRequests(p: KPod): Requests {
  const of = (c: { resources?: { requests?: Record<string, unknown> } }, k: string) => {
    const v = parseQuantity(c.resources?.requests?.[k] ?? 0);
    return Number.isFinite(v) ? v : 0;
  };
  const sum = (k: string) => (p.spec?.containers ?? []).reduce((n, c) => n + of(c, k), 0);
  const init = (k: string) => Math.max(0, ...(p.spec?.initContainers ?? []).map((c) => of(c, k)));
  return { cpu: Math.max(sum('cpu'), init('cpu')), memory: Math.max(sum('memory'), init('memory')) };
}

export function nodeName(n: RawNode): string {
  return n.metadata?.name ?? '?';
}

export function isControlPlaneNode(n: RawNode): boolean {
  const labels = n.metadata?.labels ?? {};
  return 'node-role.kubernetes.io/control-plane' in labels || 'node-role.kubernetes.io/master' in labels;
}

export function isReadyNode(n: RawNode): boolean {
  return (n.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

type Taint = NonNullable<NonNullable<RawNode['spec']>['taints']>[number];

function tolerates(p: KPod, t: Taint): boolean {
  return (p.spec?.tolerations ?? []).some((tol) => {
    if (tol.effect && tol.effect !== t.effect) return false;
    if (tol.operator === 'Exists') return !tol.key || tol.key === t.key;
    return tol.key === t.key && (tol.value ?? '') === (t.value ?? '');
  });
}

/** Could the scheduler place the pod on the node, resources aside: Ready, schedulable, taints tolerated, nodeSelector met. */
export function canLand(p: KPod, n: RawNode): boolean {
  if (!isReadyNode(n) || n.spec?.unschedulable) return false;
  for (const t of n.spec?.taints ?? []) if ((t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(p, t)) return false;
  const labels = n.metadata?.labels ?? {};
  return Object.entries(p.spec?.nodeSelector ?? {}).every(([k, v]) => labels[k] === v);
}

/** Allocatable minus what the active pods on the node (among `pods`) request. */
export function freeOn(n: RawNode, pods: readonly KPod[]): Requests & { pods: number } {
  const alloc = n.status?.allocatable ?? {};
  const on = pods.filter((p) => p.spec?.nodeName === nodeName(n) && isActive(p));
  const used = on.reduce((s, p) => {
    const r = podRequests(p);
    return { cpu: s.cpu + r.cpu, memory: s.memory + r.memory };
  }, { cpu: 0, memory: 0 });
  const num = (k: string) => {
    const v = parseQuantity(alloc[k]);
    return Number.isFinite(v) ? v : Infinity;
  };
  return { cpu: num('cpu') - used.cpu, memory: num('memory') - used.memory, pods: num('pods') - on.length };
}
