// The checks around the procedure over a fake API (pure core logic): drain capacity, single replicas, webhook
// backends, evicted pods, admin.conf, swap and the kubelet, support dates, add-ons, removed APIs in stored objects and
// Helm releases. Each names its objects and nodes; a part that cannot look says "could not run", never ok.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runReadiness, type CheckId, type KPod, type KWorkload, type ReadinessApi } from '../../../src/core/readiness';
import type { RawNode } from '../../../src/core/snapshot/raw';
import { T, deps, fakeApi, fakeExecutor, NOW } from './fakes';

const worker = (name: string, cpu = '4'): RawNode => ({ metadata: { name, labels: { 'kubernetes.io/hostname': name } }, status: { allocatable: { cpu, memory: '16Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] } });
const cp = (name: string): RawNode => ({ metadata: { name, labels: { 'node-role.kubernetes.io/control-plane': '' } }, spec: { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }, status: { allocatable: { cpu: '4', memory: '16Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] } });
const pod = (ns: string, name: string, node: string, opts: { cpu?: string; owner?: string; labels?: Record<string, string>; ready?: boolean; probe?: boolean; phase?: string; reason?: string } = {}): KPod => ({
  metadata: { name, namespace: ns, labels: opts.labels ?? {}, ownerReferences: [{ kind: opts.owner ?? 'ReplicaSet', name: `${name}-rs`, controller: true }] },
  spec: { nodeName: node, containers: [{ name: 'app', ...(opts.cpu ? { resources: { requests: { cpu: opts.cpu } } } : {}), ...(opts.probe ? { readinessProbe: { httpGet: { path: '/' } } } : {}) }] },
  status: { phase: opts.phase ?? 'Running', ...(opts.reason ? { reason: opts.reason } : {}), conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }] },
});
const deployment = (ns: string, name: string, replicas: number, labels: Record<string, string>): KWorkload => ({ kind: 'Deployment', metadata: { name, namespace: ns }, spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels } } } });

async function run(api: Partial<ReadinessApi>, only: CheckId[], executors = {}, extra: object = {}) {
  const report = await runReadiness({ ...deps(fakeApi({ pdbs: async () => [], webhookConfigurations: async () => [], ...api }), executors), ...extra }, T, { only });
  return report.checks;
}

describe('drain-capacity', () => {
  it('names the pods that would stay Pending when their node drains, honouring taints and nodeSelector', async () => {
    const nodes = [cp('cp-1'), worker('w-1'), worker('w-2')];
    const pods = [
      pod('shop', 'hog-a', 'w-1', { cpu: '3' }),
      pod('shop', 'hog-b', 'w-2', { cpu: '3' }),
      pod('kube-system', 'proxy-w1', 'w-1', { cpu: '3', owner: 'DaemonSet' }),
      pod('shop', 'small', 'w-1', { cpu: '100m' }),
    ];
    const r = await run({ nodes: async () => nodes, pods: async () => pods }, ['drain-capacity']);
    const w1 = r.find((x) => x.node === 'w-1')!;
    assert.equal(w1.severity, 'blocker');
    // w-2 has 1 CPU free: small fits there, hog-a does not; the control plane's taint keeps both off it; the DaemonSet pod stays.
    assert.match(w1.message, /Draining w-1: 1 of 2 evicted pod\(s\) would stay Pending — shop\/hog-a$/);
    assert.ok(w1.evidence.includes('Pod/shop/hog-a on w-1 requests cpu 3, memory 0Mi'), w1.evidence.join('\n'));
    assert.equal(r.find((x) => x.node === 'w-2')!.severity, 'blocker');
  });

  it('fits when another node has room; the worker batch of the setting is checked as one drain', async () => {
    const nodes = [worker('w-1'), worker('w-2'), worker('w-3')];
    const pods = [pod('shop', 'hog-a', 'w-1', { cpu: '3' }), pod('shop', 'hog-b', 'w-2', { cpu: '3' })];
    const one = await run({ nodes: async () => nodes, pods: async () => pods }, ['drain-capacity']);
    assert.deepEqual(one.map((x) => x.severity), ['ok']);
    const two = await run({ nodes: async () => nodes, pods: async () => pods }, ['drain-capacity'], {}, { maxUnavailable: '2' });
    assert.equal(two.length, 1);
    assert.equal(two[0]!.severity, 'blocker');
    assert.match(two[0]!.message, /^Draining w-1, w-2: 1 of 2 evicted pod\(s\) would stay Pending/);
  });

  it('a resume counts the node the run cordoned itself as capacity (it is uncordoned before the next drain); a node cordoned by someone else is not', async () => {
    const cordoned = (n: RawNode): RawNode => ({ ...n, spec: { unschedulable: true, taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] } });
    const nodes = [worker('w-1'), cordoned(worker('w-2'))];
    const pods = [pod('shop', 'hog-a', 'w-1', { cpu: '3' })];
    const api = { nodes: async () => nodes, pods: async () => pods };
    const fresh = await run(api, ['drain-capacity'], {}, { drainNodes: ['w-1'] });
    assert.equal(fresh[0]!.severity, 'blocker', 'w-2 cordoned by hand: no room');
    assert.match(fresh[0]!.evidence.join('\n'), /w-2: free .*\(not schedulable: NotReady, cordoned or tainted\)/);
    const resumed = await run(api, ['drain-capacity'], {}, { drainNodes: ['w-1'], cordonedByRun: ['w-2'] });
    assert.deepEqual(resumed.map((x) => x.severity), ['ok']);
  });
});

describe('single-replica and webhook-drain-resilience', () => {
  const pods = [
    pod('shop', 'lonely-1', 'w-1', { labels: { app: 'lonely' } }),
    pod('shop', 'web-1', 'w-1', { labels: { app: 'web' }, probe: true }),
    pod('shop', 'web-2', 'w-1', { labels: { app: 'web' }, probe: true }),
    pod('shop', 'api-1', 'w-1', { labels: { app: 'api' }, probe: true }),
    pod('shop', 'api-2', 'w-2', { labels: { app: 'api' }, probe: true }),
    pod('sec', 'policy-1', 'w-2', { labels: { app: 'policy' }, probe: true }),
    pod('shop', 'guarded-1', 'w-2', { labels: { app: 'guarded' }, probe: true }),
  ];
  const workloads = [
    deployment('shop', 'lonely', 1, { app: 'lonely' }),
    deployment('shop', 'web', 2, { app: 'web' }),
    deployment('shop', 'api', 2, { app: 'api' }),
    deployment('shop', 'guarded', 1, { app: 'guarded' }),
  ];
  const api: Partial<ReadinessApi> = {
    pods: async () => pods,
    workloads: async () => workloads,
    pdbs: async () => [{ metadata: { name: 'guarded', namespace: 'shop' }, spec: { selector: { matchLabels: { app: 'guarded' } } }, status: { disruptionsAllowed: 0 } }],
    services: async () => [{ metadata: { name: 'lonely', namespace: 'shop' }, spec: { selector: { app: 'lonely' } } }, { metadata: { name: 'policy', namespace: 'sec' }, spec: { selector: { app: 'policy' } } }],
    webhookConfigurations: async () => [{ kind: 'ValidatingWebhookConfiguration', metadata: { name: 'policy' }, webhooks: [{ name: 'p.example.com', clientConfig: { service: { namespace: 'sec', name: 'policy' } } }, { name: 'soft.example.com', failurePolicy: 'Ignore', clientConfig: { service: { namespace: 'sec', name: 'policy' } } }] }],
  };

  it('one replica or all on one node without a PDB is a warning naming the workload and node; a PDB or a spread is not', async () => {
    const r = await run(api, ['single-replica']);
    const warnings = r.filter((x) => x.severity === 'warning');
    assert.deepEqual(warnings.map((x) => x.message), [
      'Deployment/shop/lonely has one replica and no PodDisruptionBudget: it is down while w-1 drains',
      'Deployment/shop/web has all 2 replicas on w-1 and no PodDisruptionBudget: it is down while w-1 drains',
    ]);
    assert.deepEqual(warnings.map((x) => x.node), ['w-1', 'w-1']);
    const info = r.filter((x) => x.severity === 'info');
    assert.equal(info.length, 1);
    assert.match(info[0]!.message, /^Service shop\/lonely: 1 of 1 backend pod\(s\) have a container without a readiness probe/);
  });

  it('a Fail-policy webhook served by one pod warns, naming the pod and node; Ignore-policy webhooks are left out', async () => {
    const r = await run(api, ['webhook-drain-resilience']);
    assert.equal(r.length, 1);
    assert.equal(r[0]!.severity, 'warning');
    assert.equal(r[0]!.node, 'w-2');
    assert.match(r[0]!.message, /ValidatingWebhookConfiguration policy \(webhook p\.example\.com, failurePolicy Fail\) is served by one pod on w-2/);
    assert.ok(r[0]!.evidence.includes('Pod/sec/policy-1 on w-2'));
  });
});

describe('evicted-pods, admin-conf, support-window, addon-compatibility, swap-enabled', () => {
  it('evicted-pods lists Failed pods as info with the cleanup command', async () => {
    const r = await run({ pods: async () => [pod('shop', 'gone', 'w-1', { phase: 'Failed', reason: 'Evicted' }), pod('shop', 'fine', 'w-1')] }, ['evicted-pods']);
    assert.equal(r[0]!.severity, 'info');
    assert.equal(r[0]!.message, '1 Failed pod(s) left in the cluster (1 Evicted)');
    assert.match(r[0]!.fix, /kubectl -n shop delete pods --field-selector=status\.phase=Failed/);
  });

  it('admin-conf: the first control plane without /etc/kubernetes/admin.conf is a blocker; with it, ok; unreachable, could not run', async () => {
    const missing = await run({}, ['admin-conf'], { 'cp-1': fakeExecutor('cp-1', { 'admin.conf': { exitCode: 1, stdout: '', stderr: '' } }) });
    assert.equal(missing[0]!.severity, 'blocker');
    assert.equal(missing[0]!.node, 'cp-1');
    assert.match(missing[0]!.fix, /kubeadm init phase kubeconfig admin/);
    const present = await run({}, ['admin-conf'], { 'cp-1': fakeExecutor('cp-1', { 'admin.conf': { exitCode: 0, stdout: '', stderr: '' } }) });
    assert.equal(present[0]!.severity, 'ok');
    const gone = await run({}, ['admin-conf'], { 'cp-1': new Error('connect ECONNREFUSED') });
    assert.ok(gone[0]!.notRun);
    assert.equal(gone[0]!.severity, 'blocker');
  });

  it('support-window: dates of both minors with the changelog; a running minor past end of life is a warning', async () => {
    const now = await run({}, ['support-window']);
    assert.equal(now[0]!.severity, 'info');
    assert.match(now[0]!.message, /Target 1\.36 is supported until 2027-06-28; the running 1\.35 until 2027-02-28/);
    assert.ok(now[0]!.evidence.some((e) => /CHANGELOG-1\.36\.md#urgent-upgrade-notes/.test(e)));
    const later = await runReadiness({ ...deps(fakeApi()), now: new Date('2027-03-01T00:00:00Z') }, T, { only: ['support-window'] });
    assert.equal(later.checks[0]!.severity, 'warning');
    assert.match(later.checks[0]!.message, /running 1\.35 reached end of life on 2027-02-28/);
    assert.ok(NOW < new Date('2027-02-28'));
  });

  it('addon-compatibility: an old calico is a warning with its source, an untabled CNI and CSI drivers "not checked"', async () => {
    const r = await run({
      daemonSets: async () => [
        { metadata: { name: 'calico-node', namespace: 'kube-system' }, spec: { template: { spec: { containers: [{ image: 'docker.io/calico/node:v3.20.6' }, { image: 'docker.io/calico/cni:v3.20.6' }] } } } },
        { metadata: { name: 'kube-flannel-ds', namespace: 'kube-flannel' }, spec: { template: { spec: { containers: [{ image: 'ghcr.io/flannel-io/flannel:v0.26.1' }] } } } },
      ],
      csiDrivers: async () => [{ metadata: { name: 'ebs.csi.aws.com' } }],
    }, ['addon-compatibility']);
    const calico = r.find((x) => /calico/.test(x.message))!;
    assert.equal(calico.severity, 'warning');
    assert.match(calico.message, /CNI calico 3\.20 \(DaemonSet\/kube-system\/calico-node\) is not documented for Kubernetes 1\.36/);
    assert.ok(calico.evidence.some((e) => e.startsWith('source: https://docs.tigera.io/calico/3.29/')));
    assert.match(r.find((x) => /flannel/.test(x.message))!.message, /not checked/);
    assert.match(r.find((x) => /ebs\.csi/.test(x.message))!.message, /CSI driver ebs\.csi\.aws\.com: not checked/);
  });

  it('swap-enabled: failSwapOn false in kubelet-config lets the kubelet start (info); a --fail-swap-on=false flag too', async () => {
    const allowed = await run({ configMap: async (_ns, name) => (name === 'kubelet-config' ? { kubelet: 'failSwapOn: false\nmemorySwap:\n  swapBehavior: LimitedSwap\n' } : undefined) }, ['swap-enabled']);
    const w1 = allowed.find((x) => x.node === 'w-1')!;
    assert.equal(w1.severity, 'info');
    assert.match(w1.message, /the kubelet allows it \(failSwapOn: false in the kubelet-config ConfigMap\), swapBehavior LimitedSwap/);
    const flag = await run({}, ['swap-enabled'], { 'w-1': fakeExecutor('w-1', { '== swap': { exitCode: 0, stdout: '== swap\n/swapfile file 1 0 -2\n== cgroup\ncgroup2fs\n== kubeletflags\nKUBELET_EXTRA_ARGS=--fail-swap-on=false\n== kubeletconfig\n', stderr: '' } }) });
    assert.equal(flag.find((x) => x.node === 'w-1')!.severity, 'info');
    assert.equal(flag.find((x) => x.node === 'cp-1')!.severity, 'ok');
  });
});

describe('removed-api-in-use', () => {
  const ingress = { name: 'shop', namespace: 'web', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"apiVersion":"extensions/v1beta1","kind":"Ingress","metadata":{"name":"shop","namespace":"web"}}' } };
  const helm = { name: 'legacy', namespace: 'default', revision: 3, status: 'deployed', storage: 'Secret/default/sh.helm.release.v1.legacy.v3', chart: 'legacy-0.1.0', manifest: '---\napiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata:\n  name: legacy\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: legacy\n' };

  it('names stored objects last applied with a removed API and Helm releases whose manifest uses one', async () => {
    const r = await run({ objectsOf: async (g, v, k) => (g === 'networking.k8s.io' && v === 'v1' && k === 'Ingress' ? [ingress] : undefined), helmReleases: async () => [helm] }, ['removed-api-in-use']);
    const stored = r.find((x) => /last applied/.test(x.message))!;
    assert.equal(stored.severity, 'blocker');
    assert.equal(stored.message, '1 object(s) were last applied as extensions/v1beta1 Ingress: extensions/v1beta1 Ingress is not served from 1.22 (target v1.36.3)');
    assert.ok(stored.evidence.includes('Ingress/web/shop: kubectl.kubernetes.io/last-applied-configuration apiVersion extensions/v1beta1'));
    const release = r.find((x) => /Helm release/.test(x.message))!;
    assert.equal(release.severity, 'blocker');
    assert.match(release.message, /^Helm release default\/legacy \(revision 3, deployed, chart legacy-0\.1\.0\) has 1 object\(s\) in policy\/v1beta1 PodDisruptionBudget: its next `helm upgrade` fails/);
    assert.match(release.fix, /helm mapkubeapis legacy --namespace default/);
    assert.equal(release.evidence[0], 'Secret/default/sh.helm.release.v1.legacy.v3');
  });

  it('a part it may not read says so (could not run), the other part still reports; a release that does not decode is named', async () => {
    const r = await run({
      objectsOf: async () => { throw new Error('permission missing: the kubeconfig user may not list ingresses.networking.k8s.io (v1) (HTTP 403)'); },
      helmReleases: async () => [{ ...helm, manifest: '', error: 'incorrect header check' }],
    }, ['removed-api-in-use']);
    assert.ok(r.every((x) => x.notRun), r.map((x) => x.message).join('\n'));
    assert.ok(r.some((x) => /stored objects: permission missing/.test(x.notRun!)));
    assert.ok(r.some((x) => /Helm release default\/legacy .*could not be decoded \(incorrect header check\) in Secret\/default\/sh\.helm\.release\.v1\.legacy\.v3/.test(x.notRun!)));
    const clean = await run({}, ['removed-api-in-use']);
    assert.deepEqual(clean.map((x) => x.severity), ['ok', 'ok']);
  });
});

describe('the new checks in the generic outputs', () => {
  it('the Problems panel lists their blockers and warnings by check id, and what could not run', async () => {
    const { readinessProblems } = await import('../../../src/core/readiness/problems');
    const report = await runReadiness(deps(fakeApi({
      nodes: async () => [cp('cp-1'), worker('w-1'), worker('w-2')],
      pods: async () => [pod('shop', 'hog-a', 'w-1', { cpu: '3' }), pod('shop', 'hog-b', 'w-2', { cpu: '3' })],
      workloads: async () => [deployment('shop', 'hog', 2, { app: 'none' })],
      helmReleases: async () => { throw new Error('permission missing: the kubeconfig user may not list secrets (HTTP 403)'); },
    })), T, { only: ['drain-capacity', 'removed-api-in-use', 'single-replica'] });
    const p = readinessProblems('ctx', report);
    assert.deepEqual(p.problems.map((x) => `${x.severity} ${x.code}`), ['error drain-capacity', 'error drain-capacity', 'warning removed-api-in-use', 'warning single-replica']);
    assert.match(p.problems.find((x) => x.code === 'removed-api-in-use')!.message, /^could not run: Helm releases: permission missing/);
  });
});
