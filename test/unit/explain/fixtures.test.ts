// One case per real sample (test/fixtures/explain, sources in its README): what the explainer must read from it.
// Every sample is explained with nothing unknown.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { explained, fixture, FIXTURES } from './helpers';

interface Expect {
  command: string;
  outcome: string;
  target?: string | null;
  backups?: string[];
  upgraded?: string[];
  skipped?: string[];
  addons?: string[];
  /** [id, phase, component, node, rolledBack] per failure. */
  failures?: [string, string | null, string | null, string | null, boolean | null][];
  warnings?: string[];
}

const TMP = '/etc/kubernetes/tmp';
const CASES: Record<string, Expect> = {
  K01_: {
    command: 'apply', outcome: 'succeeded', target: 'v1.31.7',
    backups: [`${TMP}/kubeadm-backup-manifests-2025-03-25-17-13-19`, `${TMP}/kubeadm-backup-etcd-2025-03-25-17-13-19`, `${TMP}/kubeadm-kubelet-config2404247076`],
    upgraded: ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'CoreDNS', 'kube-proxy'],
    warnings: ['sandbox-image-mismatch'],
  },
  K02_: { command: 'node', outcome: 'succeeded', backups: [`${TMP}/kubeadm-kubelet-config862048109`], upgraded: [] },
  K03_: { command: 'apply', outcome: 'succeeded', target: 'v1.33.0', skipped: ['CoreDNS', 'kube-proxy'], addons: ['k8s-controlplane02'], warnings: ['addons-deferred'] },
  K04_: { command: 'node', outcome: 'succeeded', backups: [`${TMP}/kubeadm-kubelet-config931950010`], warnings: ['klog-warning'] },
  K05_: {
    command: 'apply', outcome: 'succeeded', target: 'v1.30.14',
    backups: [`${TMP}/kubeadm-backup-manifests-2026-03-08-04-43-08`, `${TMP}/kubeadm-kubelet-config4294760236`],
    upgraded: ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'CoreDNS', 'kube-proxy'],
    skipped: ['etcd'], warnings: ['sandbox-image-mismatch'],
  },
  K06_: {
    command: 'apply', outcome: 'succeeded', target: 'v1.30.3', skipped: ['CoreDNS', 'kube-proxy'],
    addons: ['k8s-control-plane-02', 'k8s-control-plane-03'], warnings: ['addons-deferred'],
  },
  K07_: {
    command: 'unknown', outcome: 'failed',
    failures: [['static-pod-hash-unchanged', 'control-plane', 'kube-apiserver', 'omega-controlplane-0', true]],
    warnings: ['sandbox-image-mismatch'],
  },
  K08_: { command: 'apply', outcome: 'failed', failures: [['static-pod-hash-unchanged', 'upgrade/apply', 'kube-apiserver', 'master', true]] },
  K14_: { command: 'unknown', outcome: 'failed', failures: [['static-pod-hash-unchanged', 'upgrade/etcd', 'etcd', 'kinder-upgrade-control-plane-1', true]] },
  K15_: {
    command: 'apply', outcome: 'failed', target: 'v1.36.3',
    backups: [`${TMP}/kubeadm-backup-manifests-2026-12-02-09-59-09`, `${TMP}/kubeadm-backup-etcd-2026-12-02-09-59-09`],
    upgraded: ['etcd'],
    failures: [['control-plane-upgrade-failed', 'control-plane', 'kube-apiserver', 'cp-1', true]],
    // From the text: the cgroup v1 report; the runtime's "unknown method RuntimeConfig" with kubeadm's
    // ContainerRuntimeVersion warning about it (one cause); the sandbox image; the apiserver read cut while it restarted.
    warnings: ['preflight-cgroups-v1', 'preflight-runtime-config', 'sandbox-image-mismatch', 'klog-warning'],
  },
  K09_: { command: 'unknown', outcome: 'failed', failures: [['preflight-create-job', 'upgrade/health', null, null, null]] },
  K10_: {
    command: 'unknown', outcome: 'failed',
    failures: [['preflight-coredns-unsupported-plugins', 'preflight', null, null, null], ['preflight-coredns-migration', 'preflight', null, null, null]],
  },
  K11_: { command: 'unknown', outcome: 'failed', failures: [['preflight-image-pull', 'preflight', null, null, null]] },
  K12_: { command: 'apply', outcome: 'unknown', target: 'v1.33.2', warnings: ['preflight-cgroups-v1', 'sandbox-image-mismatch'] },
  K13_: { command: 'apply', outcome: 'failed', target: 'v1.10.0', failures: [['version-above-kubeadm', 'upgrade/version', null, null, null]] },
  P01_: { command: 'plan', outcome: 'succeeded', target: 'v1.31.7', warnings: [] },
  P02_: { command: 'plan', outcome: 'succeeded', warnings: ['apiserver-versions-differ'] },
  P03_: { command: 'plan', outcome: 'failed', failures: [['preflight-control-plane-nodes-ready', 'upgrade/health', null, 'k8s-controller-01', null]] },
  P04_: { command: 'unknown', outcome: 'unknown', warnings: ['preflight-coredns-unsupported-plugins'] },
  P05_: { command: 'unknown', outcome: 'failed', failures: [['preflight-create-job', 'preflight', null, null, null]] },
  C01_: { command: 'unknown', outcome: 'failed', failures: [['certificate-expired', null, null, null, null]] },
  C02_: { command: 'unknown', outcome: 'unknown', warnings: ['config-strict-decoding'] },
  A01_: { command: 'apt', outcome: 'failed', target: 'v1.14.3', failures: [['package-held', 'apt', null, null, null]] },
  // One entry per package: kubelet, kubeadm and kubectl are three lines, three failures (issue #28, class 1).
  A02_: {
    command: 'apt', outcome: 'failed', target: 'v1.12.0',
    failures: [['package-version-missing', 'apt', null, null, null], ['package-version-missing', 'apt', null, null, null], ['package-version-missing', 'apt', null, null, null]],
  },
  A03_: { command: 'apt', outcome: 'failed', failures: [['package-repo-404', 'apt', null, null, null]] },
  A04_: { command: 'apt', outcome: 'failed', failures: [['package-key-expired', 'apt', null, null, null]] },
  Y01_: {
    command: 'yum', outcome: 'failed',
    failures: [['package-version-missing', 'yum', null, null, null], ['package-version-missing', 'yum', null, null, null], ['package-version-missing', 'yum', null, null, null]],
  },
  // Issue #28's samples, class by class (the README of the fixtures names each source).
  // 1: several failures, each an entry, in order.
  A05_: {
    command: 'apt', outcome: 'failed', target: 'v1.35.0',
    failures: [['package-version-missing', 'apt', null, 'controlplane', null], ['package-version-missing', 'apt', null, 'controlplane', null]],
  },
  K20_: {
    command: 'apply', outcome: 'failed', target: 'v1.9.6',
    backups: [`${TMP}/kubeadm-backup-manifests677733901`], upgraded: ['etcd'],
    failures: [
      ['static-pod-hash-unchanged', 'upgrade/apply', 'kube-apiserver', null, true],
      ['preflight-check', 'upgrade/health', null, null, null],
      ['preflight-check', 'upgrade/health', null, null, null],
    ],
  },
  K21_: {
    command: 'unknown', outcome: 'failed',
    failures: [['preflight-check', 'preflight', null, null, null], ['preflight-cri-runtime', 'preflight', null, null, null], ['preflight-check', 'preflight', null, null, null]],
    warnings: ['preflight-warning', 'preflight-warning'],
  },
  // 2: prefixes on every line (CI time, Prow build log, a Python logger's head).
  K22_: { command: 'unknown', outcome: 'failed', failures: [['preflight-cri-runtime', 'preflight', null, null, null]] },
  K23_: { command: 'apply', outcome: 'unknown', target: 'v1.10.0-alpha.0.752+8c1ee761d2dd77', warnings: ['version-skips-minor', 'version-unstable'] },
  K24_: { command: 'apply', outcome: 'failed', target: 'v1.28.3', failures: [['static-pod-hash-unchanged', 'upgrade/apply', 'etcd', 'ubuntu', true]] },
  K26_: { command: 'unknown', outcome: 'unknown' },
  Y04_: { command: 'yum', outcome: 'failed', failures: [['package-excluded', 'yum', null, null, null]] },
  // 3: the CRI error without `[ERROR …]`, kubeadm's hint glued to it.
  K18_: { command: 'unknown', outcome: 'failed', failures: [['preflight-cri-runtime', 'preflight', null, null, null]], warnings: ['klog-warning', 'preflight-cgroups-v1'] },
  K19_: { command: 'unknown', outcome: 'failed', failures: [['preflight-cri-runtime', 'preflight', null, null, null]] },
  // 4: wrapped lines (an error, a typed command).
  Y03_: { command: 'yum', outcome: 'failed', failures: [['package-repo-retired', 'yum', null, null, null]] },
  A06_: { command: 'apt', outcome: 'succeeded', target: 'v1.35.0' },
  // 5: kubectl drain: the global timeout with PDB retries before it; `unable to drain node … due to error`.
  D06_: { command: 'drain', outcome: 'failed', failures: [['drain-pdb-blocked', 'drain', null, 'kln-test-001', null], ['drain-timeout', 'drain', null, 'kln-test-001', null]] },
  D05_: { command: 'drain', outcome: 'failed', failures: [['drain-daemonset-pods', 'drain', null, 'node01', null]] },
  // 6: older wording: 1.8's timeout after "Waiting for the kubelet to restart the component".
  K25_: {
    command: 'apply', outcome: 'failed', target: 'v1.8.3', backups: [`${TMP}/kubeadm-backup-manifests188726187`],
    failures: [['static-pod-hash-unchanged', 'upgrade/apply', 'kube-apiserver', 'km', true]],
  },
  // 7: the retired yum repository.
  Y02_: { command: 'yum', outcome: 'failed', failures: [['package-repo-retired', 'yum', null, null, null]] },
  // 8: kubeadm 1.35's kubelet env-file backup.
  K16_: {
    command: 'apply', outcome: 'succeeded', target: 'v1.35.0',
    backups: [
      `${TMP}/kubeadm-backup-manifests-2026-06-08-14-47-14`, `${TMP}/kubeadm-backup-etcd-2026-06-08-14-47-14`,
      `${TMP}/kubeadm-kubelet-config-2026-06-08-14-50-58`, `${TMP}/kubeadm-kubelet-env3966514992`,
    ],
    upgraded: ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'CoreDNS', 'kube-proxy'],
    warnings: ['preflight-runtime-config', 'sandbox-image-mismatch', 'klog-warning', 'klog-warning'],
  },
  K17_: {
    command: 'node', outcome: 'succeeded',
    backups: [`${TMP}/kubeadm-kubelet-config-2026-05-01-04-18-07`, `${TMP}/kubeadm-kubelet-env4108424708`], warnings: ['klog-warning', 'klog-warning'],
  },
  // 9: different kube-apiserver versions, no tables.
  P06_: { command: 'plan', outcome: 'succeeded', warnings: ['apiserver-versions-differ'] },
  D01_: { command: 'drain', outcome: 'failed', failures: [['drain-pdb-blocked', 'drain', null, null, null]] },
  D02_: { command: 'drain', outcome: 'failed', failures: [['drain-unmanaged-pods', 'drain', null, 'worker', null], ['drain-local-storage', 'drain', null, 'worker', null]] },
  D03_: { command: 'drain', outcome: 'succeeded', failures: [] },
  D04_: { command: 'drain', outcome: 'failed', failures: [['drain-local-storage', 'drain', null, 'x.x.x.x', null], ['drain-daemonset-pods', 'drain', null, 'x.x.x.x', null]] },
};

const FILES = readdirSync(FIXTURES).filter((f) => f.endsWith('.txt')).sort();

describe('explain: every real sample', () => {
  it('has a case for each fixture file', () => {
    assert.deepEqual(FILES.map((f) => f.slice(0, 4)).sort(), Object.keys(CASES).sort());
  });
  for (const file of FILES) {
    it(file, () => {
      const want = CASES[file.slice(0, 4)]!;
      const r = explained(fixture(file));
      const x = r.explanation;
      assert.deepEqual(r.unknown, [], 'every line is accounted for');
      assert.equal(x.command, want.command);
      assert.equal(x.outcome, want.outcome);
      if (want.target !== undefined) assert.equal(x.targetVersion, want.target);
      if (want.backups) assert.deepEqual(x.backups, want.backups);
      if (want.upgraded) assert.deepEqual(x.upgraded, want.upgraded);
      assert.deepEqual(x.skipped.map((s) => s.component), want.skipped ?? []);
      assert.deepEqual(x.addonsDeferredUntil, want.addons ?? []);
      assert.deepEqual(x.failures.map((f) => [f.id, f.phase, f.component, f.node, f.rolledBack]), want.failures ?? []);
      assert.deepEqual(x.warnings.map((w) => w.id), want.warnings ?? []);
      for (const f of r.findings) {
        assert.ok(f.cause.length > 20 && f.fix.length > 10, `${f.id} has a cause and a fix`);
        assert.ok(!/undefined|null/.test(f.cause + f.fix + f.commands.join(' ')), `${f.id}: nothing left unfilled`);
      }
    });
  }
});
