import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateSkew } from '../../../src/core/skew';
import type { ClusterSnapshot } from '../../../src/core/snapshot/model';
import { cluster, cp, worker } from '../helpers/snapshot';

/** [name, snapshot, options, expected `rule@node` list (order-free; info findings included)] */
type Case = [string, ClusterSnapshot, { target?: string; kubectlVersion?: string }, string[]];

const single = (kubelet: string, apiserver = 'v1.31.2') =>
  cluster([cp('cp1', { apiserver, kubelet: apiserver }), worker('w1', { kubelet })]);

const cases: Case[] = [
  // kubelet vs apiserver, >= 1.25: three minors allowed, the third is the edge.
  ['kubelet same minor', single('v1.31.0'), {}, []],
  ['kubelet n-2', single('v1.29.9'), {}, []],
  ['kubelet n-3 is at the edge', single('v1.28.0'), {}, ['kubelet-at-skew-limit@w1']],
  ['kubelet n-4 is unsupported', single('v1.27.16'), {}, ['kubelet-too-old@w1']],
  ['kubelet newer minor than apiserver', single('v1.32.0'), {}, ['kubelet-newer-than-apiserver@w1']],
  ['kubelet newer patch is fine (policy is by minor)', single('v1.31.5'), {}, []],
  // kubelet < 1.25: only two minors.
  ['kubelet 1.24 at n-2 (apiserver 1.26) is the edge', single('v1.24.17', 'v1.26.1'), {}, ['kubelet-at-skew-limit@w1']],
  ['kubelet 1.24 at n-3 (apiserver 1.27) is unsupported', single('v1.24.17', 'v1.27.1'), {}, ['kubelet-too-old@w1']],
  ['kubelet 1.25 at n-3 (apiserver 1.28) is the edge', single('v1.25.0', 'v1.28.1'), {}, ['kubelet-at-skew-limit@w1']],
  ['kubelet 1.23 at n-2 (apiserver 1.25) is the edge', single('v1.23.0', 'v1.25.0'), {}, ['kubelet-at-skew-limit@w1']],
  // HA narrowing: apiservers at 1.32 and 1.31 → kubelets 1.29..1.31.
  [
    'HA 1.32+1.31: kubelet 1.32 is newer than the oldest apiserver',
    cluster([cp('cp1', { apiserver: 'v1.32.0', kubelet: 'v1.31.0' }), cp('cp2', { apiserver: 'v1.31.4', kubelet: 'v1.31.4' }), worker('w1', { kubelet: 'v1.32.0' })]),
    {},
    ['apiserver-mixed-versions@cp2', 'kubelet-newer-than-apiserver@w1'],
  ],
  [
    'HA 1.32+1.31: kubelet 1.28 is n-4 of the newest',
    cluster([cp('cp1', { apiserver: 'v1.32.0', kubelet: 'v1.31.0' }), cp('cp2', { apiserver: 'v1.31.4', kubelet: 'v1.31.4' }), worker('w1', { kubelet: 'v1.28.3' })]),
    {},
    ['apiserver-mixed-versions@cp2', 'kubelet-too-old@w1'],
  ],
  [
    'HA 1.32+1.31: kubelet 1.29 is the edge',
    cluster([cp('cp1', { apiserver: 'v1.32.0', kubelet: 'v1.31.0' }), cp('cp2', { apiserver: 'v1.31.4', kubelet: 'v1.31.4' }), worker('w1', { kubelet: 'v1.29.3' })]),
    {},
    ['apiserver-mixed-versions@cp2', 'kubelet-at-skew-limit@w1'],
  ],
  [
    'HA apiservers two minors apart',
    cluster([cp('cp1', { apiserver: 'v1.32.0', kubelet: 'v1.30.0' }), cp('cp2', { apiserver: 'v1.30.4', kubelet: 'v1.30.4' })]),
    {},
    ['apiserver-ha-skew@cp2'],
  ],
  // kube-proxy vs apiserver and vs kubelet.
  ['kube-proxy newer than apiserver', cluster([cp('cp1', { apiserver: 'v1.31.2', kubelet: 'v1.31.2', kubeProxy: 'v1.32.0' })]), {}, ['kube-proxy-newer-than-apiserver@cp1']],
  ['kube-proxy n-4', cluster([cp('cp1', { apiserver: 'v1.31.2', kubelet: 'v1.31.2' }), worker('w1', { kubelet: 'v1.29.0', kubeProxy: 'v1.27.0' })]), {}, ['kube-proxy-too-old@w1']],
  ['kube-proxy n-3 edge', cluster([cp('cp1', { apiserver: 'v1.31.2', kubelet: 'v1.31.2' }), worker('w1', { kubelet: 'v1.30.0', kubeProxy: 'v1.28.0' })]), {}, ['kube-proxy-at-skew-limit@w1']],
  ['kube-proxy 1.24 four minors newer than... no: 3 older than kubelet 1.27', cluster([cp('cp1', { apiserver: 'v1.26.2', kubelet: 'v1.26.2' }), worker('w1', { kubelet: 'v1.26.0', kubeProxy: 'v1.23.0' })]), {}, ['kube-proxy-too-old@w1', 'kube-proxy-kubelet-skew@w1']],
  ['kube-proxy 3 minors from kubelet (>= 1.25) is allowed', cluster([cp('cp1', { apiserver: 'v1.31.2', kubelet: 'v1.31.2' }), worker('w1', { kubelet: 'v1.28.0', kubeProxy: 'v1.31.0' })]), {}, ['kubelet-at-skew-limit@w1']],
  ['kube-proxy 4 minors from kubelet', cluster([cp('cp1', { apiserver: 'v1.32.2', kubelet: 'v1.32.2' }), worker('w1', { kubelet: 'v1.28.0', kubeProxy: 'v1.32.0' })]), {}, ['kubelet-too-old@w1', 'kube-proxy-kubelet-skew@w1']],
  // controller-manager and scheduler.
  ['controller-manager one behind: supported, at the edge', cluster([cp('cp1', { apiserver: 'v1.31.2', kubelet: 'v1.31.2', controllerManager: 'v1.30.5', scheduler: 'v1.31.2' })]), {}, ['kube-controller-manager-behind-apiserver@cp1']],
  ['scheduler two behind', cluster([cp('cp1', { apiserver: 'v1.31.2', kubelet: 'v1.31.2', controllerManager: 'v1.31.2', scheduler: 'v1.29.0' })]), {}, ['kube-scheduler-too-old@cp1']],
  ['controller-manager newer than apiserver', cluster([cp('cp1', { apiserver: 'v1.31.2', kubelet: 'v1.31.2', controllerManager: 'v1.32.0' })]), {}, ['kube-controller-manager-newer-than-apiserver@cp1']],
  [
    'HA 1.32+1.31: each controller-manager is checked against its own node\'s apiserver (kubeadm uses the local endpoint)',
    cluster([cp('cp1', { apiserver: 'v1.32.0', kubelet: 'v1.31.0', controllerManager: 'v1.32.0' }), cp('cp2', { apiserver: 'v1.31.4', kubelet: 'v1.31.4', controllerManager: 'v1.31.4' })]),
    {},
    ['apiserver-mixed-versions@cp2'],
  ],
  [
    'HA 1.32+1.31: a controller-manager newer than its local apiserver',
    cluster([cp('cp1', { apiserver: 'v1.32.0', kubelet: 'v1.31.0', controllerManager: 'v1.32.0' }), cp('cp2', { apiserver: 'v1.31.4', kubelet: 'v1.31.4', controllerManager: 'v1.32.0', scheduler: 'v1.30.1' })]),
    {},
    ['apiserver-mixed-versions@cp2', 'kube-controller-manager-newer-than-apiserver@cp2', 'kube-scheduler-behind-apiserver@cp2'],
  ],
  // kubectl.
  ['kubectl one newer', single('v1.31.0'), { kubectlVersion: 'v1.32.1' }, []],
  ['kubectl one older', single('v1.31.0'), { kubectlVersion: 'v1.30.1' }, []],
  ['kubectl two newer', single('v1.31.0'), { kubectlVersion: 'v1.33.0' }, ['kubectl-skew@-']],
  ['kubectl two older', single('v1.31.0'), { kubectlVersion: 'v1.29.0' }, ['kubectl-skew@-']],
  // kubeadm per node.
  ['kubeadm one newer than control plane (ready to upgrade)', cluster([cp('cp1', { apiserver: 'v1.31.2', kubelet: 'v1.31.2', kubeadm: 'v1.32.0' })], 'v1.31.2'), {}, []],
  ['kubeadm older than control plane', cluster([cp('cp1', { apiserver: 'v1.31.2', kubelet: 'v1.30.2', kubeadm: 'v1.30.0' })], 'v1.31.2'), {}, ['kubeadm-older-than-control-plane@cp1']],
  ['kubeadm two newer than control plane', cluster([cp('cp1', { apiserver: 'v1.31.2', kubelet: 'v1.31.2', kubeadm: 'v1.33.0' })], 'v1.31.2'), {}, ['kubeadm-too-new-for-control-plane@cp1']],
  ['kubeadm 1.32 with kubelet 1.28 (n-4)', cluster([cp('cp1', { apiserver: 'v1.31.2', kubelet: 'v1.31.2' }), worker('w1', { kubelet: 'v1.28.0', kubeadm: 'v1.32.0' })], 'v1.31.2'), {}, ['kubelet-at-skew-limit@w1', 'kubeadm-kubelet-too-old@w1']],
  ['kubeadm 1.28 with kubelet 1.26 (legacy: one minor only)', cluster([cp('cp1', { apiserver: 'v1.28.2', kubelet: 'v1.28.2' }), worker('w1', { kubelet: 'v1.26.0', kubeadm: 'v1.28.0' })], 'v1.28.2'), {}, ['kubeadm-legacy-kubelet-skew@w1']],
  ['kubeadm older than its kubelet', cluster([cp('cp1', { apiserver: 'v1.31.2', kubelet: 'v1.31.2' }), worker('w1', { kubelet: 'v1.31.0', kubeadm: 'v1.30.0' })], 'v1.30.2'), {}, ['kubeadm-kubelet-newer@w1']],
  // upgrade path.
  ['target next minor, all fine', single('v1.31.0'), { target: 'v1.32.0' }, []],
  ['target skips a minor', single('v1.31.0'), { target: 'v1.33.0' }, ['upgrade-skips-minor@-']],
  ['target older than the control plane', single('v1.31.0'), { target: 'v1.30.9' }, ['upgrade-target-older@-']],
  ['target equals the control plane', single('v1.31.2'), { target: 'v1.31.2' }, ['upgrade-already-at-target@-']],
  ['target patch in the same minor', single('v1.31.0'), { target: 'v1.31.7' }, []],
  ['target makes an n-3 kubelet n-4', single('v1.28.0'), { target: 'v1.32.0' }, ['kubelet-at-skew-limit@w1', 'upgrade-kubelet-becomes-unsupported@w1']],
  ['target keeps an n-2 kubelet supported', single('v1.29.0'), { target: 'v1.32.0' }, []],
  ['kubeadm 1.28 target refuses kubelets more than one minor behind', single('v1.26.0', 'v1.27.3'), { target: 'v1.28.0' }, ['upgrade-blocked-by-old-kubelets@w1']],
  ['kubeadm 1.29 target accepts n-2 kubelets', single('v1.27.0', 'v1.28.3'), { target: 'v1.29.0' }, []],
  ['HA mixed: the oldest apiserver decides the skip', cluster([cp('cp1', { apiserver: 'v1.32.0', kubelet: 'v1.31.0' }), cp('cp2', { apiserver: 'v1.31.0', kubelet: 'v1.31.0' })], 'v1.32.0'), { target: 'v1.33.0' }, ['apiserver-mixed-versions@cp2', 'upgrade-skips-minor@-']],
  ['target is not a version', single('v1.31.0'), { target: 'latest' }, ['version-unknown@-']],
  ['control plane node: kubeadm not yet at target', cluster([cp('cp1', { apiserver: 'v1.31.2', kubelet: 'v1.31.2', kubeadm: 'v1.31.2' })], 'v1.31.2'), { target: 'v1.32.0' }, ['upgrade-needs-newer-kubeadm@cp1']],
  // nothing known.
  ['no apiserver version at all', cluster([worker('w1', { kubelet: 'v1.31.0' })]), {}, ['version-unknown@-']],
  ['falls back to /version without static pods', cluster([worker('w1', { kubelet: 'v1.27.0' })], undefined, 'v1.31.2'), {}, ['kubelet-too-old@w1']],
];

for (const [name, snapshot, options, expected] of cases) {
  test(name, () => {
    const findings = evaluateSkew(snapshot, options);
    const got = findings.map((f) => `${f.rule}@${f.node ?? '-'}`).sort();
    assert.deepEqual(got, [...expected].sort());
  });
}

test('a finding carries severity, component, node, version and quotes the rule', () => {
  const [f] = evaluateSkew(single('v1.27.16'));
  assert.ok(f);
  assert.equal(f.severity, 'error');
  assert.equal(f.component, 'kubelet');
  assert.equal(f.node, 'w1');
  assert.equal(f.version, 'v1.27.16');
  assert.match(f.message, /4 minors behind kube-apiserver v1\.31\.2/);
  assert.match(f.message, /kubelet may be up to three minor versions older than kube-apiserver/);
});

test('severities: error now, warning at the edge or after the target, info for context', () => {
  const bySeverity = (s: ClusterSnapshot, o = {}) => evaluateSkew(s, o).map((f) => `${f.rule}:${f.severity}`);
  assert.deepEqual(bySeverity(single('v1.28.0')), ['kubelet-at-skew-limit:warning']);
  assert.deepEqual(bySeverity(single('v1.29.0'), { target: 'v1.32.0' }), []);
  assert.deepEqual(bySeverity(single('v1.28.0'), { target: 'v1.32.0' }).sort(), ['kubelet-at-skew-limit:warning', 'upgrade-kubelet-becomes-unsupported:warning']);
  assert.deepEqual(bySeverity(single('v1.31.2'), { target: 'v1.31.2' }), ['upgrade-already-at-target:info']);
});

test('findings are sorted errors first', () => {
  const s = cluster([cp('cp1', { apiserver: 'v1.31.2', kubelet: 'v1.31.2', controllerManager: 'v1.30.0' }), worker('w1', { kubelet: 'v1.26.0' })]);
  assert.deepEqual(evaluateSkew(s).map((f) => f.severity), ['error', 'warning']);
});
