// The sandbox's own acceptance check (issue "Done when"): mixed-skew comes up, nodes report
// their skewed versions through the real API, nodes answer over SSH, and the real
// `kubeadm upgrade plan` prints a plan on a control-plane node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSandbox } from '../../integration/sandbox';

const sb = useSandbox('mixed-skew');

test('nodes carry the scenario kubelet versions', () => {
  const nodes = JSON.parse(sb.kubectl('get', 'nodes', '-o', 'json')).items as { metadata: { name: string }; status: { nodeInfo: { kubeletVersion: string } } }[];
  const v = Object.fromEntries(nodes.map((n) => [n.metadata.name, n.status.nodeInfo.kubeletVersion]));
  const minor = (s: string) => Number(s.split('.')[1]);
  const api = minor(JSON.parse(sb.kubectl('version', '-o', 'json')).serverVersion.gitVersion);
  assert.equal(minor(v['worker-1']), api - 1);
  assert.equal(minor(v['worker-2']), api - 3);
  assert.equal(minor(v['worker-3']), api - 4);
  assert.equal(minor(v['worker-4']), api + 1);
});

test('ssh <node> kubeadm version -o short answers with the installed version', () => {
  const r = sb.ssh('cp-1', 'kubeadm version -o short');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout.trim(), /^v1\.\d+\.\d+$/);
});

test('the real kubeadm upgrade plan prints a plan on a control plane', () => {
  const r = sb.ssh('cp-1', 'sudo kubeadm upgrade plan');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /\[upgrade\/versions\] Cluster version:/);
  assert.match(r.stdout, /kube-apiserver\s+cp-1\s+v1\.\d+\.\d+\s+v1\.\d+\.\d+/);
  assert.match(r.stdout, /kubeadm upgrade apply v1\.\d+\.\d+/);
});
