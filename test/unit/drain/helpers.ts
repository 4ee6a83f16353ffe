// Pod/PDB builders and an in-memory DrainApi with a virtual clock, for the pure drain logic.
import { ApiFailure, type Clock, type DrainApi } from '../../../src/core/drain';
import type { DaemonSetLookup } from '../../../src/core/drain/filters';
import type { DrainPdb, DrainPod } from '../../../src/core/drain/types';

let uid = 0;

export interface PodSpec {
  ns?: string;
  owner?: { kind: string; name: string; controller?: boolean };
  mirror?: boolean;
  emptyDir?: boolean;
  phase?: string;
  labels?: Record<string, string>;
  deletedAt?: string;
  ready?: boolean;
  node?: string;
}

export function pod(name: string, s: PodSpec = {}): DrainPod {
  return {
    metadata: {
      name,
      namespace: s.ns ?? 'default',
      uid: `uid-${++uid}`,
      labels: s.labels ?? {},
      annotations: s.mirror ? { 'kubernetes.io/config.mirror': 'abc' } : {},
      ownerReferences: s.owner ? [{ kind: s.owner.kind, name: s.owner.name, controller: s.owner.controller ?? true }] : [],
      ...(s.deletedAt ? { deletionTimestamp: s.deletedAt } : {}),
    },
    spec: { nodeName: s.node ?? 'worker-1', volumes: s.emptyDir ? [{ name: 'scratch', emptyDir: {} }] : [{ name: 'cfg' }] },
    status: {
      phase: s.phase ?? 'Running',
      ...(s.ready !== undefined ? { conditions: [{ type: 'Ready', status: s.ready ? 'True' : 'False' }] } : {}),
    },
  };
}

export const rs = (name: string) => ({ kind: 'ReplicaSet', name });
export const ds = (name: string) => ({ kind: 'DaemonSet', name });

export function pdb(
  name: string,
  spec: { minAvailable?: number | string; maxUnavailable?: number | string; labels?: Record<string, string> | null; policy?: string },
  status: { allowed: number; healthy: number; desired: number; expected: number },
  ns = 'default',
): DrainPdb {
  return {
    metadata: { name, namespace: ns, generation: 1 },
    spec: {
      ...(spec.minAvailable !== undefined ? { minAvailable: spec.minAvailable } : {}),
      ...(spec.maxUnavailable !== undefined ? { maxUnavailable: spec.maxUnavailable } : {}),
      selector: spec.labels === null ? null : { matchLabels: spec.labels ?? { app: name } },
      ...(spec.policy ? { unhealthyPodEvictionPolicy: spec.policy } : {}),
    },
    status: { disruptionsAllowed: status.allowed, currentHealthy: status.healthy, desiredHealthy: status.desired, expectedPods: status.expected, observedGeneration: 1 },
  };
}

/** A virtual clock: sleeping moves time forward at once (concurrent sleepers share the same timeline). */
export function virtualClock(start = 1_700_000_000_000): Clock & { t: number } {
  const c = {
    t: start,
    now: () => c.t,
    sleep: async (ms: number, signal?: AbortSignal) => {
      const target = c.t + ms;
      await new Promise((r) => setImmediate(r));
      if (!signal?.aborted) c.t = Math.max(c.t, target);
    },
  };
  return c;
}

export type EvictBehaviour = (attempt: number) => ApiFailure | 'ok' | 'gone-later' | 'stays';

/** In-memory cluster for one node. Evictions follow `behaviour[pod]` (default: accepted, pod disappears). */
export class FakeApi implements DrainApi {
  unschedulable = false;
  pods: DrainPod[] = [];
  pdbs: DrainPdb[] = [];
  daemonSets = new Set<string>();
  behaviour = new Map<string, EvictBehaviour>();
  calls: string[] = [];
  attempts = new Map<string, number>();
  /** Pods whose eviction was accepted but that stay (terminating) until this many more GETs. */
  lingering = new Map<string, number>();
  /** Pods replaced by a new pod with the same name after eviction (StatefulSet-like): new UID. */
  replaceOnEvict = new Set<string>();

  constructor(readonly nodes = new Set(['worker-1'])) {}

  async getNodeUnschedulable(node: string): Promise<boolean> {
    this.calls.push(`getNode ${node}`);
    if (!this.nodes.has(node)) throw new ApiFailure(`nodes "${node}" not found`, 404, 'NotFound');
    return this.unschedulable;
  }
  async setUnschedulable(node: string, value: boolean): Promise<void> {
    this.calls.push(`patch ${node} unschedulable=${value}`);
    this.unschedulable = value;
  }
  async listPods(node: string): Promise<DrainPod[]> {
    this.calls.push(`listPods ${node}`);
    // Evicted pods that linger terminate a little more with each look at them (GET or LIST).
    for (const key of this.accepted) this.tick(key);
    return this.pods.filter((p) => p.spec?.nodeName === node);
  }
  async getDaemonSet(namespace: string, name: string): Promise<DaemonSetLookup> {
    this.calls.push(`getDaemonSet ${namespace}/${name}`);
    return this.daemonSets.has(`${namespace}/${name}`) ? { exists: true } : { exists: false, notFound: true, message: `daemonsets.apps "${name}" not found` };
  }
  async listPdbs(): Promise<DrainPdb[]> {
    this.calls.push('listPdbs');
    return this.pdbs;
  }
  async evict(namespace: string, name: string, grace: number | undefined): Promise<void> {
    const key = `${namespace}/${name}`;
    const n = (this.attempts.get(key) ?? 0) + 1;
    this.attempts.set(key, n);
    this.calls.push(`evict ${key}${grace !== undefined ? ` grace=${grace}` : ''}`);
    const b = this.behaviour.get(key)?.(n) ?? 'ok';
    if (b instanceof ApiFailure) throw b;
    if (!this.pods.some((p) => `${p.metadata?.namespace}/${p.metadata?.name}` === key)) throw new ApiFailure(`pods "${name}" not found`, 404, 'NotFound');
    this.remove(key);
  }
  async deletePod(namespace: string, name: string, grace: number | undefined): Promise<void> {
    const key = `${namespace}/${name}`;
    this.calls.push(`delete ${key}${grace !== undefined ? ` grace=${grace}` : ''}`);
    if (!this.pods.some((p) => `${p.metadata?.namespace}/${p.metadata?.name}` === key)) throw new ApiFailure(`pods "${name}" not found`, 404, 'NotFound');
    this.remove(key);
  }
  async getPod(namespace: string, name: string): Promise<DrainPod | undefined> {
    const key = `${namespace}/${name}`;
    this.calls.push(`getPod ${key}`);
    this.tick(key);
    return this.pods.find((p) => `${p.metadata?.namespace}/${p.metadata?.name}` === key);
  }
  /** Pods whose eviction or deletion was accepted. */
  private readonly accepted = new Set<string>();
  private tick(key: string) {
    const left = this.lingering.get(key);
    if (left === undefined) return;
    if (left <= 0) {
      this.lingering.delete(key);
      this.pods = this.pods.filter((p) => `${p.metadata?.namespace}/${p.metadata?.name}` !== key);
    } else this.lingering.set(key, left - 1);
  }
  private remove(key: string) {
    this.accepted.add(key);
    if (this.replaceOnEvict.has(key)) {
      this.pods = this.pods.map((p) => (`${p.metadata?.namespace}/${p.metadata?.name}` === key ? { ...p, metadata: { ...p.metadata, uid: `${p.metadata?.uid}-new` } } : p));
      return;
    }
    if (this.lingering.has(key)) return;
    this.pods = this.pods.filter((p) => `${p.metadata?.namespace}/${p.metadata?.name}` !== key);
  }
}

export const tooMany = () => new ApiFailure("Cannot evict pod as it would violate the pod's disruption budget.", 429, 'TooManyRequests');
export const multiPdb = () =>
  new ApiFailure('This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.', 500, 'InternalError');
