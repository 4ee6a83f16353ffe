// The checked-in tables the readiness checks look things up in: API removals (generated from k8s.io/api), Kubernetes
// support dates, add-on compatibility; and the small parsers beside them (quantities, kubelet swap settings, manifests).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiVerdict, kindsToScan, manifestApiFindings, manifestObjects } from '../../../src/core/readiness/apiRemovals';
import { ADDON_TABLES, addonMinor, addonVerdict } from '../../../src/core/readiness/data/addonCompatibility';
import { API_LIFECYCLE, API_LIFECYCLE_SOURCE } from '../../../src/core/readiness/data/apiLifecycle';
import { changelogUrl, supportOf, SUPPORT_WINDOW } from '../../../src/core/readiness/data/supportWindow';
import { kubeletSwapConfig } from '../../../src/core/readiness/parse/nodeFacts';
import { parseQuantity } from '../../../src/core/readiness/parse/quantity';
import { parseVersion } from '../../../src/core/version';

const v = (s: string) => parseVersion(s)!;

describe('API lifecycle table (k8s.io/api prerelease-lifecycle tags)', () => {
  it('names its source and has the removals every upgrade guide lists', () => {
    assert.match(API_LIFECYCLE_SOURCE, /k8s\.io\/api v0\.36\.3 .*k8s\.io\/api v0\.24\.0/);
    const row = (gv: string, kind: string) => API_LIFECYCLE.find((r) => `${r.group ? `${r.group}/` : ''}${r.version}` === gv && r.kind === kind);
    assert.deepEqual({ ...row('policy/v1beta1', 'PodSecurityPolicy') }, { group: 'policy', version: 'v1beta1', kind: 'PodSecurityPolicy', deprecated: '1.21', removed: '1.25', from: 'v0.24.0' });
    assert.equal(row('extensions/v1beta1', 'Ingress')!.removed, '1.22');
    assert.equal(row('extensions/v1beta1', 'Ingress')!.replacement, 'networking.k8s.io/v1 Ingress');
    assert.equal(row('autoscaling/v2beta2', 'HorizontalPodAutoscaler')!.removed, '1.26');
    assert.equal(row('flowcontrol.apiserver.k8s.io/v1beta3', 'FlowSchema')!.removed, '1.32');
    // Kinds without a List (Eviction, Scale, reviews) are not stored objects and are not in the table.
    assert.equal(row('policy/v1beta1', 'Eviction'), undefined);
    assert.equal(API_LIFECYCLE.find((r) => r.kind.endsWith('List')), undefined);
  });

  it('judges an apiVersion/kind against the target: removed (not served), deprecated, or nothing', () => {
    assert.equal(apiVerdict('policy/v1beta1', 'PodDisruptionBudget', v('v1.36.3'))?.state, 'removed');
    assert.equal(apiVerdict('policy/v1beta1', 'PodDisruptionBudget', v('v1.24.0'))?.state, 'deprecated');
    assert.equal(apiVerdict('policy/v1beta1', 'PodDisruptionBudget', v('v1.20.0')), undefined);
    assert.equal(apiVerdict('resource.k8s.io/v1beta2', 'ResourceClaim', v('v1.36.3'))?.state, 'deprecated');
    assert.equal(apiVerdict('resource.k8s.io/v1beta2', 'ResourceClaim', v('v1.39.0'))?.state, 'removed');
    assert.equal(apiVerdict('apps/v1', 'Deployment', v('v1.36.3')), undefined);
    assert.equal(apiVerdict('v1', 'Pod', v('v1.36.3')), undefined);
    assert.ok(kindsToScan(v('v1.36.3')).some((r) => r.kind === 'Ingress' && r.group === 'extensions'));
  });

  it('reads apiVersion/kind/name from multi-document YAML (a Helm manifest) and JSON, opening Lists', () => {
    const objs = manifestObjects('---\n# Source: x/templates/a.yaml\napiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata:\n  name: a\n  namespace: n\n---\n# empty\n---\n{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"batch/v1beta1","kind":"CronJob","metadata":{"name":"c"}}]}\n');
    assert.deepEqual(objs, [{ apiVersion: 'policy/v1beta1', kind: 'PodDisruptionBudget', name: 'a', namespace: 'n' }, { apiVersion: 'batch/v1beta1', kind: 'CronJob', name: 'c' }]);
  });
});

describe('workspace YAML (Problems entry on the apiVersion line)', () => {
  it('finds the line of each removed or deprecated apiVersion, per document', () => {
    const text = '# a comment\napiVersion: apps/v1\nkind: Deployment\n---\nmetadata:\n  name: x\nkind: CronJob\napiVersion: batch/v1beta1\n---\napiVersion: resource.k8s.io/v1beta2\nkind: ResourceClaim\n';
    const f = manifestApiFindings(text, v('v1.36.3'));
    assert.deepEqual(f.map((x) => [x.line, x.apiVersion, x.kind, x.verdict.state]), [[7, 'batch/v1beta1', 'CronJob', 'removed'], [9, 'resource.k8s.io/v1beta2', 'ResourceClaim', 'deprecated']]);
  });
});

describe('support window table (kubernetes.io/releases)', () => {
  it('has release and end-of-life dates per minor, in order, and the changelog link', () => {
    assert.deepEqual(supportOf(v('v1.35.4')), { minor: '1.35', released: '2025-12-17', maintenanceFrom: '2026-12-28', endOfLife: '2027-02-28' });
    assert.equal(supportOf(v('v1.36.0'))!.endOfLife, '2027-06-28');
    assert.equal(supportOf(v('v1.20.0')), undefined);
    for (let i = 1; i < SUPPORT_WINDOW.length; i++) assert.ok(SUPPORT_WINDOW[i - 1]!.endOfLife < SUPPORT_WINDOW[i]!.endOfLife);
    assert.equal(changelogUrl(v('v1.36.3')), 'https://github.com/kubernetes/kubernetes/blob/master/CHANGELOG/CHANGELOG-1.36.md#urgent-upgrade-notes');
  });
});

describe('add-on compatibility table', () => {
  const calico = ADDON_TABLES.find((t) => t.name === 'calico')!;
  const cilium = ADDON_TABLES.find((t) => t.name === 'cilium')!;
  it('every row carries its source', () => {
    for (const t of ADDON_TABLES) for (const r of t.rows) assert.match(r.source, /^https:\/\//, `${t.name} ${r.release}`);
  });
  it('reads the add-on minor from the image tag', () => {
    assert.equal(addonMinor('docker.io/calico/node:v3.29.1'), '3.29');
    assert.equal(addonMinor('quay.io/cilium/cilium:v1.19.3@sha256:abc'), '1.19');
    assert.equal(addonMinor('quay.io/calico/node@sha256:abc'), undefined);
    assert.equal(addonMinor('calico/node:latest'), undefined);
  });
  it('supported, unsupported (also for a release older than every row), or unknown — never guessed', () => {
    assert.equal(addonVerdict(calico, '3.32', '1.36').state, 'supported');
    assert.equal(addonVerdict(calico, '3.29', '1.36').state, 'unsupported');
    const old = addonVerdict(calico, '3.20', '1.36');
    assert.equal(old.state, 'unsupported');
    assert.match(old.why, /older than calico 3\.29, which is documented only up to Kubernetes 1\.32/);
    assert.equal(addonVerdict(calico, '3.30', '1.36').state, 'unknown');
    assert.equal(addonVerdict(calico, '3.20', '1.30').state, 'unknown');
    assert.equal(addonVerdict(cilium, '1.19', '1.35').state, 'supported');
    assert.equal(addonVerdict(cilium, '1.15', '1.36').state, 'unsupported');
  });
});

describe('parsers', () => {
  it('resource quantities', () => {
    assert.equal(parseQuantity('3'), 3);
    assert.equal(parseQuantity('500m'), 0.5);
    assert.equal(parseQuantity('16272184Ki'), 16272184 * 1024);
    assert.equal(parseQuantity('128Mi'), 128 * 2 ** 20);
    assert.equal(parseQuantity('1G'), 1e9);
    assert.equal(parseQuantity('1e3'), 1000);
    assert.ok(Number.isNaN(parseQuantity('lots')));
  });
  it('kubelet swap settings from KubeletConfiguration YAML', () => {
    assert.deepEqual(kubeletSwapConfig('apiVersion: kubelet.config.k8s.io/v1beta1\nfailSwapOn: false\nmemorySwap:\n  swapBehavior: LimitedSwap\n'), { failSwapOn: false, swapBehavior: 'LimitedSwap' });
    assert.deepEqual(kubeletSwapConfig('cgroupDriver: systemd\n'), {});
  });
});
