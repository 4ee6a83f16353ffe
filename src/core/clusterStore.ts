import { evaluateSkew, type Finding } from './skew';
import { buildSnapshot, withKubeadmVersions } from './snapshot/build';
import type { ClusterSnapshot, NodeSnapshot } from './snapshot/model';
import { formatVersion } from './version';
import { ClusterAccessError, type AccessError, type ClusterSource, type Unsubscribe } from './snapshot/source';

/** What the UI shows for one kubeconfig context. */
export interface ClusterState {
  readonly contextName: string;
  readonly server: string | undefined;
  /** Which cluster the context reaches (see `clusterKeyOf`): what every cached result shown for it is keyed by. */
  readonly key: string;
  readonly status: 'loading' | 'ready' | 'error';
  readonly snapshot?: ClusterSnapshot;
  readonly findings: readonly Finding[];
  readonly error?: AccessError;
  /** Partial reads (e.g. 403 on kube-system) that the user should know about. */
  readonly warnings: readonly string[];
  readonly updatedAt?: Date;
}

export interface StoreOptions {
  readonly kubectlVersion?: string;
  readonly target?: string;
}

/**
 * Keeps one state per cluster: loads each source, re-reads it when its watch reports a change, and tells
 * listeners which cluster changed. Free of VS Code so the tree's behaviour can be tested with plain sources.
 */
export class ClusterStore {
  private readonly states = new Map<string, ClusterState>();
  private readonly sources = new Map<string, ClusterSource>();
  private readonly unwatch = new Map<string, Unsubscribe>();
  private readonly listeners = new Set<(contextName?: string) => void>();
  private readonly inFlight = new Map<string, Promise<void>>();
  /**
   * cluster key → node → `kubeadm version -o short`, learned from the nodes (the API does not know it), with the node's
   * kubelet when it was learned: once the kubelet changes (the node was upgraded, maybe outside the extension) the
   * cached kubeadm version is stale and dropped rather than shown as a skew error.
   */
  private readonly kubeadm = new Map<string, Map<string, { version: string; kubelet: string | null }>>();
  /** Context → cluster key of the sources set now: a cluster whose source is replaced by another one's under the same name gets a new key. */
  private readonly keys = new Map<string, string>();

  constructor(private options: StoreOptions = {}) {}

  onDidChange(listener: (contextName?: string) => void): Unsubscribe {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Replaces the set of clusters (e.g. after the kubeconfig changed) and loads them all. */
  setSources(sources: readonly ClusterSource[]): Promise<void> {
    this.disposeWatches();
    this.sources.clear();
    this.states.clear();
    this.keys.clear();
    for (const s of sources) {
      this.sources.set(s.contextName, s);
      this.keys.set(s.contextName, clusterKeyOf(s));
      this.states.set(s.contextName, { contextName: s.contextName, server: s.server, key: clusterKeyOf(s), status: 'loading', findings: [], warnings: [] });
    }
    this.emit();
    return Promise.all(sources.map((s) => this.refresh(s.contextName))).then(() => undefined);
  }

  setOptions(options: StoreOptions): void {
    this.options = options;
    for (const [name, state] of this.states) {
      if (state.snapshot) this.states.set(name, { ...state, findings: evaluateSkew(state.snapshot, options) });
    }
    this.emit();
  }

  /**
   * Records the kubeadm version a node reported (Plan Upgrade, an upgrade run, or a cache of them): shown beside the
   * node and checked by the kubeadm skew rules, for this snapshot and every later one of that cluster.
   */
  setKubeadmVersion(contextName: string, node: string, version: string, kubelet?: string | null): void {
    const key = this.keyOf(contextName);
    if (key === undefined) return; // not a context of the kubeconfig now: nothing to tie the version to
    const current = kubeletOf(this.states.get(contextName)?.snapshot?.nodes.find((n) => n.name === node));
    this.learnKubeadmVersion(key, node, version, kubelet === undefined ? current : kubelet);
  }

  /**
   * The same, for a cluster named by its key (`ClusterState.key`): a cache restored before the kubeconfig is read.
   * It shows on whichever context reaches that cluster, and on no other (another cluster behind the same name).
   */
  learnKubeadmVersion(clusterKey: string, node: string, version: string, kubelet: string | null): void {
    const nodes = this.kubeadm.get(clusterKey) ?? new Map<string, { version: string; kubelet: string | null }>();
    nodes.set(node, { version, kubelet });
    this.kubeadm.set(clusterKey, nodes);
    for (const [contextName, key] of this.keys) if (key === clusterKey) this.applyKubeadm(contextName);
  }

  private applyKubeadm(contextName: string): void {
    const state = this.states.get(contextName);
    if (!state?.snapshot) return;
    const snapshot = this.withKubeadm(contextName, state.snapshot);
    this.set(contextName, { ...state, snapshot, findings: evaluateSkew(snapshot, this.options) });
  }

  /** The learned kubeadm versions that still hold for this snapshot (same kubelet as when learned). */
  private withKubeadm(contextName: string, snapshot: ClusterSnapshot): ClusterSnapshot {
    const key = this.keyOf(contextName);
    const learned = key === undefined ? undefined : this.kubeadm.get(key);
    if (!learned) return snapshot;
    const valid = new Map<string, string>();
    for (const n of snapshot.nodes) {
      const e = learned.get(n.name);
      if (!e) continue;
      const kubelet = kubeletOf(n);
      if (e.kubelet === null) e.kubelet = kubelet; // learned before the first read: bind it to what the node runs now
      if (e.kubelet === kubelet) valid.set(n.name, e.version);
      else learned.delete(n.name);
    }
    return withKubeadmVersions(snapshot, valid);
  }

  list(): ClusterState[] {
    return [...this.states.values()];
  }

  get(contextName: string): ClusterState | undefined {
    return this.states.get(contextName);
  }

  /** The key of the cluster a context reaches now (`ClusterState.key`); undefined when the context is not loaded. */
  keyOf(contextName: string): string | undefined {
    return this.keys.get(contextName);
  }

  /** Re-reads one cluster (or all); concurrent calls for the same cluster share one read. */
  refresh(contextName?: string): Promise<void> {
    if (contextName === undefined) return Promise.all([...this.sources.keys()].map((n) => this.refresh(n))).then(() => undefined);
    const running = this.inFlight.get(contextName);
    if (running) return running;
    const p = this.load(contextName).finally(() => this.inFlight.delete(contextName));
    this.inFlight.set(contextName, p);
    return p;
  }

  private async load(contextName: string): Promise<void> {
    const source = this.sources.get(contextName);
    if (!source) return;
    try {
      const { objects, warnings } = await source.fetch();
      const snapshot = this.withKubeadm(contextName, buildSnapshot(objects));
      this.set(contextName, {
        contextName,
        server: source.server,
        key: clusterKeyOf(source),
        status: 'ready',
        snapshot,
        findings: evaluateSkew(snapshot, this.options),
        warnings,
        updatedAt: new Date(),
      });
      this.ensureWatch(source);
    } catch (e) {
      const error: AccessError =
        e instanceof ClusterAccessError ? e.access : { kind: 'other', message: `Cannot read ${contextName}: ${(e as Error).message}`, detail: String(e) };
      this.set(contextName, { contextName, server: source.server, key: clusterKeyOf(source), status: 'error', error, findings: [], warnings: [], updatedAt: new Date() });
    }
  }

  private ensureWatch(source: ClusterSource): void {
    if (this.unwatch.has(source.contextName)) return;
    const stop = source.watch(
      () => void this.refresh(source.contextName),
      () => {
        // A broken watch is retried by the source; the next successful read replaces any stale state.
      },
    );
    this.unwatch.set(source.contextName, stop);
  }

  private set(contextName: string, state: ClusterState): void {
    if (!this.sources.has(contextName)) return; // the source was removed while it was loading
    this.states.set(contextName, state);
    this.emit(contextName);
  }

  private emit(contextName?: string): void {
    for (const l of this.listeners) l(contextName);
  }

  private disposeWatches(): void {
    for (const stop of this.unwatch.values()) stop();
    this.unwatch.clear();
  }

  dispose(): void {
    this.disposeWatches();
    this.listeners.clear();
  }
}

/**
 * The key of the cluster a source reaches: its own (server + CA), else — a source that knows none — its context name
 * and server, which at least never matches another server's.
 */
export function clusterKeyOf(source: Pick<ClusterSource, 'contextName' | 'server' | 'key'>): string {
  return source.key ?? `context:${source.contextName}@${source.server ?? ''}`;
}

/** The node's kubelet version (`v1.31.2`), the key a learned kubeadm version is tied to. */
export function kubeletOf(node: NodeSnapshot | undefined): string | null {
  return node?.kubelet?.version ? formatVersion(node.kubelet.version) : null;
}
