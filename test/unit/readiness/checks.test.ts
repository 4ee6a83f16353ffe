// The readiness checks over a fake API and fake nodes (pure core logic): each problem gives its check id, severity and
// object names; a check that cannot look (403, unreachable node) says why and is never ok; the JSON contract.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';

import type { NodeExecutor, RunResult } from '../../../src/core/exec/executor';
import { readinessExitCode, readinessJson, remainingBlockers, runReadiness, treeNote, type ReadinessApi, type ReadinessDeps } from '../../../src/core/readiness';
import type { ClusterSnapshot, NodeSnapshot } from '../../../src/core/snapshot/model';
import type { RawNode } from '../../../src/core/snapshot/raw';
import type { KPod } from '../../../src/core/readiness';
import { parseVersion } from '../../../src/core/version';

const fixture = (name: string) => readFileSync(resolve(__dirname, '../../fixtures/readiness', name), 'utf8');
const NOW = new Date('2025-12-02T06:00:00Z');
const T = parseVersion('v1.36.3')!;

function node(name: string, controlPlane: boolean): NodeSnapshot {
  return { name, controlPlane, readiness: 'Ready', unschedulable: false, kubelet: { component: 'kubelet', version: parseVersion('v1.35.4'), source: 'x' }, kubeProxy: undefined, controlPlaneComponents: {}, containerRuntime: undefined, osImage: undefined, kernelVersion: undefined, internalIP: undefined };
}
const SNAP: ClusterSnapshot = { kubernetesVersion: parseVersion('v1.35.4'), serverVersion: parseVersion('v1.35.4'), kubeProxyImage: undefined, corednsImage: undefined, nodes: [node('cp-1', true), node('w-1', false)] };
const rawNode = (name: string, cp: boolean, ready = 'True'): RawNode => ({ metadata: { name, labels: cp ? { 'node-role.kubernetes.io/control-plane': '' } : {} }, status: { conditions: [{ type: 'Ready', status: ready }] } });
const ok = (stdout: string): RunResult => ({ exitCode: 0, stdout, stderr: '' });

function fakeExecutor(name: string, overrides: Record<string, RunResult> = {}): NodeExecutor {
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

function fakeApi(over: Partial<ReadinessApi> = {}): ReadinessApi {
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

function deps(api: ReadinessApi, executors: Record<string, NodeExecutor | Error> = {}): ReadinessDeps {
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

describe('runReadiness', () => {
  it('names the object or node for each problem, with the severity of the issue table', async () => {
    const report = await runReadiness(deps(fakeApi()), T);
    const find = (id: string, node: string | null = null) => report.checks.filter((r) => r.id === id && (node === null || r.node === node));
    assert.equal(find('nodes-ready', 'w-1')[0]!.severity, 'warning');
    assert.match(find('pdb-blocks-drain')[0]!.message, /prod\/one/);
    assert.equal(find('pdb-blocks-drain')[0]!.severity, 'blocker');
    assert.match(find('pods-stuck-terminating')[0]!.message, /prod\/stuck/);
    assert.equal(find('webhook-unavailable')[0]!.severity, 'blocker');
    assert.match(find('webhook-unavailable')[0]!.message, /policy/);
    const deprecated = find('deprecated-api-in-use');
    assert.equal(deprecated.find((r) => /flowschemas/.test(r.message))!.severity, 'blocker');
    assert.equal(deprecated.find((r) => /componentstatuses/.test(r.message))!.severity, 'warning');
    assert.ok(find('certificate-expiry', 'cp-1').some((r) => r.severity === 'warning' && /apiserver/.test(r.message)));
    assert.ok(find('certificate-expiry', 'cp-1').some((r) => r.severity === 'blocker' && /super-admin\.conf/.test(r.message)));
    // No kubelet-config ConfigMap and no --fail-swap-on flag: failSwapOn defaults to true, the kubelet would not start.
    assert.equal(find('swap-enabled', 'w-1')[0]!.severity, 'blocker');
    assert.equal(find('cgroup-v1', 'w-1')[0]!.severity, 'blocker');
    assert.equal(find('cgroup-v1', 'cp-1')[0]!.severity, 'ok');
    assert.equal(find('etcd-health')[0]!.severity, 'blocker');
    assert.ok(find('control-plane-health').some((r) => r.severity === 'blocker' && /readyz/.test(r.message)));
    assert.equal(find('cni-addons')[0]!.severity, 'info');
    assert.match(find('cni-addons')[0]!.message, /calico-node/);
    assert.ok(find('package-repo', 'w-1')[0]!.message.includes('switches it to v1.36'));
    assert.equal(readinessExitCode(report), 1);
  });

  it('reports a check it may not run (403) and an unreachable node as such, never ok', async () => {
    const report = await runReadiness(
      deps(fakeApi({ pdbs: async () => Promise.reject(new Error('permission missing: the kubeconfig user may not list poddisruptionbudgets.policy (HTTP 403)')) }), { 'w-1': new Error('connect ECONNREFUSED 10.0.0.21:22') }),
      T,
    );
    const pdb = report.checks.filter((r) => r.id === 'pdb-blocks-drain');
    assert.equal(pdb.length, 1);
    assert.notEqual(pdb[0]!.severity, 'ok');
    assert.match(pdb[0]!.message, /Could not run: permission missing.*poddisruptionbudgets/);
    const access = report.checks.find((r) => r.id === 'node-access' && r.node === 'w-1')!;
    assert.equal(access.severity, 'blocker');
    assert.match(access.message, /not reachable.*ECONNREFUSED/);
    for (const id of ['swap-enabled', 'cgroup-v1', 'package-repo']) {
      const r = report.checks.find((x) => x.id === id && x.node === 'w-1')!;
      assert.ok(r.notRun, `${id} on w-1 says it did not run`);
      assert.notEqual(r.severity, 'ok');
    }
  });

  it('prints the kubeadm-upgrade/v1 Readiness JSON and lets overrides clear blockers by id', async () => {
    const report = await runReadiness(deps(fakeApi()), T, { only: ['pdb-blocks-drain', 'cni-addons'] });
    const json = readinessJson(report) as { apiVersion: string; kind: string; target: string; checks: Record<string, unknown>[] };
    assert.equal(json.apiVersion, 'kubeadm-upgrade/v1');
    assert.equal(json.kind, 'Readiness');
    assert.equal(json.target, 'v1.36.3');
    assert.deepEqual(Object.keys(json.checks[0]!).sort(), ['evidence', 'fix', 'id', 'message', 'node', 'severity']);
    assert.equal(remainingBlockers(report).length, 1);
    assert.equal(treeNote(report), 'readiness v1.36.3: 1 blocker');
    assert.equal(remainingBlockers(report, ['pdb-blocks-drain']).length, 0);
  });
});
