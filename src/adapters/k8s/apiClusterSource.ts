import { AppsV1Api, CoreV1Api, type KubeConfig, VersionApi } from '@kubernetes/client-node';
import { describeFailure } from '../../core/accessError';
import { relevantFingerprint } from '../../core/snapshot/fingerprint';
import type { RawClusterObjects } from '../../core/snapshot/raw';
import { ClusterAccessError, type AccessError, type ClusterSource, type FetchResult, type Unsubscribe } from '../../core/snapshot/source';
import { slimNode, slimPod } from '../../core/snapshot/slim';
import { failureFacts } from './failure';
import { listAllPages } from './pagedList';
import { ResilientWatch, type ListResult, type WatchCounters } from './resilientWatch';
import { makeApiClient } from './apiClient';
import { caFingerprint } from './clusterIdentity';
import { endpointKey } from '../../core/identity/clusterIdentity';

const NS = 'kube-system';
type Watched = Parameters<typeof relevantFingerprint>[0];

/** Reads a cluster through its API server: six requests per snapshot whatever the number of nodes; watches keep it fresh. */
export class ApiClusterSource implements ClusterSource {
  private readonly core: CoreV1Api;
  private readonly apps: AppsV1Api;
  private readonly version: VersionApi;
  /** resourceVersions of the last lists, so watches start right after them with no replay of existing objects. */
  private listVersions: { nodes?: string; system?: string } = {};
  /** Requests made: snapshot reads, watch starts and relists, so tests can show they stay bounded. */
  readonly requests: WatchCounters & { fetches: number } = { watches: 0, lists: 0, fetches: 0 };
  /** The cluster this context reaches: server URL + CA fingerprint, read from the kubeconfig (no request). */
  readonly key: string;

  constructor(
    readonly contextName: string,
    private readonly kc: KubeConfig,
    private readonly debounceMs = 750,
    /** At most one refresh per this interval, however busy the watches are. */
    private readonly minIntervalMs = 3000,
  ) {
    this.core = makeApiClient(kc, CoreV1Api);
    this.apps = makeApiClient(kc, AppsV1Api);
    this.version = makeApiClient(kc, VersionApi);
    this.key = endpointKey(kc.getCurrentCluster()?.server ?? '', caFingerprint(kc));
  }

  get server(): string | undefined {
    return this.kc.getCurrentCluster()?.server;
  }

  async fetch(): Promise<FetchResult> {
    this.requests.fetches += 6;
    const warnings: string[] = [];
    const optional = async <T>(what: string, p: Promise<T>): Promise<T | undefined> => {
      try {
        return await p;
      } catch (e) {
        const facts = failureFacts(e);
        if (facts.httpStatus !== 404) warnings.push(`${what}: ${describeFailure(this.contextName, this.server, facts).message}`);
        return undefined;
      }
    };
    // Nodes are required: without them there is nothing to show, so their failure is the cluster's failure.
    const [nodes, pods, kubeadmConfig, kubeProxy, coredns, version] = await Promise.all([
      // Paged (limit/continue) and projected page by page to the fields a snapshot reads: memory stays bounded by
      // the page size, not by the cluster's size (bench/: skew on 5,000 nodes).
      listAllPages(this.kc, '/api/v1/nodes', { project: slimNode }).catch((e: unknown) => this.fail(e)),
      optional('kube-system pods', listAllPages(this.kc, `/api/v1/namespaces/${NS}/pods`, { project: slimPod })),
      optional('kubeadm-config ConfigMap', this.core.readNamespacedConfigMap({ name: 'kubeadm-config', namespace: NS })),
      optional('kube-proxy DaemonSet', this.apps.readNamespacedDaemonSet({ name: 'kube-proxy', namespace: NS })),
      optional('CoreDNS Deployment', this.apps.readNamespacedDeployment({ name: 'coredns', namespace: NS })),
      optional('server version', this.version.getCode()),
    ]);
    this.listVersions = { nodes: nodes.resourceVersion, system: pods?.resourceVersion };
    const objects: RawClusterObjects = {
      nodes: nodes.items,
      systemPods: pods?.items ?? [],
      kubeadmConfig,
      kubeProxyDaemonSet: kubeProxy,
      corednsDeployment: coredns,
      serverVersion: version?.gitVersion,
    };
    return { objects, warnings };
  }

  watch(onChange: () => void, onError: (e: AccessError) => void): Unsubscribe {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    let lastRun = 0;
    const fingerprints = new Map<string, string>();
    const changed = () => {
      if (stopped) return;
      if (timer) clearTimeout(timer);
      const wait = Math.max(this.debounceMs, lastRun + this.minIntervalMs - Date.now());
      timer = setTimeout(() => {
        lastRun = Date.now();
        onChange();
      }, wait);
    };
    const keyOf = (path: string, obj: Watched) => `${path}/${obj?.metadata?.uid ?? obj?.metadata?.name}`;
    /** True when the event changes something a snapshot reads; heartbeats do not. */
    const matters = (path: string, phase: string, obj: Watched): boolean => {
      const key = keyOf(path, obj);
      if (phase === 'DELETED') return fingerprints.delete(key) || true;
      const fp = relevantFingerprint(obj);
      const before = fingerprints.get(key);
      fingerprints.set(key, fp);
      return before !== fp;
    };
    /** A fresh list is the truth for its path: forget what the missed events would have said. */
    const reseed = (path: string, items: readonly unknown[]) => {
      for (const k of [...fingerprints.keys()]) if (k.startsWith(`${path}/`)) fingerprints.delete(k);
      for (const o of items as Watched[]) fingerprints.set(keyOf(path, o), relevantFingerprint(o));
    };
    const watches = this.watchTargets().map(
      (t) =>
        new ResilientWatch(this.kc, t.path, t.list, {
          event: (phase, obj) => {
            if (matters(t.path, phase, obj as Watched)) changed();
          },
          // After a failure events may have been missed: the snapshot is read again, once.
          relisted: (items, afterFailure) => {
            reseed(t.path, items);
            if (afterFailure) changed();
          },
          error: (e) => {
            if (!stopped) onError(describeFailure(this.contextName, this.server, failureFacts(e)));
          },
        }, this.requests),
    );
    for (const w of watches) w.start(w.path === '/api/v1/nodes' ? this.listVersions.nodes : this.listVersions.system);
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      for (const w of watches) w.stop();
    };
  }

  /** Each watched path with the typed list call that gives its resourceVersion again after a 410. */
  private watchTargets(): { path: string; list: () => Promise<ListResult> }[] {
    const namespace = NS;
    return [
      { path: '/api/v1/nodes', list: () => this.core.listNode() },
      { path: `/api/v1/namespaces/${NS}/pods`, list: () => this.core.listNamespacedPod({ namespace }) },
      { path: `/api/v1/namespaces/${NS}/configmaps`, list: () => this.core.listNamespacedConfigMap({ namespace }) },
      { path: `/apis/apps/v1/namespaces/${NS}/daemonsets`, list: () => this.apps.listNamespacedDaemonSet({ namespace }) },
      { path: `/apis/apps/v1/namespaces/${NS}/deployments`, list: () => this.apps.listNamespacedDeployment({ namespace }) },
    ];
  }

  private fail(e: unknown): never {
    throw new ClusterAccessError(describeFailure(this.contextName, this.server, failureFacts(e)));
  }
}
