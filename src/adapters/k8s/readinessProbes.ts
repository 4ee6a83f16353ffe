import * as https from 'node:https';
import * as http from 'node:http';
import { AdmissionregistrationV1Api, AppsV1Api, CoreV1Api, DiscoveryV1Api, PolicyV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { KDaemonSet, KPdb, KPod, KWebhookConfiguration, ReadinessApi } from '../../core/readiness';
import type { RawNode } from '../../core/snapshot/raw';
import { failureFacts } from './failure';
import { makeApiClient } from './apiClient';

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

  constructor(private readonly kc: KubeConfig) {
    this.core = makeApiClient(kc, CoreV1Api);
    this.apps = makeApiClient(kc, AppsV1Api);
    this.policy = makeApiClient(kc, PolicyV1Api);
    this.admission = makeApiClient(kc, AdmissionregistrationV1Api);
    this.discovery = makeApiClient(kc, DiscoveryV1Api);
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
