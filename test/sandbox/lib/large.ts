// The `large` scenario: thousands of generated workers and pods (no SSH), for benchmarks.
// Pods are bound to nodes directly (spec.nodeName): scheduling 50,000 pods on 2 cores
// would measure the scheduler, not the extension. Created with concurrent API calls.
import type { Scenario, NodeSpec } from './scenario';
import { nodeObject } from './node-objects';
import { apiFromKubeconfig, createAll } from './api';

export function largeWorkers(sc: Scenario): NodeSpec[] {
  const g = sc.generate!;
  const base = sc.template ?? sc.nodes[0];
  return Array.from({ length: g.workers }, (_, i) => ({ ...base, name: `node-${String(i + 1).padStart(4, '0')}`, role: 'worker' as const, password: false, faults: {} }));
}

export async function largeObjects(sc: Scenario, kubeconfig: string): Promise<void> {
  const g = sc.generate!;
  const api = apiFromKubeconfig(kubeconfig);
  const workers = largeWorkers(sc);
  const offset = sc.nodes.length;
  const log = (what: string, total: number) => (n: number) => process.stderr.write(`[sandbox] ${what}: ${n}/${total}\n`);
  await createAll(api, () => '/api/v1/nodes', workers.map((n, i) => nodeObject(n, offset + i)), 16, log('nodes', workers.length));
  const pods = workers.flatMap((n) => Array.from({ length: g.podsPerWorker }, (_, j) => ({
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: `load-${n.name}-${j}`, namespace: 'default', labels: { app: `load-${j % 50}` } },
    spec: { nodeName: n.name, containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10.1' }] },
  })));
  await createAll(api, () => '/api/v1/namespaces/default/pods', pods, 16, log('pods', pods.length));
}
