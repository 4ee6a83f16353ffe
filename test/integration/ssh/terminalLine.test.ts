// Terminal mode against a real sshd and the real ssh client in a real pty (util-linux `script`), with an ordinary
// client ssh_config that sets nothing but Host/HostName/Port/User/IdentityFile (so OpenSSH's default LogLevel INFO
// applies: `ssh -t` through a shared connection prints "Shared connection to HOST closed."). The line is the one the
// terminal executor types; the result must come from between the markers, with the exit status printed there.
// known_hosts: ssh reads ~/.ssh/known_hosts from the passwd home (not $HOME), so the sshd's key is added to the
// real user's file for the test and the file is restored byte for byte afterwards.
import './pureJs';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { terminalCommandLine } from '../../../src/adapters/terminal/commandLine';
import { attachScript, readStatus, RUNS_DIR, statusMarker } from '../../../src/core/exec/detached';
import { readMarked, resultMarkers, wrapWithMarkers } from '../../../src/core/exec/resultMarkers';
import { raw, type ShellCommand } from '../../../src/core/exec/shell';
import { plainTerminalText } from '../../../src/core/exec/terminalText';
import { makeKey, Sshd, tmpDir } from './sshd';

let sshd: Sshd;
let home: string;
let runtime: string;
let config: string;
const knownHosts = path.join(os.userInfo().homedir, '.ssh', 'known_hosts');
let savedKnownHosts: string | undefined;
let hadSshDir = true;

before(async () => {
  sshd = await Sshd.start();
  home = tmpDir('kup-term-');
  runtime = fs.mkdtempSync(path.join(os.tmpdir(), 'kup-xdg-'));
  const key = makeKey(home, 'id_term');
  sshd.authorize(key);
  config = path.join(home, 'ssh_config');
  fs.writeFileSync(config, ['Host node-t', '  HostName 127.0.0.1', `  Port ${sshd.port}`, '  User root', `  IdentityFile ${key.privateKey}`, ''].join('\n'));
  hadSshDir = fs.existsSync(path.dirname(knownHosts));
  fs.mkdirSync(path.dirname(knownHosts), { recursive: true, mode: 0o700 });
  savedKnownHosts = fs.existsSync(knownHosts) ? fs.readFileSync(knownHosts, 'utf8') : undefined;
  fs.appendFileSync(knownHosts, `[127.0.0.1]:${sshd.port} ${sshd.hostKey.publicLine.split(' ').slice(0, 2).join(' ')}\n`);
});
after(async () => {
  // The multiplexing master (ControlPersist) goes with the sshd; restore the user's known_hosts.
  spawnSync('ssh', ['-F', config, '-o', `ControlPath=${runtime}/kubeadm-upgrade-ssh/%C`, '-O', 'exit', 'node-t'], { stdio: 'ignore' });
  await sshd?.stop();
  if (savedKnownHosts === undefined) fs.rmSync(knownHosts, { force: true });
  else fs.writeFileSync(knownHosts, savedKnownHosts);
  if (!hadSshDir) fs.rmSync(path.dirname(knownHosts), { recursive: true, force: true });
  fs.rmSync(home, { recursive: true, force: true });
  fs.rmSync(runtime, { recursive: true, force: true });
});

/** Types `line` into bash in a pty, as the integrated terminal does; returns the screen text. */
function inPty(line: string): string {
  const r = spawnSync('script', ['-qec', line, '/dev/null'], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, SHELL: '/bin/bash' } });
  return plainTerminalText(r.stdout + r.stderr);
}

function lineFor(command: string | ShellCommand, sudo = false) {
  const m = resultMarkers(Math.random().toString(16).slice(2).padEnd(12, '0'));
  const line = terminalCommandLine({ node: 'cp-1', sshHost: 'node-t', sshConfigFile: config }, wrapWithMarkers(raw(command), m), sudo, { XDG_RUNTIME_DIR: runtime });
  return { m, line };
}

test('the executor\'s line: -o LogLevel=ERROR, result and exit code read between the markers, twice over one shared connection', () => {
  for (let i = 0; i < 2; i++) {
    const { m, line } = lineFor('echo v1.32.3');
    assert.match(line, / -o LogLevel=ERROR /);
    const screen = inPty(line);
    assert.deepEqual(readMarked(screen, m), { complete: true, output: 'v1.32.3\n', exitCode: 0 }, screen);
    assert.doesNotMatch(screen, /Shared connection|Connection to .* closed/);
  }
  const { m, line } = lineFor('echo "a b"; echo err >&2; exit 3', true);
  assert.deepEqual(readMarked(inPty(line), m), { complete: true, output: 'a b\nerr\n', exitCode: 3 });
  assert.ok(fs.readdirSync(path.join(runtime, 'kubeadm-upgrade-ssh')).length > 0, 'the control socket is in the private folder');
});

test('even where ssh still prints "Shared connection to HOST closed." (LogLevel INFO from that ssh_config), the answer is not its last word', () => {
  const { m, line } = lineFor('kubeadm_version_stand_in() { echo v1.32.3; }; kubeadm_version_stand_in');
  const screen = inPty(line.replace(' -o LogLevel=ERROR', ''));
  assert.match(screen, /Shared connection to 127\.0\.0\.1 closed\./, 'the ordinary ssh_config really prints it');
  assert.equal(screen.trim().split(/\s+/).pop(), 'closed.', 'the old "last word" would have read this');
  assert.deepEqual(readMarked(screen, m), { complete: true, output: 'v1.32.3\n', exitCode: 0 });
});

test('a detached step typed as one line through ssh -t and sudo: started once, followed to its end, status between its own markers', () => {
  const runId = `it-term-${process.pid}`;
  const status = statusMarker('feedfacecafe0123');
  try {
    for (let i = 0; i < 2; i++) {
      // The second time is a re-attach (as after a dropped terminal session): the log again, the step not re-run.
      const { m, line } = lineFor(attachScript(raw(`echo ran >> ${path.join(home, 'count')}; echo out; exit 5`), { runId, step: 's-1' }, 0, status), true);
      const r = readMarked(inPty(line), m);
      assert.equal(r.complete, true);
      assert.deepEqual(readStatus(r.output, status), { rc: 5, rest: 'out\n' });
    }
    assert.equal(fs.readFileSync(path.join(home, 'count'), 'utf8'), 'ran\n', 'started once');
  } finally {
    fs.rmSync(path.join(RUNS_DIR, runId), { recursive: true, force: true });
  }
});
