import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { attachScript, readStatus, statusMarker, unitName, validateDetachedStep } from '../../../src/core/exec/detached';
import { raw } from '../../../src/core/exec/shell';

const M = statusMarker('0123456789abcdef');

test('run ids and step names must be plain file/unit names', () => {
  assert.doesNotThrow(() => validateDetachedStep({ runId: '20260101T000000Z-cp-1', step: 'kubeadm-upgrade-1' }));
  for (const bad of ['../x', 'a b', '', 'a;b', '-x', 'a/b']) assert.throws(() => validateDetachedStep({ runId: bad, step: 's' }));
  assert.equal(unitName({ runId: 'r1', step: 's-1' }), 'kubeadm-upgrade-r1-s-1');
});

test('the exit status is read between the unique markers only, and removed from stderr', () => {
  assert.deepEqual(readStatus(`warn\n${M} rc=3\n`, M), { rc: 3, rest: 'warn' });
  assert.deepEqual(readStatus('rc=0\nclosed.\n', M), { rc: undefined, rest: 'rc=0\nclosed.\n' });
  assert.deepEqual(readStatus(`KUBEADM-UPGRADE-STATUS-ffffffff rc=0\n`, M).rc, undefined, 'another run\'s marker is not ours');
});

test('the script is valid POSIX sh and never contains the whole marker (so its echo cannot fake a status)', () => {
  const s = attachScript(raw("echo 'it''s'"), { runId: 'r1', step: 'kubeadm-upgrade-1' }, 42, M);
  assert.ok(!s.includes(M));
  assert.match(s, /off=42/);
  assert.match(s, /systemd-run --quiet --collect --unit=kubeadm-upgrade-r1-kubeadm-upgrade-1/);
  assert.match(s, /setsid nohup/);
  execFileSync('sh', ['-n', '-c', s]); // syntax check only
  assert.ok(!s.includes('\n'), 'one line: the terminal executor types it');
  assert.throws(() => attachScript(raw('true'), { runId: 'r1', step: 's' }, -1, M));
});
