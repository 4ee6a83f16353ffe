// One case per fixture in test/fixtures/kubeadm: the parsed model, value by value.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';

import { parsePlan, planTargets, type ParsedPlan } from '../../../src/core/plan';
import { FIXTURES, fixture, rows, withoutFormat, type Row } from './helpers';

interface ExpectedUpgrade {
  description: string;
  targetVersion: string | null;
  applyCommand: string | null;
  note: string | null;
  rows: Row[];
}

interface Expected {
  format: ParsedPlan['format'];
  clusterVersion: string | null;
  kubeadmVersion: string | null;
  upToDate: boolean;
  targets: string[];
  upgrades: ExpectedUpgrade[];
  configVersions: ParsedPlan['configVersions'];
  unparsed: string[];
  diagnostics: { severity: 'error' | 'warning'; match: RegExp }[];
}

// The component-config table of every kubeadm >= 1.19 text plan in the fixtures.
const STANDARD_CONFIGS = [
  { group: 'kubeproxy.config.k8s.io', current: 'v1alpha1', preferred: 'v1alpha1', manualUpgradeRequired: false },
  { group: 'kubelet.config.k8s.io', current: 'v1beta1', preferred: 'v1beta1', manualUpgradeRequired: false },
];

const NOTE = (v: string): string => `Before you can perform this upgrade, you have to update kubeadm to ${v}.`;

// kubeadm's own golden output for v1alpha3 (-o json / -o yaml): same data in both.
const V1ALPHA3_STRUCTURED: Omit<Expected, 'format'> = {
  clusterVersion: 'v1.8.1',
  kubeadmVersion: 'v1.8.2',
  upToDate: false,
  targets: ['v1.8.3'],
  upgrades: [
    {
      description: 'Upgrade to the latest version in the v1.8 series',
      targetVersion: 'v1.8.3',
      applyCommand: 'kubeadm upgrade apply v1.8.3',
      note: NOTE('v1.8.3'),
      rows: [
        ['kubelet', 'node1', null, 'v1.8.1', 'v1.8.3'],
        ['kube-apiserver', 'node1', null, 'v1.8.1', 'v1.8.3'],
        ['kube-controller-manager', 'node1', null, 'v1.8.1', 'v1.8.3'],
        ['kube-scheduler', 'node1', null, 'v1.8.1', 'v1.8.3'],
        ['kube-proxy', null, null, 'v1.8.1', 'v1.8.3'],
        ['CoreDNS', null, null, '1.14.5', '1.14.5'],
        ['etcd', 'node1', null, '3.0.17', '3.0.17'],
      ],
    },
  ],
  configVersions: STANDARD_CONFIGS,
  unparsed: [],
  diagnostics: [],
};

const COUNT_FORMAT_V18_ROWS: Row[] = [
  ['kubelet', null, 1, 'v1.8.1', 'v1.8.3'],
  ['kube-apiserver', null, null, 'v1.8.1', 'v1.8.3'],
  ['kube-controller-manager', null, null, 'v1.8.1', 'v1.8.3'],
  ['kube-scheduler', null, null, 'v1.8.1', 'v1.8.3'],
  ['kube-proxy', null, null, 'v1.8.1', 'v1.8.3'],
  ['CoreDNS', null, null, '1.14.5', '1.14.5'],
  ['etcd', null, null, '3.0.17', '3.0.17'],
];

function perNode(kubelet: string, target: string, dns: [string, string], etcd: [string, string]): Row[] {
  return [
    ['kubelet', 'node1', null, kubelet, target],
    ['kube-apiserver', 'node1', null, kubelet, target],
    ['kube-controller-manager', 'node1', null, kubelet, target],
    ['kube-scheduler', 'node1', null, kubelet, target],
    ['kube-proxy', null, null, kubelet, target],
    ['CoreDNS', null, null, ...dns],
    ['etcd', 'node1', null, ...etcd],
  ];
}

function countFormat120(target: string): Row[] {
  return [
    ['kubelet', null, 5, 'v1.20.0', target],
    ['kube-apiserver', null, null, 'v1.20.0', target],
    ['kube-controller-manager', null, null, 'v1.20.0', target],
    ['kube-scheduler', null, null, 'v1.20.0', target],
    ['kube-proxy', null, null, 'v1.20.0', target],
    ['CoreDNS', null, null, '1.7.0', 'v1.8.0'],
    ['etcd', null, null, '3.4.13-0', '3.4.13-0'],
  ];
}

const NO_PLAN: Omit<Expected, 'unparsed' | 'diagnostics'> = {
  format: 'text',
  clusterVersion: null,
  kubeadmVersion: null,
  upToDate: false,
  targets: [],
  upgrades: [],
  configVersions: [],
};

const EXPECTED: Record<string, Expected> = {
  'F01_k8s-plan_test_v1alpha3_patch.txt': {
    format: 'text',
    clusterVersion: null,
    kubeadmVersion: null,
    upToDate: false,
    targets: ['v1.18.4'],
    upgrades: [
      {
        description: 'Upgrade to the latest version in the v1.18 series',
        targetVersion: 'v1.18.4',
        applyCommand: 'kubeadm upgrade apply v1.18.4',
        note: NOTE('v1.18.4'),
        rows: perNode('v1.18.1', 'v1.18.4', ['1.6.7', '1.6.7'], ['3.4.3-0', '3.4.3-0']),
      },
    ],
    configVersions: STANDARD_CONFIGS,
    unparsed: [],
    diagnostics: [],
  },
  'F02_k8s-plan_test_v1alpha3_patch_and_minor.txt': {
    format: 'text',
    clusterVersion: null,
    kubeadmVersion: null,
    upToDate: false,
    targets: ['v1.18.5', 'v1.19.0'],
    upgrades: [
      {
        description: 'Upgrade to the latest version in the v1.18 series',
        targetVersion: 'v1.18.5',
        applyCommand: 'kubeadm upgrade apply v1.18.5',
        note: null,
        rows: perNode('v1.18.3', 'v1.18.5', ['1.6.7', '1.6.7'], ['3.4.3-0', '3.4.3-0']),
      },
      {
        description: 'Upgrade to the latest stable version',
        targetVersion: 'v1.19.0',
        applyCommand: 'kubeadm upgrade apply v1.19.0',
        note: NOTE('v1.19.0'),
        rows: perNode('v1.18.3', 'v1.19.0', ['1.6.7', '1.7.0'], ['3.4.3-0', '3.4.7-0']),
      },
    ],
    configVersions: STANDARD_CONFIGS,
    unparsed: [],
    diagnostics: [],
  },
  'F05_k8s-plan_test_v1alpha3.json': { format: 'json', ...V1ALPHA3_STRUCTURED },
  'F06_k8s-plan_test_v1alpha3.yaml': { format: 'yaml', ...V1ALPHA3_STRUCTURED },
  'F07_k8s-plan_test_v1alpha2_text.txt': {
    format: 'text',
    clusterVersion: null,
    kubeadmVersion: null,
    upToDate: false,
    targets: ['v1.8.3'],
    upgrades: [
      {
        description: 'Upgrade to the latest version in the v1.8 series',
        targetVersion: 'v1.8.3',
        applyCommand: 'kubeadm upgrade apply v1.8.3',
        note: NOTE('v1.8.3'),
        rows: COUNT_FORMAT_V18_ROWS,
      },
    ],
    configVersions: [],
    unparsed: [],
    diagnostics: [],
  },
  'F08_k8s-plan_test_v1alpha2.json': {
    format: 'json',
    // v1alpha2 has no kubeadm component (so no note) and no description.
    clusterVersion: 'v1.8.1',
    kubeadmVersion: null,
    upToDate: false,
    targets: ['v1.8.3'],
    upgrades: [
      {
        description: 'Upgrade to v1.8.3',
        targetVersion: 'v1.8.3',
        applyCommand: 'kubeadm upgrade apply v1.8.3',
        note: null,
        rows: COUNT_FORMAT_V18_ROWS,
      },
    ],
    configVersions: [],
    unparsed: [],
    diagnostics: [],
  },
  'F10_real_kubeadm-1.31.7_plan_per-node.txt': {
    format: 'text',
    clusterVersion: 'v1.31.1',
    kubeadmVersion: 'v1.31.7',
    upToDate: false,
    targets: ['v1.31.7'],
    upgrades: [
      {
        description: 'Upgrade to the latest version in the v1.31 series',
        targetVersion: 'v1.31.7',
        applyCommand: 'kubeadm upgrade apply v1.31.7',
        note: null,
        rows: [
          ['kubelet', 'master', null, 'v1.31.1', 'v1.31.7'],
          ['kubelet', 'worker', null, 'v1.31.1', 'v1.31.7'],
          ['kube-apiserver', 'master', null, 'v1.31.1', 'v1.31.7'],
          ['kube-controller-manager', 'master', null, 'v1.31.1', 'v1.31.7'],
          ['kube-scheduler', 'master', null, 'v1.31.1', 'v1.31.7'],
          // Printed without `v` by kubeadm 1.31.7: kept as printed.
          ['kube-proxy', null, null, '1.31.1', 'v1.31.7'],
          ['CoreDNS', null, null, 'v1.11.3', 'v1.11.3'],
          ['etcd', 'master', null, '3.5.15-0', '3.5.15-0'],
        ],
      },
    ],
    configVersions: STANDARD_CONFIGS,
    unparsed: [],
    diagnostics: [],
  },
  // Not plan outputs: parsing them must not invent upgrades, and kubeadm progress lines are not "unknown".
  'F20_real_kubeadm-1.31.7_apply_log.txt': {
    ...NO_PLAN,
    clusterVersion: 'v1.31.1',
    kubeadmVersion: 'v1.31.7',
    unparsed: [],
    diagnostics: [],
  },
  'F22_real_kubeadm-1.31.7_upgrade-node_worker.txt': { ...NO_PLAN, unparsed: [], diagnostics: [] },
  'F30_real_kubectl-drain_success.txt': {
    ...NO_PLAN,
    unparsed: [
      'node/master cordoned',
      'Warning: ignoring DaemonSet-managed Pods: kube-system/canal-v7w9v, kube-system/kube-proxy-r7rvm',
      'evicting pod kube-system/coredns-7c65d6cfc9-z2xs8',
      'evicting pod kube-system/calico-kube-controllers-94fb6bc47-4bfvm',
      'evicting pod kube-system/coredns-7c65d6cfc9-5ssqz',
      'pod/calico-kube-controllers-94fb6bc47-4bfvm evicted',
      'pod/coredns-7c65d6cfc9-5ssqz evicted',
      'pod/coredns-7c65d6cfc9-z2xs8 evicted',
      'node/master drained',
    ],
    diagnostics: [],
  },
  'F31_real_kubectl-drain_filter-errors.txt': {
    ...NO_PLAN,
    unparsed: [
      'node/worker already cordoned',
      'There are pending nodes to be drained:',
      'worker',
      'cannot delete cannot delete Pods that declare no controller (use --force to override): default/httpd, default/no-trust, default/trust',
      'cannot delete Pods with local storage (use --delete-emptydir-data to override): kubernetes-dashboard/kubernetes-dashboard-api-85567747f8-2txhk, kubernetes-dashboard/kubernetes-dashboard-auth-74bb6f5d65-cqbtx, kubernetes-dashboard/kubernetes-dashboard-kong-678c76c548-cvwxj, kubernetes-dashboard/kubernetes-dashboard-metrics-scraper-7d9658df44-8d2tq, kubernetes-dashboard/kubernetes-dashboard-web-66b75c6c7f-fdrf7, mydb/database-67c5bccd6c-lt5ln',
    ],
    diagnostics: [{ severity: 'error', match: /^error: unable to drain node "worker"/ }],
  },
  'S00_seed-notebook_kubeadm-1.21.14_plan_count-format_tab-expanded.txt': {
    format: 'text',
    clusterVersion: 'v1.20.0',
    kubeadmVersion: 'v1.21.14',
    upToDate: false,
    targets: ['v1.20.15', 'v1.21.14'],
    upgrades: [
      {
        description: 'Upgrade to the latest version in the v1.20 series',
        targetVersion: 'v1.20.15',
        applyCommand: 'kubeadm upgrade apply v1.20.15',
        note: null,
        rows: countFormat120('v1.20.15'),
      },
      {
        description: 'Upgrade to the latest stable version',
        targetVersion: 'v1.21.14',
        applyCommand: 'kubeadm upgrade apply v1.21.14',
        note: null,
        rows: countFormat120('v1.21.14'),
      },
    ],
    configVersions: STANDARD_CONFIGS,
    unparsed: [],
    diagnostics: [],
  },
};

describe('parsePlan on every fixture', () => {
  it('has an expectation for every fixture file (new fixtures must get one)', () => {
    const files = readdirSync(FIXTURES, { withFileTypes: true }).filter((d) => d.isFile() && d.name !== 'README.md').map((d) => d.name).sort();
    assert.deepEqual(files, Object.keys(EXPECTED).sort());
  });

  for (const [file, want] of Object.entries(EXPECTED)) {
    it(file, () => {
      const plan = parsePlan(fixture(file));
      assert.equal(plan.format, want.format);
      assert.equal(plan.clusterVersion, want.clusterVersion);
      assert.equal(plan.kubeadmVersion, want.kubeadmVersion);
      assert.equal(plan.upToDate, want.upToDate);
      assert.deepEqual(planTargets(plan), want.targets);
      assert.equal(plan.availableUpgrades.length, want.upgrades.length, 'number of available upgrades');
      want.upgrades.forEach((w, i) => {
        const got = plan.availableUpgrades[i]!;
        assert.equal(got.description, w.description);
        assert.equal(got.targetVersion, w.targetVersion);
        assert.equal(got.applyCommand, w.applyCommand);
        assert.equal(got.note, w.note);
        assert.deepEqual(rows(got), w.rows);
      });
      assert.deepEqual(plan.configVersions, want.configVersions);
      assert.deepEqual(plan.unparsed, want.unparsed);
      assert.equal(plan.diagnostics.length, want.diagnostics.length, JSON.stringify(plan.diagnostics));
      want.diagnostics.forEach((w, i) => {
        assert.equal(plan.diagnostics[i]!.severity, w.severity);
        assert.match(plan.diagnostics[i]!.message, w.match);
        assert.ok(plan.diagnostics[i]!.fix.length > 0);
      });
    });
  }

  it('reads the same v1alpha3 plan identically from -o json and -o yaml', () => {
    const json = parsePlan(fixture('F05_k8s-plan_test_v1alpha3.json'));
    const yaml = parsePlan(fixture('F06_k8s-plan_test_v1alpha3.yaml'));
    assert.deepEqual(withoutFormat(json), withoutFormat(yaml));
  });

  it('reads the same count-format components from v1alpha2 text and -o json', () => {
    const text = parsePlan(fixture('F07_k8s-plan_test_v1alpha2_text.txt'));
    const json = parsePlan(fixture('F08_k8s-plan_test_v1alpha2.json'));
    assert.deepEqual(text.availableUpgrades[0]!.components, json.availableUpgrades[0]!.components);
    assert.equal(text.availableUpgrades[0]!.applyCommand, json.availableUpgrades[0]!.applyCommand);
  });

  it('serialises to exactly the contract keys', () => {
    const plan = parsePlan(fixture('F10_real_kubeadm-1.31.7_plan_per-node.txt'));
    const json = JSON.parse(JSON.stringify(plan)) as Record<string, unknown>;
    assert.deepEqual(Object.keys(json), [
      'format',
      'clusterVersion',
      'kubeadmVersion',
      'upToDate',
      'availableUpgrades',
      'configVersions',
      'unparsed',
      'diagnostics',
    ]);
    assert.deepEqual(Object.keys(plan.availableUpgrades[0]!), [
      'description',
      'targetVersion',
      'applyCommand',
      'note',
      'components',
    ]);
    assert.deepEqual(Object.keys(plan.availableUpgrades[0]!.components[0]!), ['name', 'node', 'count', 'current', 'target']);
    assert.deepEqual(Object.keys(plan.configVersions[0]!), ['group', 'current', 'preferred', 'manualUpgradeRequired']);
  });
});
