/**
 * Results shown under a context name (a readiness note, a Problems page, a panel's view) that belong to the cluster
 * they were computed on. Every kubeadm admin.conf names its context `kubernetes-admin@kubernetes`, so when the
 * kubeconfig changes the same name can reach another cluster: a result is given back only while the context still
 * reaches the cluster it was made for (its key, `ClusterState.key`), and `prune` hands back those that no longer do,
 * for their owner to clear what it shows.
 */
export class ResultsByCluster<T> {
  private readonly entries = new Map<string, { readonly clusterKey: string; readonly value: T }>();

  /** `keyOf`: the key of the cluster a context reaches now, undefined when the context is not loaded. */
  constructor(private readonly keyOf: (context: string) => string | undefined) {}

  /** Remembers `value` for the cluster `context` reaches now (or `clusterKey`, the one it was computed on). */
  set(context: string, value: T, clusterKey = this.keyOf(context)): void {
    if (clusterKey === undefined) return; // a context that reaches nothing known: nothing to tie the result to
    this.entries.set(context, { clusterKey, value });
  }

  /** The result for `context`, only while it reaches the cluster the result was made for. */
  get(context: string): T | undefined {
    const e = this.entries.get(context);
    return e && e.clusterKey === this.keyOf(context) ? e.value : undefined;
  }

  /** The cluster a context's result was made for, whatever the context reaches now. */
  clusterOf(context: string): string | undefined {
    return this.entries.get(context)?.clusterKey;
  }

  delete(context: string): void {
    this.entries.delete(context);
  }

  /**
   * Forgets and returns the results whose context now reaches another cluster — or none, when `keepUnloaded` is false
   * and the context is gone from the kubeconfig.
   */
  prune(keepUnloaded = false): { readonly context: string; readonly value: T }[] {
    const gone: { context: string; value: T }[] = [];
    for (const [context, e] of this.entries) {
      const now = this.keyOf(context);
      if (now === e.clusterKey || (now === undefined && keepUnloaded)) continue;
      this.entries.delete(context);
      gone.push({ context, value: e.value });
    }
    return gone;
  }

  values(): { readonly context: string; readonly value: T }[] {
    return [...this.entries].map(([context, e]) => ({ context, value: e.value }));
  }
}
