import * as https from 'node:https';
import * as http from 'node:http';
import { AdmissionregistrationV1Api, AppsV1Api, CoreV1Api, CustomObjectsApi, DiscoveryV1Api, PolicyV1Api, StorageV1Api, type KubeConfig, type V1APIResourceList } from '@kubernetes/client-node';
import type { HelmRelease, KDaemonSet, KPdb, KPod, KService, KWebhookConfiguration, KWorkload, ReadinessApi } from '../../core/readiness';
import type { RawMeta, RawNode } from '../../core/snapshot/raw';
import { failureFacts } from './failure';
import { makeApiClient } from './apiClient';
import { HELM_SECRET_TYPE, helmReleaseFrom } from './helmRelease';
import { listAllPages } from './pagedList';

/**
 * The readiness checks' view of the API (read-only). A failure becomes an Error that names what was read and, for
 * HTTP 403, says it is a missing permission, so the check shows "could not run: <that>".
 */
export class ApiReadinessProbes implements ReadinessApi {
  private readonly core: CoreV1Api;
  private readonly apps: AppsV1Api;
  private readonly policy: PolicyV1Api;
  private readonly admission: AdmissionregistrationV1Api;
  private readonly discovery: DiscoveryV1Api;
  private readonly storage: StorageV1Api;
  private readonly custom: CustomObjectsApi;
  private readonly resourceLists = new Map<string, Promise<V1APIResourceList | undefined>>();

  constructor(private readonly kc: KubeConfig) {
    this.core = makeApiClient(kc, CoreV1Api);
    this.apps = makeApiClient(kc, AppsV1Api);
    this.policy = makeApiClient(kc, PolicyV1Api);
    this.admission = makeApiClient(kc, AdmissionregistrationV1Api);
    this.discovery = makeApiClient(kc, DiscoveryV1Api);
    this.storage = makeApiClient(kc, StorageV1Api);
    this.custom = makeApiClient(kc, CustomObjectsApi);
  }

  async nodes(): Promise<RawNode[]> {
    return (await this.read('list nodes', this.core.listNode())).items as RawNode[];
  }

  async pods(): Promise<KPod[]> {
    return (await this.read('list pods (all namespaces)', this.core.listPodForAllNamespaces())).items as KPod[];
  }

  async pdbs(): Promise<KPdb[]> {
    return (await this.read('list poddisruptionbudgets.policy (all namespaces)', this.policy.listPodDisruptionBudgetForAllNamespaces())).items as KPdb[];
  }

  async webhookConfigurations(): Promise<KWebhookConfiguration[]> {
    const [v, m] = await Promise.all([
      this.read('list validatingwebhookconfigurations', this.admission.listValidatingWebhookConfiguration()),
      this.read('list mutatingwebhookconfigurations', this.admission.listMutatingWebhookConfiguration()),
    ]);
    return [
      ...v.items.map((c) => ({ ...(c as object), kind: 'ValidatingWebhookConfiguration' as const })),
      ...m.items.map((c) => ({ ...(c as object), kind: 'MutatingWebhookConfiguration' as const })),
    ] as KWebhookConfiguration[];
  }

  async readyEndpoints(namespace: string, service: string): Promise<number | undefined> {
    try {
      await this.core.readNamespacedService({ name: service, namespace });
    } catch (e) {
      if (failureFacts(e).httpStatus === 404) return undefined;
      throw this.error(`get service ${namespace}/${service}`, e);
    }
    const slices = await this.read(`list endpointslices in ${namespace}`, this.discovery.listNamespacedEndpointSlice({ namespace, labelSelector: `kubernetes.io/service-name=${service}` }));
    return slices.items.reduce((n, s) => n + (s.endpoints ?? []).filter((e) => e.conditions?.ready !== false).length, 0);
  }

  readyz(): Promise<string> {
    return this.getText('/readyz?verbose');
  }

  metrics(): Promise<string> {
    return this.getText('/metrics');
  }

  async daemonSets(): Promise<KDaemonSet[]> {
    return (await this.read('list daemonsets.apps (all namespaces)', this.apps.listDaemonSetForAllNamespaces())).items as KDaemonSet[];
  }

  async configMap(namespace: string, name: string): Promise<Record<string, string> | undefined> {
    try {
      return (await this.core.readNamespacedConfigMap({ name, namespace })).data ?? {};
    } catch (e) {
      if (failureFacts(e).httpStatus === 404) return undefined;
      throw this.error(`get configmap ${namespace}/${name}`, e);
    }
  }

  async workloads(): Promise<KWorkload[]> {
    const [d, s, r] = await Promise.all([
      this.read('list deployments.apps (all namespaces)', this.apps.listDeploymentForAllNamespaces()),
      this.read('list statefulsets.apps (all namespaces)', this.apps.listStatefulSetForAllNamespaces()),
      this.read('list replicasets.apps (all namespaces)', this.apps.listReplicaSetForAllNamespaces()),
    ]);
    return [
      ...d.items.map((o) => ({ ...(o as object), kind: 'Deployment' as const })),
      ...s.items.map((o) => ({ ...(o as object), kind: 'StatefulSet' as const })),
      ...r.items.map((o) => ({ ...(o as object), kind: 'ReplicaSet' as const })),
    ] as KWorkload[];
  }

  async services(): Promise<KService[]> {
    return (await this.read('list services (all namespaces)', this.core.listServiceForAllNamespaces())).items as KService[];
  }

  async csiDrivers(): Promise<{ metadata?: RawMeta }[]> {
    return (await this.read('list csidrivers.storage.k8s.io', this.storage.listCSIDriver())).items as { metadata?: RawMeta }[];
  }

  async objectsOf(group: string, version: string, kind: string): Promise<RawMeta[] | undefined> {
    const gv = group ? `${group}/${version}` : version;
    let list = this.resourceLists.get(gv);
    if (!list) {
      list = (async () => {
        try {
          return await (group ? this.custom.getAPIResources({ group, version }) : this.core.getAPIResources());
        } catch (e) {
          if (failureFacts(e).httpStatus === 404) return undefined;
          throw this.error(`discover ${gv}`, e);
        }
      })();
      this.resourceLists.set(gv, list);
    }
    const resource = (await list)?.resources.find((r) => r.kind === kind && !r.name.includes('/') && r.verbs.includes('list'));
    if (!resource) return undefined;
    const path = `${group ? `/apis/${group}` : '/api'}/${version}/${resource.name}`;
    try {
      // Only the name and the last-applied annotation are kept, one page at a time.
      const slim = (o: unknown): RawMeta => {
        const m = (o as { metadata?: RawMeta }).metadata ?? {};
        const applied = m.annotations?.['kubectl.kubernetes.io/last-applied-configuration'];
        return { ...(m.name ? { name: m.name } : {}), ...(m.namespace ? { namespace: m.namespace } : {}), ...(applied ? { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': applied } } : {}) };
      };
      return (await listAllPages(this.kc, path, { project: slim })).items;
    } catch (e) {
      throw this.error(`list ${resource.name}${group ? `.${group}` : ''} (${version})`, e);
    }
  }

  async helmReleases(): Promise<HelmRelease[]> {
    // Helm's next upgrade builds "current" objects from the deployed revision's manifest: only that one is read.
    const [secrets, configMaps] = await Promise.all([
      listAllPages(this.kc, '/api/v1/secrets', { fieldSelector: `type=${HELM_SECRET_TYPE}`, labelSelector: 'owner=helm,status=deployed', limit: 50, project: (o) => helmReleaseFrom('Secret', o as object) })
        .catch((e: unknown) => { throw this.error('list secrets (all namespaces; Helm stores releases in Secrets)', e); }),
      listAllPages(this.kc, '/api/v1/configmaps', { labelSelector: 'owner=helm,status=deployed', limit: 50, project: (o) => helmReleaseFrom('ConfigMap', o as object) })
        .catch((e: unknown) => { throw this.error('list configmaps (all namespaces; Helm\'s ConfigMap storage)', e); }),
    ]);
    return [...secrets.items, ...configMaps.items];
  }

  private async read<T>(what: string, p: Promise<T>): Promise<T> {
    try {
      return await p;
    } catch (e) {
      throw this.error(what, e);
    }
  }

  private error(what: string, e: unknown): Error {
    const f = failureFacts(e);
    if (f.httpStatus === 403) return new Error(`permission missing: the kubeconfig user may not ${what} (HTTP 403${f.serverMessage ? `: ${f.serverMessage}` : ''})`);
    return new Error(`${what}: ${f.serverMessage ?? f.message}${f.httpStatus ? ` (HTTP ${f.httpStatus})` : ''}`);
  }

  /** A non-resource GET with the kubeconfig's credentials; /readyz answers 500 with its verbose body when not ready. */
  private async getText(path: string): Promise<string> {
    const server = this.kc.getCurrentCluster()?.server;
    if (!server) throw new Error('no server in the kubeconfig context');
    const url = new URL(path, server);
    const opts: https.RequestOptions = { method: 'GET', headers: {} };
    await this.kc.applyToHTTPSOptions(opts);
    const lib = url.protocol === 'http:' ? http : https;
    return new Promise((resolve, reject) => {
      const req = lib.request(url, { ...opts, timeout: 30_000 }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => {
          const code = res.statusCode ?? 0;
          if (code === 403) reject(new Error(`permission missing: the kubeconfig user may not get ${path.split('?')[0]} (HTTP 403: ${body.trim().slice(0, 300)})`));
          else if (code >= 200 && code < 300) resolve(body);
          else if (path.startsWith('/readyz') && code === 500) resolve(body);
          else reject(new Error(`GET ${path}: HTTP ${code} ${body.trim().slice(0, 300)}`));
        });
      });
      req.on('timeout', () => req.destroy(new Error(`GET ${path}: timed out`)));
      req.on('error', reject);
      req.end();
    });
  }
}
