import { test } from 'node:test';
import assert from 'node:assert/strict';
import { plainTerminalText } from '../../src/core/exec/terminalText';

test('shell-integration marks, colours and carriage returns are removed', () => {
  const raw = '\u001b]633;C\u0007apt\r\n\u001b[32mkubeadm | 1.36.3-1.1 |\u001b[0m x\r\n\u001b]633;D;0\u0007';
  assert.equal(plainTerminalText(raw), 'apt\nkubeadm | 1.36.3-1.1 | x\n');
  assert.equal(plainTerminalText('\u001b]0;title\u001b\\ok\r'), 'ok');
  assert.equal(plainTerminalText('plain text'), 'plain text');
});
