// `upgrade-node --local` run in an admin's SSH session that drops (#22 item 8): the hangup reaches every process of
// that login session. The step must go on (it runs in a session of its own, output to its log file, not to the
// CLI's pipes, so no SIGHUP and no SIGPIPE on its next line of output), finish exactly once, and `resume` must
// re-attach to it and get its whole output and exit status. Runs as root on this machine, in
// /var/lib/kubeadm-upgrade/runs/<unique run id> (removed afterwards), as on a node without systemd.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalExecutor } from '../../../src/adapters/local/localExecutor';
import { RUNS_DIR, stepFiles } from '../../../src/core/exec/detached';
import { raw, sh } from '../../../src/core/exec/shell';

const runId = `it-sighup-${process.pid}-${Date.now().toString(36)}`;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kup-sighup-'));
after(() => {
  fs.rmSync(path.join(RUNS_DIR, runId), { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
});

/** Pids of the live processes of session `sid` (field 6 of /proc/PID/stat). */
function sessionMembers(sid: number): number[] {
  return fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).flatMap((d) => {
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
      return Number(f[3]) === sid && f[0] !== 'Z' ? [Number(d)] : [];
    } catch {
      return [];
    }
  });
}

async function until(what: string, ok: () => boolean, ms = 20_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    if (ok()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`never: ${what}`);
}

test('the login session hangs up mid-step: the local step goes on, ends once, and a re-attach gets all of it', { skip: process.getuid?.() !== 0 && 'needs root (the runs folder)', timeout: 60_000 }, async () => {
  const step = 'install-kubeadm-1';
  const counter = path.join(work, 'count');
  // Output after the hangup too: a step still writing to the dead CLI's pipe would die of SIGPIPE there.
  const command = `echo begin; sleep 2; echo middle; echo ran >> ${sh`${counter}`}; sleep 1; echo end; exit 7`;
  const files = stepFiles({ runId, step });
  // The "login session": a new session (setsid) whose leader is the CLI stand-in.
  const cli = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'detachedChild.ts'), runId, step, command], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let cliOut = '';
  cli.stdout.on('data', (b: Buffer) => (cliOut += b.toString()));
  const cliExit = new Promise<NodeJS.Signals | null>((r) => cli.once('exit', (_code, signal) => r(signal)));
  await until('the step started', () => fs.existsSync(files.log) && fs.readFileSync(files.log, 'utf8').includes('begin'));

  const members = sessionMembers(cli.pid!);
  assert.ok(members.includes(cli.pid!), 'the CLI is in the session');
  for (const pid of members) {
    try {
      process.kill(pid, 'SIGHUP'); // the hangup reaches every process of the dropped login session
    } catch {
      // already gone
    }
  }
  assert.equal(await cliExit, 'SIGHUP', 'the CLI itself is gone');
  assert.equal(cliOut, '', 'it never saw the end');

  await until('the step wrote its status', () => fs.existsSync(files.rc));
  assert.equal(fs.readFileSync(files.rc, 'utf8').trim(), '7', 'the step ran to its end');
  assert.equal(fs.readFileSync(counter, 'utf8'), 'ran\n');

  // `resume`: a new executor, the same run and step → re-attached, not started again, the whole output and status.
  const r = await new LocalExecutor().run(raw(command), { sudo: true, detached: { runId, step } });
  assert.equal(r.exitCode, 7, r.failure);
  assert.equal(r.stdout, 'begin\nmiddle\nend\n');
  assert.equal(fs.readFileSync(counter, 'utf8'), 'ran\n', 'ran once');
});

test('a local detached step streams its output and returns its status; a killed one is reported lost', { skip: process.getuid?.() !== 0 && 'needs root (the runs folder)', timeout: 60_000 }, async () => {
  const seen: string[] = [];
  const ok = await new LocalExecutor().run(raw('echo one; echo two >&2; exit 3'), { sudo: true, detached: { runId, step: 'plain-1' }, onOutput: (t) => seen.push(t) });
  assert.equal(ok.exitCode, 3);
  assert.equal(ok.stdout, 'one\ntwo\n', 'stdout and stderr of the step both go to its log');
  assert.equal(seen.join(''), 'one\ntwo\n');

  const files = stepFiles({ runId, step: 'killed-1' });
  const running = new LocalExecutor().run(raw('echo begin; sleep 300'), { sudo: true, detached: { runId, step: 'killed-1' } });
  await until('the pid was recorded', () => fs.existsSync(files.pid));
  const pid = Number(fs.readFileSync(files.pid, 'utf8').split(' ')[0]);
  process.kill(-pid, 'SIGKILL');
  const r = await running;
  assert.equal(r.lost, true, r.failure);
  assert.match(r.failure!, new RegExp(`the step ended without an exit status \\(the node rebooted\\?\\): the step's process on ${os.hostname()} is gone`));
});
