import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { auditLinks, findLogLines, type AuditEntryLike } from '../../../src/core/backups/audit';

const entry = (time: string, command: string, node = 'cp-1', durationMs = 240_000): AuditEntryLike => ({ time, node, command, durationMs, exitCode: 0 });

describe('audit links', () => {
  const entries = [
    entry('2025-03-25T17:05:00.000Z', 'sudo -n kubeadm upgrade plan'),
    entry('2025-03-25T17:11:50.000Z', "kubeadm upgrade apply --yes 'v1.31.7'"),
    entry('2025-03-25T17:11:50.000Z', 'kubeadm upgrade node', 'cp-2'),
  ];
  it('finds the apply run whose span holds the folder time (node clock in UTC)', () => {
    const l = auditLinks(entries, 'cp-1', '2025-03-25T17:13:19');
    assert.equal(l.length, 1);
    assert.equal(l[0]!.line, 2);
    assert.match(l[0]!.text, /kubeadm upgrade apply/);
  });
  it('tries whole-hour offsets for a node clock in another zone', () => {
    const l = auditLinks(entries, 'cp-1', '2025-03-25T19:13:19');
    assert.equal(l[0]!.line, 2);
    assert.match(l[0]!.text, /UTC\+2/);
  });
  it('a line that only mentions kubeadm upgrade apply (the snapshot before it) is not the run; env and sudo -n are', () => {
    const gate = entry('2025-03-25T17:11:40.000Z', 'etcd snapshot before kubeadm upgrade apply: /s/cp-1.db sha256 ab12', 'cp-1', 600_000);
    assert.equal(auditLinks([gate, entries[1]!], 'cp-1', '2025-03-25T17:13:19')[0]!.line, 2);
    assert.deepEqual(auditLinks([gate], 'cp-1', '2025-03-25T17:13:19'), []);
    const wrapped = entry('2025-03-25T17:11:50.000Z', "KUBEADM_UPGRADE_DRYRUN_DIR=/tmp/x sudo -n /usr/bin/kubeadm upgrade apply --yes 'v1.31.7'");
    assert.equal(auditLinks([wrapped], 'cp-1', '2025-03-25T17:13:19').length, 1);
  });
  it('nothing for another node, a plan, or a far time', () => {
    assert.deepEqual(auditLinks(entries, 'cp-3', '2025-03-25T17:13:19'), []);
    assert.deepEqual(auditLinks([entries[0]!], 'cp-1', '2025-03-25T17:06:00'), []);
    assert.deepEqual(auditLinks(entries, 'cp-1', '2024-01-01T00:00:00'), []);
    assert.deepEqual(auditLinks(entries, 'cp-1', 'garbage'), []);
  });
  it('finds saved log lines naming a folder', () => {
    assert.deepEqual(findLogLines('a\nb kubeadm-backup-etcd-X/\nc', 'kubeadm-backup-etcd-X'), [{ line: 2, text: 'b kubeadm-backup-etcd-X/' }]);
    assert.deepEqual(findLogLines('a', ''), []);
  });
});
