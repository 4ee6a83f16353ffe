// Failures and warnings in plan output: what is recognised, how severe, and which fix goes with it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { parsePlan } from '../../../src/core/plan';
import { fixture } from './helpers';

const PREAMBLE = [
  '[upgrade/config] Making sure the configuration is correct:',
  '[upgrade/config] Reading configuration from the cluster...',
  "[upgrade/config] FYI: You can look at this config file with 'kubectl -n kube-system get cm kubeadm-config -o yaml'",
  '[preflight] Running pre-flight checks.',
  '[upgrade] Running cluster health checks',
];

describe('parsePlan: diagnostics', () => {
  it('reads a too-high target version (one item per reason, no duplicate summary)', () => {
    // Shape of kubeadm's version-policy error (cmd/upgrade/common.go + phases/upgrade/policy.go).
    const text = [
      ...PREAMBLE,
      '[upgrade/version] You have chosen to change the cluster version to "v1.17.0"',
      '[upgrade/versions] Cluster version: v1.13.0',
      '[upgrade/versions] kubeadm version: v1.13.0',
      '[upgrade/version] FATAL: the --version argument is invalid due to these fatal errors:',
      '',
      '\t- Specified version to upgrade to "v1.17.0" is too high; kubeadm can upgrade only 1 minor version at a time',
      '',
      '\t- Specified version to upgrade to "v1.17.0" is at least one minor release higher than the kubeadm minor release (17 > 13). Such an upgrade is not supported',
      '',
      'Please fix the misalignments highlighted above and try upgrading again',
      'To see the stack trace of this error execute with --v=5 or higher',
      '',
    ].join('\n');
    const plan = parsePlan(text);
    assert.equal(plan.format, 'text');
    assert.equal(plan.upToDate, false);
    assert.equal(plan.clusterVersion, 'v1.13.0');
    assert.deepEqual(plan.availableUpgrades, []);
    assert.deepEqual(plan.unparsed, []);
    assert.deepEqual(
      plan.diagnostics.map((d) => d.severity),
      ['error', 'error'],
    );
    assert.match(plan.diagnostics[0]!.message, /is too high/);
    assert.match(plan.diagnostics[0]!.fix, /update kubeadm/i);
    assert.match(plan.diagnostics[1]!.message, /higher than the kubeadm minor release/);
    assert.match(plan.diagnostics[1]!.fix, /Update kubeadm first/);
  });

  it('reads too-old kubelets as an error, and as a warning when --force skipped it', () => {
    const refused = parsePlan(
      [
        '[upgrade/version] FATAL: the --version argument is invalid due to these errors:',
        '',
        '\t- There are kubelets in this cluster that are too old that have these versions [v1.27.3]',
        '',
        'Can be bypassed if you pass the --force flag',
      ].join('\n'),
    );
    assert.equal(refused.diagnostics.length, 1);
    assert.equal(refused.diagnostics[0]!.severity, 'error');
    assert.match(refused.diagnostics[0]!.fix, /Upgrade those kubelets first/);
    assert.deepEqual(refused.unparsed, []);

    const forced = parsePlan(
      [
        '[upgrade/version] Found 1 potential version compatibility errors but skipping since the --force flag is set: ',
        '',
        '\t- There are kubelets in this cluster that are too old that have these versions [v1.27.3]',
      ].join('\n'),
    );
    assert.deepEqual(
      forced.diagnostics.map((d) => d.severity),
      ['warning'],
    );
    assert.match(forced.diagnostics[0]!.message, /kubelets .* too old/);
  });

  it('reads preflight errors with a fix that names --ignore-preflight-errors', () => {
    const plan = parsePlan(
      [
        '[preflight] Running pre-flight checks.',
        'error execution phase preflight: [preflight] Some fatal errors occurred:',
        '\t[ERROR CoreDNSUnsupportedPlugins]: there are unsupported plugins in the CoreDNS Corefile',
        '[preflight] If you know what you are doing, you can make a check non-fatal with `--ignore-preflight-errors=...`',
        'To see the stack trace of this error execute with --v=5 or higher',
      ].join('\n'),
    );
    assert.deepEqual(plan.unparsed, []);
    assert.equal(plan.diagnostics.length, 1);
    const d = plan.diagnostics[0]!;
    assert.equal(d.severity, 'error');
    assert.equal(d.message, '[ERROR CoreDNSUnsupportedPlugins]: there are unsupported plugins in the CoreDNS Corefile');
    assert.match(d.fix, /--ignore-preflight-errors=CoreDNSUnsupportedPlugins/);
    assert.equal(plan.upToDate, false);
  });

  it('keeps a summary line when no items follow it', () => {
    const plan = parsePlan('[preflight] Some fatal errors occurred:\n[preflight] If you know what you are doing, you can make a check non-fatal\n');
    assert.equal(plan.diagnostics.length, 1);
    assert.equal(plan.diagnostics[0]!.severity, 'error');
    assert.match(plan.diagnostics[0]!.fix, /--ignore-preflight-errors/);
  });

  it('reads failed cluster health checks', () => {
    const plan = parsePlan(
      [
        ...PREAMBLE,
        '[upgrade/health] FATAL: [preflight] Some fatal errors occurred:',
        '\t[ERROR ControlPlaneNodesReady]: there are NotReady control-planes in the cluster: [master]',
        '\t[ERROR CreateJob]: Job "upgrade-health-check" in the namespace "kube-system" did not complete in 15s: no condition of type Complete',
        '[preflight] If you know what you are doing, you can make a check non-fatal with `--ignore-preflight-errors=...`',
      ].join('\n'),
    );
    assert.deepEqual(plan.unparsed, []);
    assert.equal(plan.diagnostics.length, 2);
    assert.match(plan.diagnostics[0]!.fix, /Ready/);
    assert.match(plan.diagnostics[0]!.fix, /--ignore-preflight-errors=ControlPlaneNodesReady/);
    assert.match(plan.diagnostics[1]!.fix, /upgrade-health-check/);
  });

  it('reads preflight warnings next to a normal plan, which stays intact', () => {
    const f10 = fixture('F10_real_kubeadm-1.31.7_plan_per-node.txt');
    const text = f10.replace(
      '[preflight] Running pre-flight checks.\n',
      '[preflight] Running pre-flight checks.\n\t[WARNING SystemVerification]: missing optional cgroups: hugetlb\n',
    );
    const plan = parsePlan(text);
    assert.deepEqual(plan.availableUpgrades, parsePlan(f10).availableUpgrades);
    assert.deepEqual(plan.diagnostics.map((d) => [d.severity, d.message]), [
      ['warning', '[WARNING SystemVerification]: missing optional cgroups: hugetlb'],
    ]);
    assert.deepEqual(plan.unparsed, []);
  });

  it('reads a failed version lookup as a warning with a way around it', () => {
    const plan = parsePlan(
      [
        '[upgrade] Fetching available versions to upgrade to',
        '[upgrade/versions] Cluster version: v1.31.1',
        '[upgrade/versions] kubeadm version: v1.31.7',
        '[upgrade/versions] WARNING: Couldn\'t fetch latest stable version from the internet: unable to get URL "https://dl.k8s.io/release/stable.txt": Get "https://dl.k8s.io/release/stable.txt": dial tcp: lookup dl.k8s.io: no such host',
        '[upgrade/versions] WARNING: Falling back to current kubeadm version as latest stable version',
      ].join('\n'),
    );
    assert.deepEqual(
      plan.diagnostics.map((d) => d.severity),
      ['warning', 'warning'],
    );
    assert.match(plan.diagnostics[1]!.fix, /kubeadm upgrade plan vX\.Y\.Z/);
    // Warnings do not stop the plan: nothing offered means nothing to upgrade.
    assert.equal(plan.upToDate, true);
  });

  it('reads bare errors printed without a prefix', () => {
    const plan = parsePlan(
      [
        '[upgrade/config] Reading configuration from the cluster...',
        'couldn\'t create a Kubernetes client from file "/etc/kubernetes/admin.conf": failed to load admin kubeconfig: open /etc/kubernetes/admin.conf: no such file or directory',
        'To see the stack trace of this error execute with --v=5 or higher',
      ].join('\n'),
    );
    assert.deepEqual(plan.unparsed, []);
    assert.equal(plan.diagnostics.length, 1);
    assert.equal(plan.diagnostics[0]!.severity, 'error');
    assert.match(plan.diagnostics[0]!.fix, /admin\.conf/);
    assert.equal(plan.upToDate, false);
  });

  it('marks output with errors as not up to date even in JSON mode', () => {
    const plan = parsePlan('[preflight] Some fatal errors occurred:\n\t[ERROR IsPrivilegedUser]: user is not running as root\n');
    assert.equal(plan.upToDate, false);
    assert.match(plan.diagnostics[0]!.fix, /root/);
  });

  it('does not report the same diagnostic twice', () => {
    const line = '\t[WARNING Swap]: swap is supported for cgroup v2 only';
    const plan = parsePlan(`${line}\n${line}\n`);
    assert.equal(plan.diagnostics.length, 1);
  });
});
