import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { raw, sh } from '../../../src/core/exec/shell';
import { MarkerFilter, plainCommand, sudoCommand, sudoMarker } from '../../../src/core/ssh/remoteCommand';

const M = sudoMarker('0123456789abcdef');

test('sudo marker: random hex only, no % for sudo to expand', () => {
  assert.equal(M, '[kubeadm-upgrade sudo 0123456789abcdef] password:');
  assert.throws(() => sudoMarker('%p'));
});

test('sudoCommand quotes the marker and the command', () => {
  const line = sudoCommand(sh`echo ${"a'b"}`, M);
  assert.ok(line.startsWith(`sudo -S -p '${M}' -- sh -c '`));
  assert.ok(line.endsWith(` sh 'echo '\\''a'\\''\\'\\'''\\''b'\\'''`), line);
});

test('plainCommand runs the command with sh, keeps its exit status, output and quoting; stdin is /dev/null', () => {
  // stdin stays open (as the channel's does) and carries data the command must not see.
  const cmd = plainCommand(sh`printf '%s|' ${"x'y $z"} "$(cat)"; echo e >&2; exit 5`);
  const r = spawnSync('/bin/sh', ['-c', `(echo not-for-the-command; sleep 1) | ${cmd}`], { encoding: 'utf8' });
  assert.equal(r.status, 5);
  assert.equal(r.stdout, "x'y $z||");
  assert.equal(r.stderr, 'e\n');
});

test('plainCommand: closing stdin stops the command (its whole process group)', () => {
  const t0 = Date.now();
  // `sleep 1; exit` closes stdin after a second (the parent shell's pipe), like the executor's channel.end().
  const r = spawnSync('/bin/sh', ['-c', `(sleep 1) | ${plainCommand(raw('sleep 20 & sleep 20; echo not-stopped'))}`], { encoding: 'utf8' });
  assert.ok(Date.now() - t0 < 5000, 'the command was not stopped');
  assert.equal(r.stdout, '');
  assert.equal(r.status, 143);
});

test('MarkerFilter: strips markers, also split across chunks, counts them, passes other text', () => {
  const f = new MarkerFilter(M);
  const parts = ['before ', M.slice(0, 5), M.slice(5, 20), M.slice(20) + 'after', ' [kubeadm-upgrade x', 'y] end', M];
  const out = parts.map((p) => f.push(p));
  assert.equal(out.map((o) => o.text).join('') + f.flush(), 'before after [kubeadm-upgrade xy] end');
  assert.deepEqual(out.map((o) => o.markers), [0, 0, 0, 1, 0, 0, 1]);
  const g = new MarkerFilter(M);
  assert.deepEqual(g.push('[kubeadm'), { text: '', markers: 0 });
  assert.equal(g.flush(), '[kubeadm', 'a held-back partial marker is not lost');
});
