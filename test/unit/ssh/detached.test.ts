import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { attachScript, lostResult, lostStepMessage, readStatus, statusMarker, unitName, validateDetachedStep } from '../../../src/core/exec/detached';
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

test('a step that ended without a status is read as lost, with its reason', () => {
  assert.deepEqual(readStatus(`warn\n${M} lost=rebooted\n`, M), { rc: undefined, lost: 'rebooted', rest: 'warn' });
  assert.deepEqual(readStatus(`${M} lost=gone\n`, M).lost, 'gone');
  assert.deepEqual(readStatus(`${M} lost=never-started`, M).lost, 'never-started');
  assert.equal(readStatus(`${M} lost=whatever\n`, M).lost, undefined, 'only the reasons the script prints');
});

test('the lost report says what happened, what to check on the node and how to go on', () => {
  const d = { runId: 'r1', step: 'install-kubeadm-2' };
  const m = lostStepMessage(d, 'gone', 'worker-1');
  assert.match(m, /^the step ended without an exit status \(the node rebooted\?\): the step's process on worker-1 is gone \(killed: OOM killer, systemctl stop, kill\)/);
  for (const part of ['/var/lib/kubeadm-upgrade/runs/r1/install-kubeadm-2.log', 'journalctl -u kubeadm-upgrade-r1-install-kubeadm-2', 'last -x reboot', 'oom', 'dpkg --configure -a', 'resume the upgrade']) {
    assert.ok(m.includes(part), `${part} in ${m}`);
  }
  assert.match(lostStepMessage(d, 'rebooted', 'cp-1'), /cp-1 rebooted while the step ran \(its boot id changed\)/);
  assert.match(lostStepMessage(d, 'unrecorded', 'cp-1'), /^the step ended without an exit status \(the node rebooted\?\): the step on cp-1 never recorded its pid/);
});

test('a step that provably never started is said as it is (no pid file, no log), never as a reboot, and marked for a new try', () => {
  const d = { runId: 'r1', step: 'kubeadm-upgrade-1' };
  const m = lostStepMessage(d, 'never-started', 'cp-1');
  assert.match(m, /^the step never started on cp-1 \(no pid file, no log, no process runs it/);
  assert.doesNotMatch(m, /rebooted|without an exit status/);
  assert.deepEqual(lostResult(d, 'never-started', 'cp-1'), { exitCode: null, failure: m, lost: true, neverStarted: true });
  assert.equal(lostResult(d, 'gone', 'cp-1').neverStarted, undefined, 'a step that ran and died is not started again by itself');
  assert.equal(readStatus(`${M} lost=unrecorded\n`, M).lost, 'unrecorded');
});

test('the step runs only once its pid is recorded; without one, a process still running its script keeps it alive, a log decides never-started from unrecorded', () => {
  const s = attachScript(raw('true'), { runId: 'r1', step: 's-1' }, 0, M);
  assert.match(s, /\|\| exit 126; sh "\$1"/, 'no pid recorded, no step');
  // grep's own command line holds `s-1[.]sh`, which the pattern does not match: it never finds itself.
  assert.match(s, /grep -qs -e "\$s\[\.\]sh" \/proc\/\[0-9\]\*\/cmdline; then :; elif \[ -s "\$log" \]; then lost=unrecorded; else lost=never-started; fi;/);
});

test('the script records the step\'s pid, start time and boot id, and checks them while it waits', () => {
  const s = attachScript(raw('true'), { runId: 'r1', step: 's-1' }, 0, M);
  assert.match(s, /pidf=\/var\/lib\/kubeadm-upgrade\/runs\/r1\/s-1.pid/);
  assert.match(s, /\/proc\/\$\$\/stat/);
  assert.match(s, /\/proc\/sys\/kernel\/random\/boot_id/);
  assert.match(s, /lost=rebooted/);
  assert.match(s, /lost=never-started/);
});
