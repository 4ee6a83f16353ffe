// Issue #28, what the class-by-class cases in fixtures.test.ts do not show: the details of each finding (timeout value,
// pending pods, the joined wrapped line, the run a failure belongs to), prefixes on real lines, and the rule that an
// output showing a failure names one. Every input is a real sample (test/fixtures/explain, sources in its README) or
// its lines under a prefix an automation tool adds.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { explained, fixture, FIXTURES } from './helpers';

const file = (prefix: string) => fixture(readdirSync(FIXTURES).find((f) => f.startsWith(prefix))!);
const lines = (prefix: string) => file(prefix).split('\n').filter((l) => l !== '');
const failures = (text: string) => explained(text).explanation.failures.map((f) => f.id);

describe('issue #28: several failures', () => {
  it('a later run that fails differently keeps its own entries; the same failure twice in a run is one', () => {
    const r = explained(file('K20_'));
    assert.deepEqual(r.findings.map((f) => f.message.slice(0, 40)), [
      "[upgrade/apply] FATAL: couldn't upgrade ",
      '[ERROR APIServerHealth]: the API Server ',
      "[ERROR MasterNodesReady]: couldn't list ",
    ]);
  });
  it("a generic error is a repeat within its run only: after a retry banner it is the later run's own failure", () => {
    const run = lines('K19_').slice(0, 6); // the CRI error, then `error execution phase preflight`
    const later = lines('P05_').find((l) => l.startsWith('error: '))!; // `error: [upgrade/health] FATAL: preflight checks failed`
    assert.deepEqual(failures([...run, later].join('\n')), ['preflight-cri-runtime']);
    assert.deepEqual(failures([...run, 'Retrying in 10s (attempt 2/3)', later].join('\n')), ['preflight-cri-runtime', 'kubeadm-error']);
    // The same failure said again by the later run is the same failure: one entry.
    assert.deepEqual(failures([...run, 'Retrying in 10s (attempt 2/3)', ...run].join('\n')), ['preflight-cri-runtime']);
  });
});

describe('issue #28: prefixes', () => {
  it("KubeOne's host tag on every line is removed, kubeadm's own tags are not", () => {
    const tagged = lines('K09_').map((l) => `[cp-1] ${l.trim()}`).join('\n');
    const plain = explained(file('K09_')).explanation;
    assert.deepEqual(explained(tagged).explanation.failures, plain.failures);
    assert.deepEqual(explained(tagged).unknown, []);
  });
  it("Ansible's quoted stdout_lines read as the lines they quote", () => {
    const quoted = ['"stdout_lines": [', ...lines('K20_').map((l) => `    ${JSON.stringify(l)},`), ']'].join('\n');
    const r = explained(quoted);
    assert.deepEqual(r.unknown, []);
    assert.deepEqual(r.explanation.failures, explained(file('K20_')).explanation.failures);
  });
  it("dnf's exclude filtering under a CI timestamp prefix", () => {
    const stamped = lines('Y04_').map((l) => `19:54:59 ${l}`).join('\n');
    assert.deepEqual(failures(stamped), ['package-excluded']);
  });
  it('a Python logger head on one line only is still a prefix', () => {
    const r = explained(lines('K24_')[1]!);
    assert.equal(r.explanation.failures[0]!.component, 'etcd');
    assert.match(r.explanation.failures[0]!.message, /^\[upgrade\/apply\] FATAL: fatal error when trying to upgrade the etcd cluster/);
  });
});

describe('issue #28: preflight errors without brackets; no failed output without a failure', () => {
  it("the CRI error is split from kubeadm's glued hint and explained with containerd's CRI plugin", () => {
    const f = explained(file('K18_')).findings.find((x) => x.id === 'preflight-cri-runtime')!;
    assert.match(f.message, /unknown service runtime\.v1\.RuntimeService$/);
    assert.match(f.cause, /disabled_plugins/);
    assert.ok(f.commands.some((c) => c.includes('crictl')));
  });
  it('a failed outcome always has a failure: the last error line, with its phase', () => {
    for (const text of [lines('D06_')[6]!, lines('K20_').slice(-5, -2).join('\n')]) {
      const x = explained(text).explanation;
      assert.equal(x.outcome, 'failed', text);
      assert.ok(x.failures.length > 0, text);
    }
    const only = explained(lines('K20_').slice(-5, -2)[1]!).explanation;
    assert.deepEqual([only.failures[0]!.id, only.failures[0]!.phase], ['kubeadm-error', 'upgrade/health']);
  });
});

describe('issue #28: wrapped lines', () => {
  it('a URL the terminal wrapped is joined without a space and read as one failure', () => {
    const f = explained(file('Y03_')).explanation.failures;
    assert.equal(f.length, 1);
    assert.match(f[0]!.message, /kubernetes-el7-x86_64\/repodata\/repomd\.xml: \(28, 'Connection timed out after 30001 milliseconds'\)$/);
  });
  it('a command wrapped inside a quote is one command (the version typed is read from it)', () => {
    assert.equal(explained(file('A06_')).explanation.targetVersion, 'v1.35.0');
  });
});

describe('issue #28: kubectl drain', () => {
  it('the global timeout with its value, the node and the pods still there; the PDB retries stay as their own entry', () => {
    const r = explained(file('D06_'));
    const t = r.findings.find((f) => f.id === 'drain-timeout')!;
    assert.match(t.cause, /after 6m0s: elasticsearch-master-0, longhorn-system\/instance-manager-r-59d4d10e, instance-manager-e-db09f838 were still on kln-test-001/);
    assert.ok(t.commands.includes("kubectl get pods -A -o wide --field-selector spec.nodeName=kln-test-001"));
    assert.match(r.findings[0]!.cause, /longhorn-system\/instance-manager-r-59d4d10e would take its application below its PodDisruptionBudget/);
  });
});

describe('issue #28: retired repositories, dnf exclude', () => {
  it('the retired yum repository: the fix writes the pkgs.k8s.io repository of the target minor', () => {
    const r = explained(file('Y02_'), { targetVersion: 'v1.33.2' });
    const f = r.findings[0]!;
    assert.equal(r.findings.length, 1);
    assert.ok(f.commands[0]!.includes('baseurl=https://pkgs.k8s.io/core:/stable:/v1.33/rpm/'), f.commands[0]);
    assert.match(f.fix, /one repository per minor/);
  });
  it('dnf exclude filtering: install with --disableexcludes=kubernetes', () => {
    const f = explained(file('Y04_')).findings[0]!;
    assert.deepEqual(f.commands, ['sudo yum install -y nginx --disableexcludes=kubernetes']);
  });
});

describe("issue #28: KubeOne's host tags", () => {
  it('lines of several nodes, each with its tag, and KubeOne\'s own INFO lines between them', () => {
    // K26's lines as two nodes would print them, with the INFO lines KubeOne prints around (kubeone#2904's log).
    const k26 = lines('K26_');
    const mixed = [
      'INFO[18:18:08 CEST] Running kubeadm preflight checks...          ',
      'INFO[18:18:08 CEST]     preflight...                                 node=172.31.147.179',
      ...k26.slice(0, 4),
      ...k26.slice(0, 4).map((l) => l.replace('[172.31.145.202]', '[172.31.147.179]')),
      ...lines('K21_').map((l) => `[172.31.147.179] ${l}`),
    ].join('\n');
    const r = explained(mixed);
    assert.deepEqual(r.unknown, []);
    assert.deepEqual(r.explanation.failures.map((f) => f.id), ['preflight-check', 'preflight-cri-runtime', 'preflight-check']);
  });
});

describe('issue #28: what is not a failure', () => {
  it("kubeadm's warning that it could not reach the runtime is not the CRI failure", () => {
    const r = explained(lines('K18_').slice(0, 5).join('\n'));
    assert.deepEqual(r.explanation.failures, []);
    assert.equal(r.explanation.outcome, 'unknown');
  });
  it('a short line after an error is not taken for its wrapped tail', () => {
    const r = explained([lines('A05_').at(-1)!, 'is only'].join('\n'));
    assert.deepEqual(r.unknown, ['is only']);
  });
});
