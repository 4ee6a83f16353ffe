import { test } from 'node:test';
import assert from 'node:assert/strict';
import { auditTable } from '../../../src/core/audit/table';
import { evaluateSkew } from '../../../src/core/skew';
import { findingsReport } from '../../../src/core/skew/report';
import { buildSnapshot } from '../../../src/core/snapshot/build';
import { rawDump } from '../helpers/dumps';

test('findings report: each finding\'s line is where the Problems entry points, with the policy and why it is expected', () => {
  const findings = evaluateSkew(buildSnapshot(rawDump('mid-upgrade')));
  const r = findingsReport('prod', findings, new Date('2026-01-02T03:04:05Z'));
  const lines = r.text.split('\n');
  assert.equal(r.lines.length, findings.length);
  findings.forEach((f, i) => assert.ok(lines[r.lines[i]!]!.startsWith(`${f.severity.toUpperCase()} ${f.rule}`), lines[r.lines[i]!]));
  assert.match(r.text, /Expected during the upgrade: expected until cp-1, cp-3 are upgraded to v1\.32\.0/);
  assert.match(r.text, /Policy: "kubelet must not be newer than kube-apiserver\."/);
});

test('audit table: one block per run, aligned columns, failures next to their command, raw file linked', () => {
  const base = { run: 'r1', cluster: 'prod', node: 'worker-1', where: 'ssh kubeadm@10.0.0.21' };
  const text = auditTable(
    [
      { ...base, time: '2026-01-02T03:04:05.123Z', phase: 'drain', command: 'kubectl drain worker-1', exitCode: 0, durationMs: 2300 },
      { ...base, time: '2026-01-02T03:05:00.000Z', phase: 'kubeadm-upgrade', command: 'sudo kubeadm upgrade node', exitCode: 1, durationMs: 450, failure: 'preflight' },
    ],
    '/home/u/.local/audit log.jsonl',
  );
  const lines = text.split('\n');
  assert.equal(lines[1], '# raw JSON lines: file:///home/u/.local/audit%20log.jsonl');
  assert.ok(lines.includes('## prod / worker-1 — run r1 (ssh kubeadm@10.0.0.21)'));
  assert.ok(lines.includes('2026-01-02 03:05:00Z  kubeadm-upgrade  1     450 ms  sudo kubeadm upgrade node   # preflight'), text);
  assert.ok(lines.includes('2026-01-02 03:04:05Z  drain            0     2.3 s   kubectl drain worker-1'), text);
});

test('audit table: an action is one row (its end line); a start without its end shows as "no end"; skipped lines are named', () => {
  const base = { run: 'r2', cluster: 'prod', node: 'cp-1', where: 'ssh root@10.0.0.11' };
  const text = auditTable(
    [
      { ...base, time: '2026-01-02T03:04:05.000Z', phase: 'install-kubeadm', command: 'apt-get install -y kubeadm', exitCode: null, durationMs: 0, id: 'a', stage: 'start' },
      { ...base, time: '2026-01-02T03:04:05.000Z', phase: 'install-kubeadm', command: 'apt-get install -y kubeadm', exitCode: 0, durationMs: 9000, id: 'a', stage: 'end' },
      { ...base, time: '2026-01-02T03:06:00.000Z', phase: 'kubeadm-upgrade', command: 'kubeadm upgrade apply v1.32.3 --yes', exitCode: null, durationMs: 0, id: 'b', stage: 'start' },
    ],
    '/tmp/audit.jsonl',
    ['line 4: not JSON: Unexpected end of JSON input'],
  );
  const lines = text.split('\n');
  assert.equal(lines[0], '# Kubeadm audit log: 2 command(s) run on nodes');
  assert.equal(lines[2], '# 1 line(s) skipped, not audit entries: line 4: not JSON: Unexpected end of JSON input');
  assert.equal(lines.filter((l) => l.includes('apt-get install')).length, 1, text);
  assert.ok(lines.some((l) => /^2026-01-02 03:04:05Z  install-kubeadm  0 +9\.0 s +apt-get install -y kubeadm$/.test(l)), text);
  assert.ok(lines.some((l) => /^2026-01-02 03:06:00Z  kubeadm-upgrade  no end  \? +kubeadm upgrade apply v1\.32\.3 --yes   # started, no end recorded/.test(l)), text);
});
