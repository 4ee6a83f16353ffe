import { AppsV1Api, CoreV1Api, KubeConfig, VersionApi, Watch } from '@kubernetes/client-node';
import { describeFailure } from '../../core/accessError';
import { relevantFingerprint } from '../../core/snapshot/fingerprint';
import type { RawClusterObjects } from '../../core/snapshot/raw';
import { ClusterAccessError, type AccessError, type ClusterSource, type FetchResult, type Unsubscribe } from '../../core/snapshot/source';
import { failureFacts } from './failure';

const NS = 'kube-system';
/** Watched for changes: nodes, and the kube-system objects a snapshot reads. */
const WATCHED_PATHS = [
  '/api/v1/nodes',
  `/api/v1/namespaces/${NS}/pods`,
  `/api/v1/namespaces/${NS}/configmaps`,
  `/apis/apps/v1/namespaces/${NS}/daemonsets`,
  `/apis/apps/v1/namespaces/${NS}/deployments`,
];

/** Reads a cluster through its API server: six requests per snapshot whatever the number of nodes. */
export class ApiClusterSource implements ClusterSource {
  private readonly core: CoreV1Api;
  private readonly apps: AppsV1Api;
  private readonly version: VersionApi;
  /** resourceVersions of the last lists, so watches start right after them with no replay of existing objects. */
  private listVersions: { nodes?: string; system?: string } = {};

  constructor(
    readonly contextName: string,
    private readonly kc: KubeConfig,
    private readonly debounceMs = 750,
    /** At most one refresh per this interval, however busy the watches are. */
    private readonly minIntervalMs = 3000,
  ) {
    this.core = kc.makeApiClient(CoreV1Api);
    this.apps = kc.makeApiClient(AppsV1Api);
    this.version = kc.makeApiClient(VersionApi);
  }

  get server(): string | undefined {
    return this.kc.getCurrentCluster()?.server;
  }

  async fetch(): Promise<FetchResult> {
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
      this.core.listNode().catch((e: unknown) => this.fail(e)),
      optional('kube-system pods', this.core.listNamespacedPod({ namespace: NS })),
      optional('kubeadm-config ConfigMap', this.core.readNamespacedConfigMap({ name: 'kubeadm-config', namespace: NS })),
      optional('kube-proxy DaemonSet', this.apps.readNamespacedDaemonSet({ name: 'kube-proxy', namespace: NS })),
      optional('CoreDNS Deployment', this.apps.readNamespacedDeployment({ name: 'coredns', namespace: NS })),
      optional('server version', this.version.getCode()),
    ]);
    this.listVersions = { nodes: nodes.metadata?.resourceVersion, system: pods?.metadata?.resourceVersion };
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
    const watch = new Watch(this.kc);
    const controllers: AbortController[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    let lastRun = 0;
    const fingerprints = new Map<string, string>();
    const changed = () => {
      if (timer) clearTimeout(timer);
      const wait = Math.max(this.debounceMs, lastRun + this.minIntervalMs - Date.now());
      timer = setTimeout(() => {
        lastRun = Date.now();
        onChange();
      }, wait);
    };
    /** True when the event changes something a snapshot reads; heartbeats do not. */
    const matters = (path: string, replaying: boolean, phase: string, obj: { metadata?: { uid?: string; name?: string } }): boolean => {
      if (phase === 'BOOKMARK') return false;
      const key = `${path}/${obj?.metadata?.uid ?? obj?.metadata?.name}`;
      if (phase === 'DELETED') return fingerprints.delete(key) || true;
      const fp = relevantFingerprint(obj as Parameters<typeof relevantFingerprint>[0]);
      const before = fingerprints.get(key);
      fingerprints.set(key, fp);
      // A watch started without a resourceVersion replays every object as ADDED: those are not changes.
      if (before === undefined) return !replaying;
      return before !== fp;
    };
    const start = (path: string, resourceVersion?: string) => {
      if (stopped) return;
      let lastVersion = resourceVersion;
      const replaying = resourceVersion === undefined;
      watch
        .watch(
          path,
          { allowWatchBookmarks: true, ...(lastVersion ? { resourceVersion: lastVersion } : {}) },
          (phase, obj: { metadata?: { resourceVersion?: string; uid?: string; name?: string } }) => {
            lastVersion = obj?.metadata?.resourceVersion ?? lastVersion;
            if (matters(path, replaying, phase, obj)) changed();
          },
          (err: unknown) => {
            if (stopped) return;
            // Watches end normally after the server's timeout; restart them. A real failure is reported, then retried.
            // After a failure (e.g. 410 Gone) events may have been missed: restart from scratch and refresh once.
            if (err) {
              onError(describeFailure(this.contextName, this.server, failureFacts(err)));
              changed();
            }
            setTimeout(() => start(path, err ? undefined : lastVersion), err ? 5000 : 0);
          },
        )
        .then((c) => (stopped ? c.abort() : controllers.push(c)))
        .catch((err: unknown) => {
          if (stopped) return;
          onError(describeFailure(this.contextName, this.server, failureFacts(err)));
          setTimeout(() => start(path), 5000);
        });
    };
    for (const p of WATCHED_PATHS) start(p, p === WATCHED_PATHS[0] ? this.listVersions.nodes : this.listVersions.system);
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      for (const c of controllers) c.abort();
    };
  }

  private fail(e: unknown): never {
    throw new ClusterAccessError(describeFailure(this.contextName, this.server, failureFacts(e)));
  }
}
