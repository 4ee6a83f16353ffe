import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiserverRange } from '../../../src/core/skew';
import { enforceVersionPolicies, kubeletsFirst, kubeletWindow, type VersionPolicyViolations } from '../../../src/core/skew/policy';
import {
  KUBEADM_LEGACY_KUBELET_SKEW_UNTIL,
  MAX_KUBEADM_KUBELET_SKEW,
  MAX_KUBEADM_KUBELET_SKEW_LEGACY,
  MAX_MINOR_UPGRADE_SKEW,
  MAX_NODE_SKEW,
  MAX_NODE_SKEW_LEGACY,
  NODE_SKEW_WIDENED_IN,
} from '../../../src/core/skew/policyLimits';
import type { ClusterSnapshot } from '../../../src/core/snapshot/model';
import { parseVersion } from '../../../src/core/version';
import { cluster, cp, worker } from '../helpers/snapshot';

/** `rule@node` per list, so a case reads as the policy's answer. */
function summary(v: VersionPolicyViolations): { mandatory: string[]; skippable: string[]; notes: string[] } {
  const ids = (fs: VersionPolicyViolations['mandatory']) => fs.map((f) => `${f.rule}@${f.node ?? '-'}`);
  return { mandatory: ids(v.mandatory), skippable: ids(v.skippable), notes: ids(v.notes) };
}

function enforce(snapshot: ClusterSnapshot, target: string): ReturnType<typeof summary> {
  const range = apiserverRange(snapshot);
  assert.ok(range, 'test snapshot has an apiserver');
  return summary(enforceVersionPolicies(snapshot, range, target));
}

/** One control plane at `control` (its kubelet too, no kubeadm known), one worker whose kubelet is `kubelet`. */
const pair = (control: string, kubelet: string) =>
  cluster([cp('cp1', { apiserver: control, kubelet: control }), worker('w1', { kubelet })], control);

test('the limits are the documented numbers', () => {
  assert.equal(MAX_MINOR_UPGRADE_SKEW, 1);
  assert.equal(MAX_NODE_SKEW, 3);
  assert.equal(MAX_NODE_SKEW_LEGACY, 2);
  assert.equal(NODE_SKEW_WIDENED_IN, 25);
  assert.equal(KUBEADM_LEGACY_KUBELET_SKEW_UNTIL, 28);
  assert.equal(MAX_KUBEADM_KUBELET_SKEW_LEGACY, 1);
  assert.equal(MAX_KUBEADM_KUBELET_SKEW, 3);
});

type Case = [name: string, snapshot: ClusterSnapshot, target: string, expected: ReturnType<typeof summary>];
const none = { mandatory: [], skippable: [], notes: [] };
const skippable = (...ids: string[]) => ({ mandatory: [], skippable: ids, notes: [] });
const mandatory = (id: string) => ({ mandatory: [id], skippable: [], notes: [] });

const cases: Case[] = [
  // Mandatory: the path itself.
  ['not a version', pair('v1.31.2', 'v1.31.2'), 'banana', mandatory('version-unknown@-')],
  ['one minor up is the limit', pair('v1.31.2', 'v1.31.2'), 'v1.32.0', none],
  ['two minors up skips one', pair('v1.31.2', 'v1.31.2'), 'v1.33.0', mandatory('upgrade-skips-minor@-')],
  ['a patch up', pair('v1.31.2', 'v1.31.2'), 'v1.31.5', none],
  ['a patch down is a downgrade', pair('v1.31.2', 'v1.31.2'), 'v1.31.1', mandatory('upgrade-target-older@-')],
  ['a minor down is a downgrade', pair('v1.31.2', 'v1.31.2'), 'v1.30.9', mandatory('upgrade-target-older@-')],
  ['already at the target is a note, not a violation', pair('v1.31.2', 'v1.31.2'), 'v1.31.2', { mandatory: [], skippable: [], notes: ['upgrade-already-at-target@-'] }],
  [
    'HA half-way: the oldest apiserver decides the step',
    cluster([cp('cp1', { apiserver: 'v1.32.0', kubelet: 'v1.31.2' }), cp('cp2', { apiserver: 'v1.31.2', kubelet: 'v1.31.2' })], 'v1.32.0'),
    'v1.33.0',
    mandatory('upgrade-skips-minor@-'),
  ],
  // Skippable: kubelets, window of three minors from 1.25.
  ['kubelet ends three behind: the edge, allowed', pair('v1.31.2', 'v1.29.0'), 'v1.32.0', none],
  ['kubelet ends four behind', pair('v1.31.2', 'v1.28.9'), 'v1.32.0', skippable('upgrade-kubelet-becomes-unsupported@w1')],
  ['kubelet already four behind: a current-state finding, not the upgrade\'s', pair('v1.31.2', 'v1.27.0'), 'v1.32.0', none],
  ['a patch upgrade strands no kubelet', pair('v1.31.2', 'v1.28.9'), 'v1.31.5', none],
  // Window of two minors below 1.25 (kubeadm of those minors refuses even earlier, at two behind).
  ['kubelet 1.24 ends two behind: the policy\'s edge, kubeadm\'s refusal', pair('v1.25.3', 'v1.24.17'), 'v1.26.0', skippable('upgrade-blocked-by-old-kubelets@w1')],
  [
    'kubelet 1.24 ends three behind',
    pair('v1.26.3', 'v1.24.17'),
    'v1.27.0',
    skippable('upgrade-kubelet-becomes-unsupported@w1', 'upgrade-blocked-by-old-kubelets@w1'),
  ],
  // kubeadm's own kubelet limit: one minor up to 1.28.
  ['kubeadm 1.28: kubelet one behind is allowed', pair('v1.27.3', 'v1.27.3'), 'v1.28.0', none],
  ['kubeadm 1.28: kubelet two behind is refused', pair('v1.27.3', 'v1.26.5'), 'v1.28.0', skippable('upgrade-blocked-by-old-kubelets@w1')],
  ['kubeadm 1.29: kubelet two behind is allowed', pair('v1.28.3', 'v1.27.5'), 'v1.29.0', none],
  [
    'kubeadm 1.26: a kubelet both stranded and refused',
    pair('v1.25.3', 'v1.23.5'),
    'v1.26.0',
    skippable('upgrade-kubelet-becomes-unsupported@w1', 'upgrade-blocked-by-old-kubelets@w1'),
  ],
  // The kubeadm binary on control planes only.
  [
    'kubeadm older than the target on a control plane',
    cluster([cp('cp1', { apiserver: 'v1.31.2', kubelet: 'v1.31.2', kubeadm: 'v1.31.2' }), worker('w1', { kubelet: 'v1.31.2', kubeadm: 'v1.30.0' })], 'v1.31.2'),
    'v1.32.0',
    skippable('upgrade-needs-newer-kubeadm@cp1'),
  ],
];

for (const [name, snapshot, target, expected] of cases) {
  test(`policy: ${name}`, () => assert.deepEqual(enforce(snapshot, target), expected));
}

test('kubeletsFirst keeps the kubelets and leaves the kubeadm binary out', () => {
  const snapshot = cluster([cp('cp1', { apiserver: 'v1.31.2', kubelet: 'v1.31.2', kubeadm: 'v1.31.0' }), worker('w1', { kubelet: 'v1.28.1' })], 'v1.31.2');
  const v = enforceVersionPolicies(snapshot, apiserverRange(snapshot)!, 'v1.32.0');
  assert.deepEqual(v.skippable.map((f) => f.rule).sort(), ['upgrade-kubelet-becomes-unsupported', 'upgrade-needs-newer-kubeadm']);
  assert.deepEqual(kubeletsFirst(v).map((f) => `${f.rule}@${f.node}`), ['upgrade-kubelet-becomes-unsupported@w1']);
});

test('kubeletWindow: behind, allowed and outside at each edge', () => {
  const v = (s: string) => parseVersion(s)!;
  const api = { major: 1, minor: 31 };
  assert.deepEqual(kubeletWindow(v('v1.28.0'), api), { behind: 3, allowed: 3, outside: false });
  assert.deepEqual(kubeletWindow(v('v1.27.0'), api), { behind: 4, allowed: 3, outside: true });
  assert.deepEqual(kubeletWindow(v('v1.32.0'), api), { behind: -1, allowed: 3, outside: false });
  assert.deepEqual(kubeletWindow(v('v1.24.0'), { major: 1, minor: 26 }), { behind: 2, allowed: 2, outside: false });
  assert.deepEqual(kubeletWindow(v('v1.24.0'), { major: 1, minor: 27 }), { behind: 3, allowed: 2, outside: true });
});
