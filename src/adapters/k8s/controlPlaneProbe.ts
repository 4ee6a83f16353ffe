import * as https from 'node:https';
import * as http from 'node:http';
import { AppsV1Api, CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { AddonRollout, ControlPlaneProbe, StaticPodStatus } from '../../core/clusterUpgrade/ports';
import { validateNodeName } from '../../core/exec/shell';
import { failureFacts } from './failure';
import { makeApiClient } from './apiClient';

const COMPONENTS = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd'];

/** The health gate's reads: a node's mirror pods, `/readyz?verbose`, and the kubeadm addons' rollouts. */
export class ApiControlPlaneProbe implements ControlPlaneProbe {
  private readonly core: CoreV1Api;
  private readonly apps: AppsV1Api;

  constructor(private readonly kc: KubeConfig) {
    this.core = makeApiClient(kc, CoreV1Api);
    this.apps = makeApiClient(kc, AppsV1Api);
  }

  async staticPods(node: string): Promise<StaticPodStatus[]> {
    const list = await this.core.listNamespacedPod({ namespace: 'kube-system', fieldSelector: `spec.nodeName=${validateNodeName(node)}` });
    return list.items
      .filter((p) => COMPONENTS.includes(p.metadata?.labels?.['component'] ?? ''))
      .map((p) => ({
        component: p.metadata!.labels!['component']!,
        image: p.spec?.containers?.[0]?.image ?? '',
        ready: p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true,
      }));
  }

  async readyz(): Promise<{ status: number; body: string }> {
    const server = this.kc.getCurrentCluster()?.server;
    if (!server) return { status: 0, body: 'no server in the kubeconfig' };
    const url = new URL('/readyz?verbose', server);
    const opts: https.RequestOptions = { method: 'GET', timeout: 10_000 };
    await this.kc.applyToHTTPSOptions(opts);
    const lib = url.protocol === 'http:' ? http : https;
    return new Promise((resolve) => {
      const req = lib.request(url, opts, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (e) => resolve({ status: 0, body: e.message }));
      req.end();
    });
  }

  async addons(): Promise<{ kubeProxy: AddonRollout | undefined; coredns: AddonRollout | undefined }> {
    const optional = async <T>(p: Promise<T>): Promise<T | undefined> => {
      try {
        return await p;
      } catch (e) {
        if (failureFacts(e).httpStatus === 404) return undefined;
        throw e;
      }
    };
    const [ds, dep] = await Promise.all([
      optional(this.apps.readNamespacedDaemonSet({ name: 'kube-proxy', namespace: 'kube-system' })),
      optional(this.apps.readNamespacedDeployment({ name: 'coredns', namespace: 'kube-system' })),
    ]);
    return {
      kubeProxy: ds
        ? { image: ds.spec?.template.spec?.containers[0]?.image ?? '', desired: ds.status?.desiredNumberScheduled ?? 0, updated: ds.status?.updatedNumberScheduled ?? 0, available: ds.status?.numberAvailable ?? 0 }
        : undefined,
      coredns: dep
        ? { image: dep.spec?.template.spec?.containers[0]?.image ?? '', desired: dep.spec?.replicas ?? 0, updated: dep.status?.updatedReplicas ?? 0, available: dep.status?.availableReplicas ?? 0 }
        : undefined,
    };
  }
}
