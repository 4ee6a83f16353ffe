// A fake cluster for the readiness checks' unit tests: its API (nodes, pods, PDBs, webhooks, metrics, …) and nodes
// whose commands answer from fixtures. Tests override what they look at.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { NodeExecutor, RunResult } from '../../../src/core/exec/executor';
import type { KPod, ReadinessApi, ReadinessDeps } from '../../../src/core/readiness';
import type { ClusterSnapshot, NodeSnapshot } from '../../../src/core/snapshot/model';
import type { RawNode } from '../../../src/core/snapshot/raw';
import { parseVersion } from '../../../src/core/version';

export const fixture = (name: string) => readFileSync(resolve(__dirname, '../../fixtures/readiness', name), 'utf8');
export const NOW = new Date('2025-12-02T06:00:00Z');
export const T = parseVersion('v1.36.3')!;

export function node(name: string, controlPlane: boolean): NodeSnapshot {
  return { name, controlPlane, readiness: 'Ready', unschedulable: false, kubelet: { component: 'kubelet', version: parseVersion('v1.35.4'), source: 'x' }, kubeProxy: undefined, controlPlaneComponents: {}, containerRuntime: undefined, osImage: undefined, kernelVersion: undefined, internalIP: undefined };
}
export const SNAP: ClusterSnapshot = { kubernetesVersion: parseVersion('v1.35.4'), serverVersion: parseVersion('v1.35.4'), kubeProxyImage: undefined, corednsImage: undefined, nodes: [node('cp-1', true), node('w-1', false)] };
export const rawNode = (name: string, cp: boolean, ready = 'True'): RawNode => ({ metadata: { name, labels: cp ? { 'node-role.kubernetes.io/control-plane': '' } : {} }, status: { conditions: [{ type: 'Ready', status: ready }] } });
export const ok = (stdout: string): RunResult => ({ exitCode: 0, stdout, stderr: '' });

export function fakeExecutor(name: string, overrides: Record<string, RunResult> = {}): NodeExecutor {
  return {
    description: `fake ${name}`,
    dispose() {},
    async run(command) {
      const c = String(command);
      for (const [k, v] of Object.entries(overrides)) if (c.includes(k)) return v;
      if (c === 'true') return ok('');
      if (c.includes('apt-get')) return ok('apt\n');
      if (c.includes('pkgs.k8s.io')) return ok('/etc/apt/sources.list.d/kubernetes.list:1:deb [signed-by=/k] https://pkgs.k8s.io/core:/stable:/v1.35/deb/ /\n');
      if (c.includes('== swap')) return ok(name === 'w-1' ? '== swap\n/swapfile file 2147483648 0 -2\n== cgroup\ntmpfs\n' : '== swap\n== cgroup\ncgroup2fs\n');
      if (c.includes('check-expiration')) return ok(fixture('check-expiration-1.31.txt'));
      if (c.includes('endpoint status')) return ok(fixture('endpoint-status.json'));
      if (c.includes('endpoint health')) return ok(fixture('endpoint-health.json'));
      return { exitCode: 1, stdout: '', stderr: `unexpected ${c}` };
    },
  };
}

export function fakeApi(over: Partial<ReadinessApi> = {}): ReadinessApi {
  return {
    nodes: async () => [rawNode('cp-1', true), rawNode('w-1', false, 'False')],
    pods: async (): Promise<KPod[]> => [
      { metadata: { name: 'one', namespace: 'prod', labels: { app: 'one' } }, spec: { nodeName: 'w-1' } },
      { metadata: { name: 'stuck', namespace: 'prod', deletionTimestamp: '2025-12-02T05:50:00Z', finalizers: ['example.com/hold'] }, spec: { nodeName: 'w-1' } },
      { metadata: { name: 'kube-apiserver-cp-1', namespace: 'kube-system', labels: { component: 'kube-apiserver' } }, spec: { nodeName: 'cp-1' }, status: { conditions: [{ type: 'Ready', status: 'True' }] } },
    ],
    pdbs: async () => [{ metadata: { name: 'one', namespace: 'prod' }, spec: { selector: { matchLabels: { app: 'one' } } }, status: { disruptionsAllowed: 0 } }],
    webhookConfigurations: async () => [{ kind: 'ValidatingWebhookConfiguration', metadata: { name: 'policy' }, webhooks: [{ name: 'p.example.com', clientConfig: { service: { namespace: 'sec', name: 'policy' } } }] }],
    readyEndpoints: async () => 0,
    readyz: async () => '[+]ping ok\n[-]etcd failed: reason withheld\nreadyz check failed',
    metrics: async () => fixture('metrics-deprecated.txt'),
    daemonSets: async () => [{ metadata: { name: 'calico-node', namespace: 'kube-system' }, spec: { template: { spec: { containers: [{ image: 'quay.io/calico/node:v3.29.1' }] } } } }],
    configMap: async () => undefined,
    workloads: async () => [],
    services: async () => [],
    csiDrivers: async () => [],
    objectsOf: async () => undefined,
    helmReleases: async () => [],
    ...over,
  };
}

export function deps(api: ReadinessApi, executors: Record<string, NodeExecutor | Error> = {}): ReadinessDeps {
  return {
    api,
    snapshot: async () => SNAP,
    executorFor: async (n) => {
      const e = executors[n.name] ?? fakeExecutor(n.name);
      if (e instanceof Error) throw e;
      return e;
    },
    now: NOW,
  };
}

