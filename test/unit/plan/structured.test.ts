// -o json / -o yaml beyond the fixtures: several objects or documents, noise around them, odd values.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { parsePlan, planTargets } from '../../../src/core/plan';
import { fixture, rows, withoutFormat } from './helpers';

// v1alpha2 prints one UpgradePlan per available upgrade (kubeadm 1.21-1.29), keys sorted in YAML.
function v1alpha2Yaml(kubelet: string, target: string): string {
  return [
    'apiVersion: output.kubeadm.k8s.io/v1alpha2',
    'components:',
    `- currentVersion: ${kubelet}`,
    '  name: kubelet',
    `  newVersion: ${target}`,
    '- currentVersion: v1.28.2',
    '  name: kube-apiserver',
    `  newVersion: ${target}`,
    '- currentVersion: v1.28.2',
    '  name: kube-proxy',
    `  newVersion: ${target}`,
    '- currentVersion: 3.5.9-0',
    '  name: etcd',
    '  newVersion: 3.5.10-0',
    'configVersions:',
    '- currentVersion: v1alpha1',
    '  group: kubeproxy.config.k8s.io',
    '  manualUpgradeRequired: false',
    '  preferredVersion: v1alpha1',
    'kind: UpgradePlan',
    '',
  ].join('\n');
}

function v1alpha2Json(target: string): string {
  return JSON.stringify(
    {
      kind: 'UpgradePlan',
      apiVersion: 'output.kubeadm.k8s.io/v1alpha2',
      components: [
        { name: 'kubelet', currentVersion: '2 x v1.28.0', newVersion: target },
        { name: 'kube-apiserver', currentVersion: 'v1.28.2', newVersion: target },
      ],
      configVersions: null,
    },
    null,
    4,
  );
}

describe('parsePlan: structured output', () => {
  it('reads a YAML stream with two documents, one per available upgrade', () => {
    const text = `${v1alpha2Yaml('3 x v1.28.0', 'v1.28.9')}---\n${v1alpha2Yaml('3 x v1.28.0', 'v1.29.4')}`;
    const plan = parsePlan(text);
    assert.equal(plan.format, 'yaml');
    assert.equal(plan.upToDate, false);
    assert.equal(plan.clusterVersion, 'v1.28.2');
    assert.deepEqual(planTargets(plan), ['v1.28.9', 'v1.29.4']);
    assert.deepEqual(rows(plan.availableUpgrades[1]!), [
      ['kubelet', null, 3, 'v1.28.0', 'v1.29.4'],
      ['kube-apiserver', null, null, 'v1.28.2', 'v1.29.4'],
      ['kube-proxy', null, null, 'v1.28.2', 'v1.29.4'],
      ['etcd', null, null, '3.5.9-0', '3.5.10-0'],
    ]);
    assert.equal(plan.availableUpgrades[1]!.applyCommand, 'kubeadm upgrade apply v1.29.4');
    // The same config list comes with every document; it is listed once.
    assert.deepEqual(plan.configVersions, [
      { group: 'kubeproxy.config.k8s.io', current: 'v1alpha1', preferred: 'v1alpha1', manualUpgradeRequired: false },
    ]);
    assert.deepEqual(plan.unparsed, []);
  });

  it('reads two YAML documents pasted back to back without ---', () => {
    const separated = parsePlan(`${v1alpha2Yaml('1 x v1.28.0', 'v1.28.9')}---\n${v1alpha2Yaml('1 x v1.28.0', 'v1.29.4')}`);
    const glued = parsePlan(`${v1alpha2Yaml('1 x v1.28.0', 'v1.28.9')}${v1alpha2Yaml('1 x v1.28.0', 'v1.29.4')}`);
    assert.deepEqual(glued, separated);
  });

  it('reads concatenated JSON objects (not an array), with progress and klog lines around them', () => {
    const text = [
      '[upgrade/versions] Cluster version: v1.28.2',
      '[upgrade/versions] kubeadm version: v1.29.4',
      v1alpha2Json('v1.28.9'),
      'I0325 17:11:09.044585    7977 version.go:261] remote version is much newer',
      v1alpha2Json('v1.29.4'),
      '',
    ].join('\n');
    const plan = parsePlan(text);
    assert.equal(plan.format, 'json');
    assert.equal(plan.kubeadmVersion, 'v1.29.4');
    assert.deepEqual(planTargets(plan), ['v1.28.9', 'v1.29.4']);
    assert.deepEqual(rows(plan.availableUpgrades[0]!)[0], ['kubelet', null, 2, 'v1.28.0', 'v1.28.9']);
    assert.deepEqual(plan.unparsed, []);
  });

  it('also reads an array of plans, and compact one-line JSON', () => {
    const one = JSON.parse(v1alpha2Json('v1.28.9')) as unknown;
    const two = JSON.parse(v1alpha2Json('v1.29.4')) as unknown;
    const plan = parsePlan(JSON.stringify([one, two]));
    assert.deepEqual(planTargets(plan), ['v1.28.9', 'v1.29.4']);
    assert.deepEqual(parsePlan(`${JSON.stringify(one)}${JSON.stringify(two)}`).availableUpgrades, plan.availableUpgrades);
  });

  it('derives the apply flags kubeadm would print for pre-release targets', () => {
    const plan = JSON.parse(fixture('F05_k8s-plan_test_v1alpha3.json')) as {
      availableUpgrades: { components: { newVersion: string }[] }[];
    };
    const withTarget = (v: string): string => {
      for (const c of plan.availableUpgrades[0]!.components) c.newVersion = v;
      return JSON.stringify(plan);
    };
    assert.equal(
      parsePlan(withTarget('v1.19.0-rc.1')).availableUpgrades[0]!.applyCommand,
      'kubeadm upgrade apply v1.19.0-rc.1 --allow-release-candidate-upgrades',
    );
    assert.equal(
      parsePlan(withTarget('v1.19.0-beta.1')).availableUpgrades[0]!.applyCommand,
      'kubeadm upgrade apply v1.19.0-beta.1 --allow-experimental-upgrades',
    );
  });

  it('reads an UpgradePlan without available upgrades as up to date', () => {
    const plan = parsePlan('{"kind":"UpgradePlan","apiVersion":"output.kubeadm.k8s.io/v1alpha3","availableUpgrades":null,"configVersions":[{"group":"kubelet.config.k8s.io","currentVersion":"","preferredVersion":"v1beta1","manualUpgradeRequired":true}]}');
    assert.equal(plan.format, 'json');
    assert.equal(plan.upToDate, true);
    assert.deepEqual(plan.configVersions, [
      { group: 'kubelet.config.k8s.io', current: '-', preferred: 'v1beta1', manualUpgradeRequired: true },
    ]);
  });

  it('reads YAML with kubeadm progress before it and an error line after it', () => {
    const text = [
      '[upgrade/config] Reading configuration from the cluster...',
      '[upgrade/versions] Cluster version: v1.8.1',
      fixture('F06_k8s-plan_test_v1alpha3.yaml').trimEnd(),
      'E0325 17:11:09.044585    7977 request.go:1] something went wrong',
      'To see the stack trace of this error execute with --v=5 or higher',
      '',
    ].join('\n');
    const plan = parsePlan(text);
    assert.equal(plan.format, 'yaml');
    assert.deepEqual(plan.availableUpgrades, parsePlan(fixture('F06_k8s-plan_test_v1alpha3.yaml')).availableUpgrades);
    assert.deepEqual(plan.unparsed, []);
    assert.deepEqual(plan.diagnostics.map((d) => d.severity), ['warning']);
  });

  it('keeps YAML versions as strings (1.10 is not the number 1.1)', () => {
    const yaml = fixture('F06_k8s-plan_test_v1alpha3.yaml').replace('currentVersion: 1.14.5', 'currentVersion: 1.10');
    const dns = parsePlan(yaml).availableUpgrades[0]!.components.find((c) => c.name === 'CoreDNS')!;
    assert.equal(dns.current, '1.10');
  });

  it('puts malformed entries into unparsed and keeps the rest', () => {
    const text = JSON.stringify({
      kind: 'UpgradePlan',
      availableUpgrades: [
        {
          description: 'stable version',
          components: [{ name: 'kube-apiserver', currentVersion: 'v1.30.1', newVersion: 'v1.31.0', nodeName: 'cp1' }, 42, { foo: 1 }],
        },
      ],
    });
    const plan = parsePlan(text);
    assert.equal(plan.availableUpgrades[0]!.description, 'Upgrade to the latest stable version');
    assert.deepEqual(rows(plan.availableUpgrades[0]!), [['kube-apiserver', 'cp1', null, 'v1.30.1', 'v1.31.0']]);
    assert.deepEqual(plan.unparsed, ['42', '{"foo":1}']);
  });

  it('falls back to text when JSON is cut off, without throwing', () => {
    const json = fixture('F05_k8s-plan_test_v1alpha3.json');
    const plan = parsePlan(json.slice(0, json.length / 2));
    assert.equal(plan.format, 'text');
    assert.equal(plan.upToDate, false);
    assert.deepEqual(plan.availableUpgrades, []);
    assert.ok(plan.unparsed.length > 0);
  });

  it('reads JSON with CRLF endings like LF', () => {
    const json = fixture('F05_k8s-plan_test_v1alpha3.json');
    assert.deepEqual(withoutFormat(parsePlan(json.replace(/\n/g, '\r\n'))), withoutFormat(parsePlan(json)));
  });
});
