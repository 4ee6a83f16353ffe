import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readMarked, resultMarkers, wrapWithMarkers } from '../../../src/core/exec/resultMarkers';
import { raw } from '../../../src/core/exec/shell';
import { plainTerminalText } from '../../../src/core/exec/terminalText';

const m = resultMarkers('00112233445566778899aabb');

test('the result is what lies between the markers, with the status printed there; ssh\'s own "closed." line is not the answer', () => {
  const wrapped = wrapWithMarkers(raw('kubeadm version -o short'), m);
  assert.ok(!wrapped.includes(m.begin) && !wrapped.includes(m.end), 'the echoed command line cannot fake a marker');
  // What a pty shows for `ssh -t` at LogLevel INFO (sudo prompt before, ssh's message after), with \r\n line ends.
  const screen = `$ ssh -t cp-1 -- '${wrapped}'\r\n[sudo] password for ops: \r\n${m.begin}\r\nv1.32.3\r\n\r\n${m.end} rc=0\r\nShared connection to 10.0.0.11 closed.\r\n`;
  assert.deepEqual(readMarked(plainTerminalText(screen), m), { complete: true, output: 'v1.32.3\n', exitCode: 0 });
  assert.deepEqual(readMarked(`${m.begin}\nno newline${'\n'}${m.end} rc=7\n`, m), { complete: true, output: 'no newline', exitCode: 7 });
  assert.deepEqual(readMarked(`${m.begin}\npartial\nConnection to x closed by remote host.\n`, m), { complete: false, output: 'partial\nConnection to x closed by remote host.\n' });
  assert.deepEqual(readMarked('closed.\n', m), { complete: false, output: '' });
});

test('the wrapper runs in POSIX sh: output between the markers, exit status kept', () => {
  let out = '';
  try {
    execFileSync('sh', ['-c', wrapWithMarkers(raw("echo 'a b'; exit 3"), m)], { encoding: 'utf8' });
  } catch (e) {
    out = (e as { stdout: string; status: number }).stdout;
    assert.equal((e as { status: number }).status, 3);
  }
  assert.deepEqual(readMarked(out, m), { complete: true, output: 'a b\n', exitCode: 3 });
});
