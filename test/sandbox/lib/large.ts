// The `large` scenario: thousands of generated workers and pods (no SSH), for benchmarks.
// Pods are bound to nodes directly (spec.nodeName): scheduling 50,000 pods on 2 cores
// would measure the scheduler, not the extension.
import type { Scenario, NodeSpec } from './scenario';
import { kubectl } from './cluster';
import { nodeObject } from './node-objects';

function createInBatches(kubeconfig: string, items: unknown[], size: number, what: string): void {
  for (let i = 0; i < items.length; i += size) {
    kubectl(kubeconfig, ['create', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: items.slice(i, i + size) }));
    process.stderr.write(`[sandbox] ${what}: ${Math.min(i + size, items.length)}/${items.length}\n`);
  }
}

export function largeWorkers(sc: Scenario): NodeSpec[] {
  const g = sc.generate!;
  const base = sc.template ?? sc.nodes[0];
  return Array.from({ length: g.workers }, (_, i) => ({ ...base, name: `node-${String(i + 1).padStart(4, '0')}`, role: 'worker' as const, password: false, faults: {} }));
}

export function largeObjects(sc: Scenario, kubeconfig: string): void {
  const g = sc.generate!;
  const workers = largeWorkers(sc);
  const offset = sc.nodes.length;
  createInBatches(kubeconfig, workers.map((n, i) => nodeObject(n, offset + i)), 500, 'nodes');
  const pods = workers.flatMap((n) => Array.from({ length: g.podsPerWorker }, (_, j) => ({
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: `load-${n.name}-${j}`, namespace: 'default', labels: { app: `load-${j % 50}` } },
    spec: { nodeName: n.name, containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10.1' }] },
  })));
  createInBatches(kubeconfig, pods, 2000, 'pods');
}
