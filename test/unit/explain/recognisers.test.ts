// Details per recogniser, on the real samples: what lands in the facts, the fix and the recovery steps.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { explain, isBadInput } from '../../../src/core/explain';
import { explained, fixture, FIXTURES } from './helpers';

const file = (prefix: string): string => fixture(readdirSync(FIXTURES).find((f) => f.startsWith(prefix))!);
const finding = (prefix: string, id: string) => explained(file(prefix)).findings.find((f) => f.id === id)!;

describe('explain: kubeadm results', () => {
  it('addons deferred: both spellings, de-duplicated, CoreDNS and kube-proxy skipped with the reason', () => {
    const k03 = explained(file('K03_')).explanation;
    assert.deepEqual(k03.addonsDeferredUntil, ['k8s-controlplane02']);
    assert.equal(k03.warnings.length, 1, 'the line printed twice is one warning');
    assert.deepEqual(k03.skipped, [
      { component: 'CoreDNS', reason: 'waits until k8s-controlplane02 is upgraded' },
      { component: 'kube-proxy', reason: 'waits until k8s-controlplane02 is upgraded' },
    ]);
    assert.deepEqual(explained(file('K06_')).explanation.addonsDeferredUntil, ['k8s-control-plane-02', 'k8s-control-plane-03']);
  });
  it('etcd skipped because the target is older than the running version', () => {
    const s = explained(file('K05_')).explanation.skipped;
    assert.deepEqual(s, [{ component: 'etcd', reason: 'the desired etcd version "3.5.15-0" is older than the currently installed "3.5.16-0"' }]);
  });
  it('the etcd backup folder is named with the manifests backup when etcd was upgraded', () => {
    const b = explained(file('K01_')).explanation.backups;
    assert.ok(b.includes('/etc/kubernetes/tmp/kubeadm-backup-etcd-2025-03-25-17-13-19'));
    assert.ok(!explained(file('K05_')).explanation.backups.some((x) => x.includes('backup-etcd')), 'etcd skipped: no etcd backup');
  });
  it('the prompt names the node (user@host)', () => {
    assert.equal(finding('P03_', 'preflight-control-plane-nodes-ready').node, 'k8s-controller-01');
  });
});

describe('explain: kubeadm failures', () => {
  it('static Pod hash: context deadline exceeded, component and node from the message, rolled back', () => {
    const f = finding('K07_', 'static-pod-hash-unchanged');
    assert.equal(f.rolledBack, true);
    assert.deepEqual(f.recovery, ['rerun', 'verify-pods']);
    assert.ok(f.commands.some((c) => c === 'sudo crictl ps -a --name kube-apiserver'));
    assert.match(f.cause, /rolled back/);
  });
  it('static Pod hash: "timed out waiting for the condition" (old kubeadm) takes the component from the last Static pod line', () => {
    const f = finding('K08_', 'static-pod-hash-unchanged');
    assert.equal(f.component, 'kube-apiserver');
    assert.equal(f.node, 'master');
  });
  it('not rolled back: the manifests restore step applies', () => {
    const text = '[upgrade/apply] FATAL: static Pod hash for component etcd on Node cp1 did not change after 5m0s: timed out waiting for the condition';
    const f = explained(text).findings[0]!;
    assert.equal(f.rolledBack, false);
    assert.deepEqual(f.recovery, ['restore-manifests', 'rerun', 'verify-pods']);
  });
  it('preflight items keep their check name and the FATAL line\'s phase; continuation lines (one starting with "[") stay in the message', () => {
    assert.equal(finding('K09_', 'preflight-create-job').check, 'CreateJob');
    assert.ok(finding('K09_', 'preflight-create-job').fix.includes('--ignore-preflight-errors=CreateJob'));
    // The wait kubeadm reports, not a fixed number: 15s up to 1.30, 1m0s in 1.36 (P05, real output after a rollback).
    assert.match(finding('K09_', 'preflight-create-job').cause, /did not complete in 15s\./);
    const p05 = finding('P05_', 'preflight-create-job');
    assert.match(p05.cause, /did not complete in 1m0s\./);
    assert.match(p05.fix, /kube-scheduler and kube-controller-manager/);
    const p04 = finding('P04_', 'preflight-coredns-unsupported-plugins');
    assert.equal(p04.severity, 'warning');
    assert.match(p04.message, /\[Plugin "grpc" is unsupported by this migration tool in 1\.9\.3\.\]$/);
    const k11 = explained(file('K11_'));
    assert.equal(k11.findings.length, 1, 'the crictl lines continue the ImagePull error');
    assert.ok(k11.findings[0]!.commands.includes('sudo crictl pull registry.k8s.io/kube-apiserver:v1.25.9'));
  });
  it('SystemVerification with cgroups v1 has its own id', () => {
    assert.equal(finding('K12_', 'preflight-cgroups-v1').check, 'SystemVerification');
  });
  it('sandbox image mismatch: the recommended image goes into the fix, also from Ansible-escaped quotes', () => {
    assert.ok(finding('K07_', 'sandbox-image-mismatch').fix.includes('registry.k8s.io/pause:3.10'));
  });
  it('x509 expiry: check-expiration, renew all, restart of the control-plane pods', () => {
    const f = finding('C01_', 'certificate-expired');
    assert.deepEqual(f.commands.slice(0, 2), ['sudo kubeadm certs check-expiration', 'sudo kubeadm certs renew all']);
    assert.ok(f.commands[2]!.includes('/etc/kubernetes/manifests'));
  });
  it('strict decoding: the unknown fields are named; a klog W is a warning', () => {
    const f = finding('C02_', 'config-strict-decoding');
    assert.equal(f.severity, 'warning');
    assert.match(f.cause, /caCertificateValidityPeriod, certificateValidityPeriod/);
  });
  it('version policy: kubeadm too old, with the install command for the target filled in', () => {
    const f = finding('K13_', 'version-above-kubeadm');
    assert.ok(f.commands[0]!.includes("'kubeadm=1.10.0-*'"), f.commands[0]);
  });
  it('version policy: too high, and errors skipped with --force are warnings', () => {
    const text = [
      '[upgrade/version] FATAL: the --version argument is invalid due to these fatal errors:',
      '',
      '\t- Specified version to upgrade to "v1.17.0" is too high; kubeadm can upgrade only 1 minor version at a time',
    ].join('\n');
    assert.deepEqual(explained(text).explanation.failures.map((f) => f.id), ['version-skips-minor']);
    const forced = [
      '[upgrade/version] Found 1 potential version compatibility errors but skipping since the --force flag is set: ',
      '',
      '\t- Specified version to upgrade to "v1.22.0-beta.0" is an unstable version and such upgrades weren\'t allowed via setting the --allow-*-upgrades flags',
    ].join('\n');
    assert.deepEqual(explained(forced).explanation.warnings.map((w) => w.id), ['version-unstable']);
  });
  it('the HA apiserver warning lists the versions per node', () => {
    const f = finding('P02_', 'apiserver-versions-differ');
    assert.match(f.cause, /v1\.33\.0 on nodes \[k8s-controlplane01\]; v1\.32\.4 on nodes \[k8s-controlplane02\]/);
  });
  it('deprecated --config API version', () => {
    const text =
      'W0815 14:04:50.618361   25187 common.go:84] your configuration file uses a deprecated API spec: "kubeadm.k8s.io/v1beta2". Please use \'kubeadm config migrate --old-config old.yaml --new-config new.yaml\', which will write the new, similar spec using a newer API version.';
    const r = explained(text);
    assert.deepEqual(r.explanation.warnings.map((w) => w.id), ['config-deprecated-api']);
    assert.match(r.findings[0]!.cause, /kubeadm\.k8s\.io\/v1beta2/);
  });
  it('klog info lines are data; a generic error after a specific one is not repeated', () => {
    const text = ['I0325 17:11:09.044585    7977 version.go:261] remote version is much newer', file('P03_'), 'error execution phase preflight: preflight checks failed'].join('\n');
    const r = explained(text);
    assert.deepEqual(r.explanation.failures.map((f) => f.id), ['preflight-control-plane-nodes-ready']);
    assert.deepEqual(r.explanation.warnings, []);
  });
});

describe('explain: apt, yum, drain', () => {
  it('held packages: the held list goes into the unhold / install / hold command with the version', () => {
    assert.deepEqual(finding('A01_', 'package-held').commands, [
      "sudo apt-mark unhold kubectl kubelet && sudo apt-get install -y 'kubectl=1.14.3-*' 'kubelet=1.14.3-*' && sudo apt-mark hold kubectl kubelet",
    ]);
  });
  it('a missing version: one finding per package, in the order apt said them, the repository switched to the minor', () => {
    const fs = explained(file('A02_')).findings.filter((f) => f.id === 'package-version-missing');
    assert.deepEqual(fs.map((f) => f.message), [
      "E: Version '1.12.0' for 'kubelet' was not found",
      "E: Version '1.12.0' for 'kubeadm' was not found",
      "E: Version '1.12.0' for 'kubectl' was not found",
    ]);
    assert.match(fs[1]!.cause, /kubeadm 1\.12\.0/);
    assert.ok(fs.every((f) => f.commands[0]!.includes('/v1.12/deb/')));
  });
  it('EXPKEYSIG names the key; the 404 points at pkgs.k8s.io', () => {
    assert.match(finding('A04_', 'package-key-expired').cause, /234654DA9A296436/);
    assert.ok(explained(file('A03_'), { targetVersion: 'v1.33.1' }).findings[0]!.commands.some((c) => c.includes('https://pkgs.k8s.io/core:/stable:/v1.33/deb/')));
  });
  it('PDB refusals: retries merged into one finding naming the pod, the node from the context', () => {
    const r = explained(file('D01_'), { node: 'worker-1' });
    assert.equal(r.findings.length, 1);
    assert.match(r.findings[0]!.cause, /istio-system\/istiod-bc4584967-9l5j7/);
    assert.ok(r.findings[0]!.commands.includes('kubectl -n istio-system get pdb'));
    assert.ok(r.findings[0]!.commands.includes('kubectl drain worker-1 --ignore-daemonsets'));
  });
  it('filter refusals list their pods and the flag that overrides them', () => {
    const f = finding('D02_', 'drain-unmanaged-pods');
    assert.match(f.cause, /default\/httpd, default\/no-trust, default\/trust/);
    assert.deepEqual(f.commands, ['kubectl drain worker --ignore-daemonsets --force']);
  });
});

describe('explain: input', () => {
  it('empty and binary input are refused', () => {
    const empty = explain('  \n\n');
    const binary = explain('\u0000\u0001\u0002ELF');
    assert.ok(isBadInput(empty) && empty.bad === 'empty');
    assert.ok(isBadInput(binary) && binary.bad === 'binary');
  });
  it('a shell prompt glued to kubeadm\'s first line, CRLF and colours do not matter', () => {
    const text = file('P02_').replace(/\n/g, '\r\n').replace('[upgrade] Running', '\u001b[0m[upgrade] Running');
    const r = explained(text);
    assert.equal(r.explanation.command, 'plan');
    assert.deepEqual(r.unknown, []);
  });
  it('values from the output are shell-quoted in the commands', () => {
    const text = 'error when evicting pods/"a b" -n "x;rm -rf ~" (will retry after 5s): Cannot evict pod as it would violate the pod\'s disruption budget.';
    const f = explained(text).findings[0]!;
    assert.ok(f.commands.includes("kubectl -n 'x;rm -rf ~' get pdb"), f.commands.join(' | '));
  });
  it('unrecognised lines are reported, not dropped', () => {
    assert.deepEqual(explained('something entirely different').unknown, ['something entirely different']);
  });
});
