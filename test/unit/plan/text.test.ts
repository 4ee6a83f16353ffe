// Hand-written text inputs: edge cases around the fixtures, older and newer kubeadm layouts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { parsePlan } from '../../../src/core/plan';
import { fixture, rows } from './helpers';

const F01 = fixture('F01_k8s-plan_test_v1alpha3_patch.txt');
const F02 = fixture('F02_k8s-plan_test_v1alpha3_patch_and_minor.txt');
const F10 = fixture('F10_real_kubeadm-1.31.7_plan_per-node.txt');

describe('parsePlan: empty and noise', () => {
  it('reads empty input as "nothing to upgrade"', () => {
    for (const input of ['', '\n', '  \n\t\n', '\r\n\r\n']) {
      const plan = parsePlan(input);
      assert.equal(plan.format, 'empty');
      assert.equal(plan.upToDate, true);
      assert.deepEqual(plan.availableUpgrades, []);
      assert.deepEqual(plan.configVersions, []);
      assert.deepEqual(plan.unparsed, []);
      assert.deepEqual(plan.diagnostics, []);
      assert.equal(plan.clusterVersion, null);
      assert.equal(plan.kubeadmVersion, null);
    }
  });

  it('treats output that is only klog noise like empty output', () => {
    const plan = parsePlan(
      [
        'I0325 17:11:09.044585    7977 version.go:261] remote version is much newer: v1.32.3; falling back to: stable-1.31',
        'W0805 16:38:33.520654   67882 configset.go:177] error unmarshaling configuration schema.GroupVersionKind{Group:"kubelet.config.k8s.io"}',
        '',
      ].join('\n'),
    );
    assert.equal(plan.format, 'empty');
    assert.equal(plan.upToDate, true);
    assert.deepEqual(plan.unparsed, []);
    assert.deepEqual(plan.diagnostics, []);
  });

  it('keeps klog error lines as warnings, not as unparsed text', () => {
    const plan = parsePlan('E0325 17:11:09.044585    7977 round_trippers.go:1] dial tcp 10.0.0.1:6443: connect: connection refused\n');
    assert.equal(plan.format, 'empty');
    assert.deepEqual(plan.unparsed, []);
    assert.equal(plan.diagnostics.length, 1);
    assert.equal(plan.diagnostics[0]!.severity, 'warning');
    assert.match(plan.diagnostics[0]!.fix, /API server/);
  });

  it('ignores klog lines in the middle of a table', () => {
    const klog = 'I0325 17:11:09.044585    7977 version.go:261] something';
    const noisy = F10.replace('kube-proxy   ', `${klog}\nkube-proxy   `);
    assert.deepEqual(parsePlan(noisy), parsePlan(F10));
  });

  it('puts garbage into unparsed without throwing', () => {
    const garbage = '\u0000\u0001\u0002PK\u0003\u0004\n\uFFFD\uFFFD\u0007ELF\u0002\u0001\n  \u001b[31mred\u001b[0m  \n{not json\n]]]][[[\n';
    const plan = parsePlan(garbage);
    assert.equal(plan.format, 'text');
    assert.equal(plan.upToDate, false);
    assert.deepEqual(plan.availableUpgrades, []);
    assert.ok(plan.unparsed.length >= 3);
    assert.ok(plan.unparsed.includes('red'), 'colour codes are stripped');
    for (const line of plan.unparsed) assert.equal(line, line.trim());
  });

  it('never throws, on random input or on non-strings', () => {
    let seed = 42;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    const alphabet = 'abcXYZ019 .:-_\t\n\r{}[]"\'/\\x|\u0000\u00e9\u4e2d';
    for (let n = 0; n < 300; n++) {
      let s = '';
      const len = next() % 200;
      for (let i = 0; i < len; i++) s += alphabet[next() % alphabet.length];
      const plan = parsePlan(s);
      for (const line of plan.unparsed) assert.ok(line !== '' && line === line.trim());
    }
    for (const bad of [undefined, null, 42, {}, []]) {
      assert.doesNotThrow(() => parsePlan(bad as unknown as string));
    }
  });

  it('reads pathological lines (200,000 blanks, 100,000 underscores) without throwing; they stay unparsed', () => {
    // How fast this is (no quadratic regexes) is measured in bench/, not asserted against a clock here.
    const blanks = ' '.repeat(200_000);
    const plan = parsePlan(`COMPONENT   NODE   CURRENT   TARGET\nkubelet${blanks}x\n[upgrade]${blanks}y\n${'_'.repeat(100_000)}z\n`);
    assert.ok(plan.unparsed.some((l) => l.startsWith('_') && l.endsWith('z')), 'the underscore line is reported as unparsed');
  });
});

describe('parsePlan: layout variations', () => {
  it('reads CRLF line endings like LF', () => {
    assert.deepEqual(parsePlan(F02.replace(/\n/g, '\r\n')), parsePlan(F02));
  });

  it('reads an apply command whose TAB was expanded to spaces', () => {
    const expanded = F01.replace('\tkubeadm upgrade apply', '        kubeadm upgrade apply');
    assert.notEqual(expanded, F01);
    assert.deepEqual(parsePlan(expanded), parsePlan(F01));
  });

  it('keeps extra flags of the apply command and takes the version from it', () => {
    const rc = F01.replace(/v1\.18\.4/g, 'v1.19.0-rc.1').replace(
      'kubeadm upgrade apply v1.19.0-rc.1',
      'kubeadm upgrade apply v1.19.0-rc.1 --allow-release-candidate-upgrades',
    );
    const u = parsePlan(rc).availableUpgrades[0]!;
    assert.equal(u.applyCommand, 'kubeadm upgrade apply v1.19.0-rc.1 --allow-release-candidate-upgrades');
    assert.equal(u.targetVersion, 'v1.19.0-rc.1');
  });

  it('reads a table whose rows are re-indented as a whole (pasted into a document)', () => {
    const indented = F10.split('\n').map((l) => (l ? `    ${l}` : l)).join('\n');
    assert.deepEqual(parsePlan(indented), parsePlan(F10));
  });

  it('still places cells when a row is out of line with its header', () => {
    const text = [
      'COMPONENT   NODE      CURRENT   TARGET',
      'kubelet     node1     v1.29.3   v1.30.1',
      'kubelet  node2     v1.29.3   v1.30.1', // hand-edited: two spaces short
      '',
    ].join('\n');
    const plan = parsePlan(text);
    assert.deepEqual(rows(plan.availableUpgrades[0]!), [
      ['kubelet', 'node1', null, 'v1.29.3', 'v1.30.1'],
      ['kubelet', 'node2', null, 'v1.29.3', 'v1.30.1'],
    ]);
  });

  it('reads rows squeezed narrower than their header, empty NODE cell included', () => {
    const text = [
      'COMPONENT                 NODE      CURRENT    TARGET',
      'kube-scheduler   master   v1.31.1   v1.31.7',
      'kube-proxy   1.31.1   v1.31.7',
      '',
    ].join('\n');
    assert.deepEqual(rows(parsePlan(text).availableUpgrades[0]!), [
      ['kube-scheduler', 'master', null, 'v1.31.1', 'v1.31.7'],
      ['kube-proxy', null, null, '1.31.1', 'v1.31.7'],
    ]);
  });

  it('recognises versions printed without the leading v', () => {
    const plan = parsePlan(
      [
        '[upgrade/versions] Cluster version: 1.30.4',
        '[upgrade/versions] kubeadm version: 1.31.0',
        '',
        'Upgrade to the latest stable version:',
        '',
        'COMPONENT                 NODE      CURRENT   TARGET',
        'kube-apiserver            cp1       1.30.4    1.31.0',
        'kube-proxy                          1.30.4    1.31.0',
        '',
      ].join('\n'),
    );
    assert.equal(plan.clusterVersion, 'v1.30.4');
    assert.equal(plan.kubeadmVersion, 'v1.31.0');
    const u = plan.availableUpgrades[0]!;
    assert.equal(u.targetVersion, 'v1.31.0', 'read from the kube-apiserver row when no command is printed');
    assert.deepEqual(rows(u)[1], ['kube-proxy', null, null, '1.30.4', '1.31.0']);
  });

  it('reads several kubelet versions in the count format, including the continuation row', () => {
    // kubeadm 1.9's golden output (plan_test.go): display names, AVAILABLE column, empty COMPONENT cell.
    const text = [
      "Components that must be upgraded manually after you have upgraded the control plane with 'kubeadm upgrade apply':",
      'COMPONENT   CURRENT      AVAILABLE',
      'Kubelet     1 x v1.9.2   v1.9.3',
      '            2 x v1.9.3   v1.9.3',
      '',
      'Upgrade to the latest version in the v1.9 series:',
      '',
      'COMPONENT            CURRENT   AVAILABLE',
      'API Server           v1.9.2    v1.9.3',
      'Controller Manager   v1.9.2    v1.9.3',
      'Scheduler            v1.9.2    v1.9.3',
      'Kube Proxy           v1.9.2    v1.9.3',
      'Kube DNS             1.14.5    1.14.8',
      'Etcd                 3.0.17    3.1.12',
      '',
      'You can now apply the upgrade by executing the following command:',
      '',
      '\tkubeadm upgrade apply v1.9.3',
      '',
      'Note: Before you do can perform this upgrade, you have to update kubeadm to v1.9.3',
      '',
      '_____________________________________________________________________',
      '',
    ].join('\n');
    const plan = parsePlan(text);
    assert.deepEqual(plan.unparsed, []);
    const u = plan.availableUpgrades[0]!;
    assert.equal(u.targetVersion, 'v1.9.3');
    assert.equal(u.note, 'Before you do can perform this upgrade, you have to update kubeadm to v1.9.3');
    assert.deepEqual(rows(u), [
      ['kubelet', null, 1, 'v1.9.2', 'v1.9.3'],
      ['kubelet', null, 2, 'v1.9.3', 'v1.9.3'],
      ['kube-apiserver', null, null, 'v1.9.2', 'v1.9.3'],
      ['kube-controller-manager', null, null, 'v1.9.2', 'v1.9.3'],
      ['kube-scheduler', null, null, 'v1.9.2', 'v1.9.3'],
      ['kube-proxy', null, null, 'v1.9.2', 'v1.9.3'],
      ['kube-dns', null, null, '1.14.5', '1.14.8'],
      ['etcd', null, null, '3.0.17', '3.1.12'],
    ]);
  });

  it('reads the external-etcd block of kubeadm 1.11 into the same upgrade', () => {
    const text = [
      "External components that should be upgraded manually before you upgrade the control plane with 'kubeadm upgrade apply':",
      'COMPONENT   CURRENT   AVAILABLE',
      'Etcd        3.1.12    3.2.18',
      '',
      'Upgrade to the latest stable version:',
      '',
      'COMPONENT            CURRENT   AVAILABLE',
      'API Server           v1.10.3   v1.11.0',
      '',
      'You can now apply the upgrade by executing the following command:',
      '',
      '\tkubeadm upgrade apply v1.11.0',
      '',
      '_____________________________________________________________________',
    ].join('\n');
    const plan = parsePlan(text);
    assert.equal(plan.availableUpgrades.length, 1);
    assert.deepEqual(rows(plan.availableUpgrades[0]!), [
      ['etcd', null, null, '3.1.12', '3.2.18'],
      ['kube-apiserver', null, null, 'v1.10.3', 'v1.11.0'],
    ]);
  });

  it('reads the config table with "-" and "yes" cells', () => {
    const text = [
      'API GROUP                 CURRENT VERSION   PREFERRED VERSION   MANUAL UPGRADE REQUIRED',
      'kubeproxy.config.k8s.io   v1alpha0          v1alpha1            yes',
      'kubelet.config.k8s.io     -                 v1beta1             no',
      '_____________________________________________________________________',
    ].join('\n');
    const plan = parsePlan(text);
    assert.deepEqual(plan.configVersions, [
      { group: 'kubeproxy.config.k8s.io', current: 'v1alpha0', preferred: 'v1alpha1', manualUpgradeRequired: true },
      { group: 'kubelet.config.k8s.io', current: '-', preferred: 'v1beta1', manualUpgradeRequired: false },
    ]);
    assert.deepEqual(plan.unparsed, []);
  });

  it('splits blocks even when the separator line was lost', () => {
    const noSeparators = F02.split('\n').filter((l) => !/^_+$/.test(l)).join('\n');
    const plan = parsePlan(noSeparators);
    assert.deepEqual(
      plan.availableUpgrades.map((u) => u.targetVersion),
      ['v1.18.5', 'v1.19.0'],
    );
    assert.deepEqual(plan.availableUpgrades.map((u) => u.components.length), [7, 7]);
  });
});

describe('parsePlan: a plan pasted inside other text', () => {
  it('takes only the real blocks, not commands or prose that mention kubeadm upgrade apply', () => {
    // As in the field notebook the S00 fixture comes from: a shell prompt, fences, and later notes.
    const s00 = fixture('S00_seed-notebook_kubeadm-1.21.14_plan_count-format_tab-expanded.txt');
    const text = [
      '```shell',
      '[root@k8s-master-1 ~]# kubeadm upgrade plan',
      s00.trimEnd(),
      '```',
      '',
      '选择要升级到的目标版本',
      '',
      '```shell',
      'kubeadm upgrade apply v1.21.14',
      '```',
      '',
      'kubeadm upgrade apply 做了以下工作：',
      '',
    ].join('\n');
    const plan = parsePlan(text);
    assert.deepEqual(plan.availableUpgrades, parsePlan(s00).availableUpgrades);
    assert.deepEqual(plan.unparsed, [
      '```shell',
      '[root@k8s-master-1 ~]# kubeadm upgrade plan',
      '```',
      '选择要升级到的目标版本',
      '```shell',
      'kubeadm upgrade apply v1.21.14',
      '```',
      'kubeadm upgrade apply 做了以下工作：',
    ]);
  });

  it('reads a paste that starts at the apply instructions', () => {
    const f10 = fixture('F10_real_kubeadm-1.31.7_plan_per-node.txt');
    const tail = f10.slice(f10.indexOf('You can now apply'));
    const plan = parsePlan(tail);
    assert.equal(plan.availableUpgrades.length, 1);
    assert.equal(plan.availableUpgrades[0]!.targetVersion, 'v1.31.7');
    assert.equal(plan.availableUpgrades[0]!.description, 'Upgrade to v1.31.7');
    assert.equal(plan.configVersions.length, 2);
    assert.deepEqual(plan.unparsed, []);
  });
});

describe('parsePlan: truncated output', () => {
  it('keeps what a table cut off mid-way had, and names the target from the versions lines', () => {
    const cut = F10.slice(0, F10.indexOf('kube-proxy'));
    const plan = parsePlan(cut);
    assert.equal(plan.upToDate, false);
    assert.equal(plan.availableUpgrades.length, 1);
    const u = plan.availableUpgrades[0]!;
    assert.equal(u.description, 'Upgrade to the latest version in the v1.31 series');
    assert.equal(u.targetVersion, 'v1.31.7', 'from "[upgrade/versions] Latest version in the v1.31 series"');
    assert.equal(u.applyCommand, null);
    assert.deepEqual(
      u.components.map((c) => `${c.name}@${c.node}`),
      ['kubelet@master', 'kubelet@worker', 'kube-apiserver@master', 'kube-controller-manager@master', 'kube-scheduler@master'],
    );
    assert.deepEqual(plan.unparsed, []);
  });

  it('keeps a row cut in its last cell, with a null target', () => {
    const cut = F10.slice(0, F10.indexOf('3.5.15-0   3.5.15-0') + '3.5.15-0'.length);
    const u = parsePlan(cut).availableUpgrades[0]!;
    assert.deepEqual(rows(u).at(-1), ['etcd', 'master', null, '3.5.15-0', null]);
  });

  it('puts a row cut before its versions into unparsed', () => {
    const cut = F10.slice(0, F10.indexOf('kube-scheduler') + 'kube-sch'.length);
    const plan = parsePlan(cut);
    assert.deepEqual(plan.unparsed, ['kube-sch']);
    assert.equal(plan.availableUpgrades[0]!.components.length, 4);
  });

  it('never throws and keeps unparsed trimmed for every prefix of the fixtures', () => {
    for (const text of [F01, F02, F10, fixture('F05_k8s-plan_test_v1alpha3.json'), fixture('F06_k8s-plan_test_v1alpha3.yaml')]) {
      for (let n = 0; n <= text.length; n += 7) {
        const plan = parsePlan(text.slice(0, n));
        for (const line of plan.unparsed) assert.ok(line !== '' && line === line.trim());
        for (const u of plan.availableUpgrades) assert.ok(u.targetVersion === null || /^v\d/.test(u.targetVersion));
      }
    }
  });
});

describe('parsePlan: up to date', () => {
  it('reads recent kubeadm output without tables as up to date', () => {
    // kubeadm >= 1.20 prints only its progress when nothing can be upgraded.
    const text = [
      '[preflight] Running pre-flight checks.',
      '[upgrade/config] Reading configuration from the cluster...',
      "[upgrade/config] FYI: You can look at this config file with 'kubectl -n kube-system get cm kubeadm-config -o yaml'",
      '[upgrade] Running cluster health checks',
      '[upgrade] Fetching available versions to upgrade to',
      '[upgrade/versions] Cluster version: v1.31.7',
      '[upgrade/versions] kubeadm version: v1.31.7',
      '[upgrade/versions] Target version: v1.31.7',
      '[upgrade/versions] Latest version in the v1.31 series: v1.31.7',
      '',
    ].join('\n');
    const plan = parsePlan(text);
    assert.equal(plan.format, 'text');
    assert.equal(plan.upToDate, true);
    assert.equal(plan.clusterVersion, 'v1.31.7');
    assert.deepEqual(plan.unparsed, []);
  });

  it("reads kubeadm's old \"Awesome, you're up-to-date!\" line", () => {
    const plan = parsePlan("[upgrade/versions] Cluster version: v1.9.3\nAwesome, you're up-to-date! Enjoy!\n");
    assert.equal(plan.upToDate, true);
    assert.deepEqual(plan.unparsed, []);
  });

  it('does not call output up to date when it stops after kubeadm announced a newer version', () => {
    // F10 cut right before its tables: kubeadm said v1.31.7 exists for a v1.31.1 cluster.
    const f10 = fixture('F10_real_kubeadm-1.31.7_plan_per-node.txt');
    const plan = parsePlan(f10.slice(0, f10.indexOf('Components that must')));
    assert.equal(plan.upToDate, false);
    assert.deepEqual(plan.diagnostics.map((d) => d.severity), ['warning']);
    assert.match(plan.diagnostics[0]!.fix, /cut off/);
    assert.deepEqual(plan.unparsed, []);
  });

  it('does not call output up to date when kubeadm stopped before looking for versions', () => {
    const plan = parsePlan('[preflight] Running pre-flight checks.\n[upgrade/config] Reading configuration from the cluster...\n');
    assert.equal(plan.upToDate, false);
  });
});
