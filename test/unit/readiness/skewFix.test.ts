// Readiness leads to the fix: each skew finding names the node, the version and what to run, with an Upgrade Node
// button; one severity per finding (what Upgrade Node / the Plan view refuse is a blocker here too); a finding the
// planned upgrade cures is not a blocker of it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { skewCheckResult } from '../../../src/core/readiness/skewFix';
import { evaluateSkew } from '../../../src/core/skew';
import { clusterVersion } from '../../../src/core/skew/apiservers';
import { finding } from '../../../src/core/skew/finding';
import { RULES } from '../../../src/core/skew/rules';
import { buildSnapshot } from '../../../src/core/snapshot/build';
import { checkUpgrade } from '../../../src/core/upgrade/guards';
import { parseVersion } from '../../../src/core/version';
import { rawDump } from '../helpers/dumps';

const snapshot = buildSnapshot(rawDump('mixed-skew'));
const target = parseVersion('v1.31.5')!;
const current = clusterVersion(snapshot);
const results = evaluateSkew(snapshot, { target: 'v1.31.5' }).map((f) => ({ f, r: skewCheckResult(f, target, current) }));

describe('skew findings in the readiness report', () => {
  it('a kubelet too old: blocker, fix names node, version and command, button Upgrade Node to the cluster version', () => {
    const { r } = results.find(({ f }) => f.rule === 'kubelet-too-old' && f.node === 'worker-old')!;
    assert.equal(r.severity, 'blocker');
    assert.match(r.fix, /^Upgrade worker-old to v1\.30\.6 \(the control plane's version\) before the control plane moves to v1\.31\.5: right-click worker-old → Upgrade Node…, which runs `sudo kubeadm upgrade node` on worker-old, then installs kubelet and kubectl v1\.30\.6/);
    assert.deepEqual(r.action, { kind: 'upgradeNode', node: 'worker-old', target: 'v1.30.6', label: 'Upgrade worker-old to v1.30.6…' });
    assert.doesNotMatch(r.message, /Policy: "/, 'the policy quote is for the hover, not the report line');
  });
  it('the fix differs per node (never one Fix text for every skew blocker)', () => {
    const byNode = new Map(results.filter(({ r }) => r.action).map(({ f, r }) => [f.node, r.fix]));
    assert.ok(byNode.size >= 3, [...byNode.keys()].join(', '));
    assert.equal(new Set(byNode.values()).size, byNode.size);
  });
  it('a kubelet newer than the oldest apiserver, the target cures it: info, no blocker', () => {
    const { r } = results.find(({ f }) => f.rule === 'kubelet-newer-than-apiserver' && f.node === 'worker-new')!;
    assert.equal(r.severity, 'info');
  });
  it('what Upgrade Node refuses the first control plane for is a blocker here too (one severity everywhere)', () => {
    const legacy = buildSnapshot(rawDump('legacy'));
    const to = parseVersion('v1.27.2')!;
    const refused = checkUpgrade(legacy, 'master-1', to).guards.filter((g) => g.severity === 'refuse').map((g) => g.reason);
    const all = evaluateSkew(legacy, { target: 'v1.27.2' }).map((f) => ({ f, r: skewCheckResult(f, to, clusterVersion(legacy)) }));
    const matched = all.filter(({ f }) => refused.some((reason) => reason.startsWith(f.message)));
    assert.ok(matched.length >= 2, 'the guards refuse for these findings');
    for (const { f, r } of matched) assert.equal(r.severity, 'blocker', `${f.rule} on ${f.node}: refused by Upgrade Node, so a blocker`);
    assert.ok(all.some(({ f, r }) => f.rule === 'upgrade-kubelet-becomes-unsupported' && r.severity === 'blocker' && r.action?.node === 'node-124'));
  });
  it('a kubelet newer than today\'s apiserver, at most the target: cured by the upgrade, not a blocker of it', () => {
    const newer = finding(RULES.kubeletNewer, 'worker-4', parseVersion('v1.36.3')!, 'kubelet v1.36.3 is newer than kube-apiserver v1.35.4.');
    const cured = skewCheckResult(newer, parseVersion('v1.36.3')!, parseVersion('v1.35.4'));
    assert.equal(cured.severity, 'info');
    assert.match(cured.message, /The upgrade to v1\.36\.3 cures this/);
    assert.equal(skewCheckResult(newer, parseVersion('v1.36.0')!, parseVersion('v1.35.4')).severity, 'blocker', 'still newer than the target: not cured');
  });
});

describe('kube-proxy findings agree with the skew policy (kubeadm upgrade apply moves the DaemonSet to the target)', () => {
  it('worker-3: kube-proxy at the control plane, its kubelet 4 minors behind: a blocker whose fix is that node\'s kubelet (the apply widens the gap)', () => {
    // As the mixed-skew sandbox has it: worker-3's kubelet at old-4, its kube-proxy pod at the control plane's version.
    const f = finding(RULES.proxyKubelet, 'worker-3', current!, `kube-proxy ${current!.raw} is 4 minors from this node's kubelet v1.26.15 (at most 3 allowed).`);
    const r = skewCheckResult(f, target, current);
    assert.equal(r.severity, 'blocker');
    assert.match(r.fix, /^Upgrade worker-3's kubelet before the control plane moves to v1\.31\.5: kube-proxy is a DaemonSet that `sudo kubeadm upgrade apply v1\.31\.5` moves to v1\.31\.5, one more minor away/);
    assert.doesNotMatch(r.fix, /no step of its own/);
    assert.deepEqual(r.action, { kind: 'upgradeNode', node: 'worker-3', target: 'v1.30.6', label: 'Upgrade worker-3 to v1.30.6…' });
  });
  it('a kube-proxy older than the control plane: the apply replaces it, so a warning with no step of its own, never a blocker', () => {
    const old = results.filter(({ f }) => f.component === 'kube-proxy' && f.node === 'worker-proxy');
    assert.ok(old.length >= 2, old.map(({ f }) => f.rule).join(', '));
    for (const { r } of old) {
      assert.equal(r.severity, 'warning');
      assert.match(r.fix, /^No step of its own before the upgrade: `sudo kubeadm upgrade apply v1\.31\.5` on the first control plane moves the kube-proxy DaemonSet to v1\.31\.5 and its pod on worker-proxy is replaced/);
      assert.match(r.fix, /--field-selector spec\.nodeName=worker-proxy/);
    }
    assert.ok(!results.some(({ f, r }) => f.component === 'kube-proxy' && r.severity === 'blocker' && /no step of its own/i.test(r.fix)), 'a blocker never says it needs no step');
  });
});
