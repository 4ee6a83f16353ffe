// The terminal executor's line (src/adapters/terminal/commandLine.ts): keepalives on ssh, and sudo only for a
// login that is not root. The "on the node" part is run here with the real sh, once as root (this test runs as
// root) and once as a login that `id` says is uid 1000, with a stand-in sudo that says it was used.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { asRoot, SERVER_ALIVE, terminalCommandLine } from '../../../src/adapters/terminal/commandLine';
import { raw } from '../../../src/core/exec/shell';

const runtime = fs.mkdtempSync(path.join(os.tmpdir(), 'kup-xdg-'));
const env = { XDG_RUNTIME_DIR: runtime };

test('over ssh: ServerAliveInterval and ServerAliveCountMax on the command line, whatever ssh_config says', () => {
  const line = terminalCommandLine({ node: 'cp-1', sshHost: 'cp-1', sshConfigFile: '/etc/ssh/x config' }, raw('kubeadm version'), false, env);
  assert.match(line, new RegExp(`^ssh -F '/etc/ssh/x config' -o LogLevel=ERROR -o ServerAliveInterval=${SERVER_ALIVE.intervalSeconds} -o ServerAliveCountMax=${SERVER_ALIVE.countMax} -o ControlMaster=auto `));
  assert.ok(SERVER_ALIVE.intervalSeconds * SERVER_ALIVE.countMax <= 60, 'a silent network is given up on within a minute');
  assert.match(line, / -t cp-1 -- 'sh -c '\\''kubeadm version'\\'''$/);
});

test('without sudo the command runs as the login; with sudo it goes through the root check, not straight to sudo', () => {
  assert.equal(terminalCommandLine({ node: 'cp-1' }, raw('id -u'), false, env), "sh -c 'id -u'");
  const line = terminalCommandLine({ node: 'cp-1' }, raw('id -u'), true, env);
  assert.equal(line, asRoot(raw('id -u')));
  assert.doesNotMatch(line, /^sudo/);
});

function runOnNode(line: string, pathDir?: string): string {
  return execFileSync('/bin/sh', ['-c', line], { encoding: 'utf8', env: { PATH: `${pathDir ? `${pathDir}:` : ''}/usr/bin:/bin` } });
}

test('a root login: no sudo at all (a node without sudo works)', { skip: process.getuid?.() !== 0 && 'needs root' }, () => {
  const noSudo = fs.mkdtempSync(path.join(os.tmpdir(), 'kup-nosudo-'));
  fs.writeFileSync(path.join(noSudo, 'sudo'), '#!/bin/sh\necho "sudo was called" >&2\nexit 99\n', { mode: 0o755 });
  assert.equal(runOnNode(terminalCommandLine({ node: 'cp-1' }, raw(`echo "it's root: $(id -u)"`), true, env), noSudo), "it's root: 0\n");
  fs.rmSync(noSudo, { recursive: true, force: true });
});

test('a login that is not root: through sudo, the command intact', () => {
  const fake = fs.mkdtempSync(path.join(os.tmpdir(), 'kup-fakeid-'));
  fs.writeFileSync(path.join(fake, 'id'), '#!/bin/sh\necho 1000\n', { mode: 0o755 });
  fs.writeFileSync(path.join(fake, 'sudo'), '#!/bin/sh\n[ "$1" = -- ] && shift\necho "via sudo"\nexec "$@"\n', { mode: 0o755 });
  assert.equal(runOnNode(terminalCommandLine({ node: 'cp-1' }, raw(`echo "a 'b' $((1 + 2))"`), true, env), fake), "via sudo\na 'b' 3\n");
  fs.rmSync(fake, { recursive: true, force: true });
});

test.after(() => fs.rmSync(runtime, { recursive: true, force: true }));
