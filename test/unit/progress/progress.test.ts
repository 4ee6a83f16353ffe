import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextStep, upgradeInProgress } from '../../../src/core/progress';
import { evaluateSkew, type Finding } from '../../../src/core/skew';
import { buildSnapshot } from '../../../src/core/snapshot/build';
import type { ClusterSnapshot, NodeSnapshot } from '../../../src/core/snapshot/model';
import { parseVersion } from '../../../src/core/version';
import { rawDump } from '../helpers/dumps';

const at = (f: readonly Finding[]) => f.map((x) => `${x.severity} ${x.rule}@${x.node ?? '-'}`);

/** test/fixtures/dumps/mid-upgrade: healthy (1.31.2) after cp-2 ran `kubeadm upgrade apply v1.32.0` and its kubelet. */
const mid = () => buildSnapshot(rawDump('mid-upgrade'));

function withNode(s: ClusterSnapshot, name: string, change: (n: NodeSnapshot) => NodeSnapshot): ClusterSnapshot {
  return { ...s, nodes: s.nodes.map((n) => (n.name === name ? change(n) : n)) };
}

test('a healthy cluster is not an upgrade in progress', () => {
  assert.equal(upgradeInProgress(buildSnapshot(rawDump('healthy'))), undefined);
});

test('after the first control plane\'s apply: upgraded and pending control planes by name', () => {
  const p = upgradeInProgress(mid())!;
  assert.deepEqual([p.upgraded, p.pending], [['cp-2'], ['cp-1', 'cp-3']]);
  assert.equal(p.to.minor, 32);
});

test('what the procedure causes is info "expected until cp-1, cp-3 are upgraded"; the real warning stays', () => {
  const findings = evaluateSkew(mid());
  assert.deepEqual(at(findings.filter((f) => f.severity !== 'info')), ['warning kubelet-at-skew-limit@worker-3']);
  const kubelet = findings.find((f) => f.rule === 'kubelet-newer-than-apiserver' && f.node === 'cp-2')!;
  assert.equal(kubelet.severity, 'info');
  assert.match(kubelet.expected!.text, /^expected until cp-1, cp-3 are upgraded to v1\.32\.0: /);
  assert.deepEqual(kubelet.expected!.until, ['cp-1', 'cp-3']);
  // kube-proxy moved by an older kubeadm's first apply: expected on every node, with the ≥ 1.28 behaviour explained.
  const proxies = findings.filter((f) => f.rule === 'kube-proxy-newer-than-apiserver');
  assert.equal(proxies.length, 6);
  assert.ok(proxies.every((f) => f.severity === 'info' && /since 1\.28 the last control plane upgrades kube-proxy and CoreDNS/.test(f.expected!.text)));
});

test('a worker kubelet already at the new minor is a real violation and stays an error', () => {
  const s = withNode(mid(), 'worker-1', (n) => ({ ...n, kubelet: { component: 'kubelet', version: parseVersion('v1.32.0'), source: 'v1.32.0' } }));
  const f = evaluateSkew(s).find((x) => x.rule === 'kubelet-newer-than-apiserver' && x.node === 'worker-1')!;
  assert.equal(f.severity, 'error');
  assert.equal(f.expected, undefined);
});

test('a pending control plane whose kubelet was upgraded first is a real violation', () => {
  const s = withNode(mid(), 'cp-1', (n) => ({ ...n, kubelet: { component: 'kubelet', version: parseVersion('v1.32.0'), source: 'v1.32.0' } }));
  assert.equal(evaluateSkew(s).find((x) => x.rule === 'kubelet-newer-than-apiserver' && x.node === 'cp-1')!.severity, 'error');
});

test('kubeadm still at the old minor on a pending node is expected; kubeadm-config already says the new one', () => {
  const s = withNode(mid(), 'cp-1', (n) => ({ ...n, kubeadm: { component: 'kubeadm', version: parseVersion('v1.31.2'), source: 'kubeadm version' } }));
  const f = evaluateSkew(s).find((x) => x.rule === 'kubeadm-older-than-control-plane' && x.node === 'cp-1')!;
  assert.equal(f.severity, 'info');
  assert.match(f.expected!.text, /installs kubeadm 1\.32 as the first step/);
});

test('apiservers two minors apart are no upgrade in progress: the HA-skew error stays', () => {
  const s = withNode(mid(), 'cp-1', (n) => ({
    ...n,
    controlPlaneComponents: { ...n.controlPlaneComponents, 'kube-apiserver': { component: 'kube-apiserver', version: parseVersion('v1.30.6'), source: 'v1.30.6' } },
  }));
  assert.equal(upgradeInProgress(s), undefined);
  assert.ok(at(evaluateSkew(s)).includes('error apiserver-ha-skew@cp-1'));
});

test('next step: `kubeadm upgrade node` on the first pending control plane, then the rest', () => {
  const s = mid();
  const step = nextStep(s, upgradeInProgress(s)!)!;
  assert.deepEqual([step.node, step.target, step.command], ['cp-1', 'v1.32.0', 'kubeadm upgrade node']);
  assert.equal(step.label, 'Upgrade cp-1: `kubeadm upgrade node` to v1.32.0 (then cp-3)');
});

test('next step: the last control plane also upgrades kube-proxy and CoreDNS', () => {
  const s = buildSnapshot(rawDump('mixed-skew'));
  const step = nextStep(s, upgradeInProgress(s)!)!;
  assert.equal(step.node, 'cp-2');
  assert.match(step.detail, /cp-2 is the last control plane: its `kubeadm upgrade node` also upgrades kube-proxy and CoreDNS/);
});

test('next step: a control plane whose kubelet is behind its own components is finished first', () => {
  const s = withNode(mid(), 'cp-2', (n) => ({ ...n, kubelet: { component: 'kubelet', version: parseVersion('v1.31.2'), source: 'v1.31.2' } }));
  const step = nextStep(s, upgradeInProgress(s)!)!;
  assert.equal(step.node, 'cp-2');
  assert.equal(step.label, 'Finish cp-2: kubelet still v1.31.2');
});
