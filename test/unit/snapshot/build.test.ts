import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSnapshot, kubernetesVersionFrom } from '../../../src/core/snapshot/build';
import { formatVersion } from '../../../src/core/version';
import { rawDump } from '../helpers/dumps';

test('a kubectl dump becomes nodes with every version the tree shows', () => {
  const s = buildSnapshot(rawDump('mixed-skew'));
  assert.equal(s.kubernetesVersion && formatVersion(s.kubernetesVersion), 'v1.30.6');
  assert.equal(s.serverVersion && formatVersion(s.serverVersion), 'v1.31.2');
  assert.equal(s.kubeProxyImage, 'registry.k8s.io/kube-proxy:v1.30.6');
  assert.equal(s.corednsImage, 'registry.k8s.io/coredns/coredns:v1.11.3');
  // control planes first, then workers, each by name
  assert.deepEqual(s.nodes.map((n) => n.name), ['cp-1', 'cp-2', 'cp-3', 'worker-down', 'worker-edge', 'worker-new', 'worker-old', 'worker-proxy']);
  const cp2 = s.nodes.find((n) => n.name === 'cp-2')!;
  assert.equal(cp2.controlPlane, true);
  assert.equal(formatVersion(cp2.controlPlaneComponents['kube-apiserver']!.version!), 'v1.30.6');
  assert.equal(formatVersion(cp2.controlPlaneComponents['kube-controller-manager']!.version!), 'v1.29.10');
  assert.equal(cp2.controlPlaneComponents.etcd!.version!.major, 3);
  assert.equal(cp2.controlPlaneComponents['kube-apiserver']!.podName, 'kube-apiserver-cp-2');
  const proxy = s.nodes.find((n) => n.name === 'worker-proxy')!;
  assert.equal(proxy.controlPlane, false);
  assert.equal(formatVersion(proxy.kubelet!.version!), 'v1.31.0');
  // kube-proxy comes from the pod on the node, not the node status field (which copies the kubelet's)
  assert.equal(formatVersion(proxy.kubeProxy!.version!), 'v1.27.16');
  assert.equal(proxy.containerRuntime, 'containerd://1.7.22');
  assert.equal(proxy.osImage, 'Ubuntu 22.04.4 LTS');
  assert.equal(proxy.internalIP, '10.0.1.4');
  const down = s.nodes.find((n) => n.name === 'worker-down')!;
  assert.equal(down.readiness, 'NotReady');
  assert.equal(down.unschedulable, true);
});

test('a node without a role label but with a static apiserver is a control plane', () => {
  const raw = rawDump('healthy');
  raw.nodes = raw.nodes.map((n) => (n.metadata?.name === 'cp-1' ? { ...n, metadata: { ...n.metadata, labels: {} } } : n));
  assert.equal(buildSnapshot(raw).nodes.find((n) => n.name === 'cp-1')!.controlPlane, true);
});

test('kube-proxy falls back to the DaemonSet image when no pod is on the node', () => {
  const raw = rawDump('healthy');
  raw.systemPods = raw.systemPods.filter((p) => p.metadata?.labels?.['k8s-app'] !== 'kube-proxy');
  const w = buildSnapshot(raw).nodes.find((n) => n.name === 'worker-1')!;
  assert.equal(w.kubeProxy?.source, 'registry.k8s.io/kube-proxy:v1.31.2');
});

test('kubernetesVersion is read from the ClusterConfiguration YAML', () => {
  assert.equal(kubernetesVersionFrom('apiVersion: kubeadm.k8s.io/v1beta3\nkubernetesVersion: "v1.29.4"\n'), 'v1.29.4');
  assert.equal(kubernetesVersionFrom('kubernetesVersion: v1.31.0 # pinned\n'), 'v1.31.0');
  assert.equal(kubernetesVersionFrom('networking: {}\n'), undefined);
  assert.equal(kubernetesVersionFrom(undefined), undefined);
});

test('objects with missing fields do not throw', () => {
  const s = buildSnapshot({ nodes: [{}, { metadata: { name: 'bare' } }], systemPods: [{}, { spec: { nodeName: 'bare' } }] });
  assert.deepEqual(s.nodes.map((n) => [n.name, n.readiness, n.kubelet]), [['bare', 'Unknown', undefined]]);
});
