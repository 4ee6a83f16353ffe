// A detached node step that dies WITHOUT an exit status, against a real sshd: its processes killed (as the OOM killer
// or `systemctl stop` would), or the node "rebooted" (the boot id recorded at the step's start no longer the node's).
// The follower must report "the step ended without an exit status (the node rebooted?)" within 30 s — never follow
// a log that will not end — and a re-attach (a resume) to such a step reports it at once, without starting it again.
// A step interrupted before it started (its folder made, then the attach script killed: no pid file, no log, nothing
// runs it) is said as it is, and the runner starts it again at once as a new try, audited.
// The steps run as root on this machine, in /var/lib/kubeadm-upgrade/runs/<unique run id> (removed afterwards).
import './pureJs';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import type { AuditEntry } from '../../../src/core/audit/entry';
import { runUpgrade } from '../../../src/core/upgrade/runner';
import { DEFAULT_OPTIONS, phasesFor } from '../../../src/core/upgrade/phases';
import { newRunState } from '../../../src/core/upgrade/state';
import { parseVersion } from '../../../src/core/version';
import { RUNS_DIR, stepFiles } from '../../../src/core/exec/detached';
import { raw, sh } from '../../../src/core/exec/shell';
import { clientFor, fakePrompts, type Client } from './fixture';
import { Sshd } from './sshd';

let sshd: Sshd;
let client: Client;
let work: string;
const runId = `it-lost-${process.pid}-${Date.now().toString(36)}`;
/** Every step session this file started, killed by pid (process group) at the end whatever happened. */
const started = new Set<number>();

before(async () => {
  sshd = await Sshd.start();
  client = clientFor(sshd);
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'kup-lost-'));
});
after(async () => {
  for (const pid of started) killGroup(pid);
  await sshd?.stop();
  client?.cleanup();
  fs.rmSync(path.join(RUNS_DIR, runId), { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
});

const LIMIT_MS = 30_000;

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL'); // the step's shell leads its own session and process group (setsid)
  } catch {
    // gone
  }
}

/** The step's `PID STARTTIME BOOT_ID`, once its shell has written it. */
async function recorded(step: string): Promise<{ pid: number; start: string; boot: string }> {
  const file = stepFiles({ runId, step }).pid;
  for (let i = 0; i < 200; i++) {
    if (fs.existsSync(file)) {
      const [pid, start, boot] = fs.readFileSync(file, 'utf8').trim().split(' ');
      started.add(Number(pid));
      return { pid: Number(pid), start: start!, boot: boot! };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${file} was never written`);
}

function longStep(counter: string) {
  return raw(`echo ran >> ${sh`${counter}`}; echo begin; sleep 300; echo end`);
}

test('the step\'s processes are killed (OOM killer, systemctl stop): reported as ended without an exit status within 30 s; a resume reports it again at once and never starts it twice', { timeout: 120_000 }, async () => {
  const counter = path.join(work, 'count-killed');
  const step = 'killed-1';
  const pool = client.pool(fakePrompts());
  try {
    const running = pool.getExecutor('node-a').run(longStep(counter), { detached: { runId, step } });
    const { pid, boot } = await recorded(step);
    assert.equal(boot, fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim(), 'the boot id is recorded');
    // Once the step itself has begun (the pid is recorded just before it runs): its output so far is then known.
    for (let i = 0; i < 200 && !fs.readFileSync(stepFiles({ runId, step }).log, 'utf8').includes('begin'); i++) await new Promise((r) => setTimeout(r, 50));
    const killedAt = Date.now();
    killGroup(pid);
    const r = await running;
    const tookMs = Date.now() - killedAt;
    assert.ok(tookMs < LIMIT_MS, `reported after ${tookMs} ms`);
    assert.equal(r.exitCode, null);
    assert.equal(r.lost, true);
    assert.match(r.failure!, /^the step ended without an exit status \(the node rebooted\?\): the step's process on .* is gone/);
    assert.match(r.failure!, new RegExp(`${stepFiles({ runId, step }).log}.*journalctl -u kubeadm-upgrade-${runId}-${step}.*resume the upgrade`));
    assert.equal(r.stdout, 'begin\n', 'its output so far');
    assert.ok(!fs.existsSync(stepFiles({ runId, step }).rc), 'no status was written');
  } finally {
    pool.dispose();
  }

  // A resume (a new pool, the same run and step): the same report, at once, and the step is not started again.
  const again = client.pool(fakePrompts());
  try {
    const t0 = Date.now();
    const r = await again.getExecutor('node-a').run(longStep(counter), { detached: { runId, step } });
    assert.ok(Date.now() - t0 < 10_000, `re-attach reported after ${Date.now() - t0} ms`);
    assert.equal(r.lost, true, r.failure);
    assert.equal(fs.readFileSync(counter, 'utf8'), 'ran\n', 'started once');
  } finally {
    again.dispose();
  }
});

test('only the step\'s shell is killed while what it started still runs: no report until that has ended too', { timeout: 120_000 }, async () => {
  const step = 'shell-killed-1';
  const marker = path.join(work, 'child-done');
  const pool = client.pool(fakePrompts());
  try {
    const running = pool.getExecutor('node-a').run(raw(`echo begin; sleep 4; echo child >> ${sh`${marker}`}`), { detached: { runId, step } });
    const { pid } = await recorded(step);
    // Once the step itself runs (its first line is in the log): before that the shell has started nothing.
    for (let i = 0; i < 200 && !fs.readFileSync(stepFiles({ runId, step }).log, 'utf8').includes('begin'); i++) await new Promise((r) => setTimeout(r, 50));
    process.kill(pid, 'SIGKILL'); // the shell alone: its `sh <step>.sh` child (same session) goes on
    const r = await running;
    assert.equal(r.lost, true, r.failure);
    assert.ok(fs.existsSync(marker), `reported only after the step's own process ended: ${r.failure}`);
  } finally {
    pool.dispose();
  }
});

test('the node rebooted (the boot id is no longer the one recorded at the start): reported within 30 s, naming the reboot', { timeout: 120_000 }, async () => {
  const step = 'reboot-1';
  const pool = client.pool(fakePrompts());
  try {
    const running = pool.getExecutor('node-a').run(longStep(path.join(work, 'count-reboot')), { detached: { runId, step } });
    const { pid, start } = await recorded(step);
    const changedAt = Date.now();
    // What the node shows after a reboot: another boot id than the one the step recorded.
    fs.writeFileSync(stepFiles({ runId, step }).pid, `${pid} ${start} 00000000-0000-4000-8000-000000000000\n`);
    const r = await running;
    assert.ok(Date.now() - changedAt < LIMIT_MS, `reported after ${Date.now() - changedAt} ms`);
    assert.equal(r.lost, true, r.failure);
    assert.match(r.failure!, /ended without an exit status \(the node rebooted\?\): .* rebooted while the step ran \(its boot id changed\).*last -x reboot/);
  } finally {
    pool.dispose();
  }
});

test('the pid was reused by another process (another start time): the step counts as gone', { timeout: 120_000 }, async () => {
  const step = 'reused-1';
  const pool = client.pool(fakePrompts());
  try {
    const running = pool.getExecutor('node-a').run(longStep(path.join(work, 'count-reused')), { detached: { runId, step } });
    const { pid, boot } = await recorded(step);
    // The recorded pid now names this test's own process (alive, another start time): the step's is not running.
    fs.writeFileSync(stepFiles({ runId, step }).pid, `${process.pid} 1 ${boot}\n`);
    const r = await running;
    assert.equal(r.lost, true, r.failure);
    assert.match(r.failure!, /is gone/);
    killGroup(pid);
  } finally {
    pool.dispose();
  }
});

/** What a kill between the attach script's `mkdir <step>.started` and the step's start leaves: the folder, maybe an empty log. */
function interruptedBeforeStart(step: string, log: string | undefined): void {
  const f = stepFiles({ runId, step });
  fs.mkdirSync(f.dir, { recursive: true, mode: 0o700 });
  fs.mkdirSync(path.join(f.dir, `${step}.started`));
  if (log !== undefined) fs.writeFileSync(f.log, log);
}

test('a step that provably never started (its folder, no pid file, no log): said as it is within 30 s, not as a reboot, and never started by the re-attach', { timeout: 120_000 }, async () => {
  const counter = path.join(work, 'count-never');
  const step = 'never-1';
  interruptedBeforeStart(step, undefined);
  const pool = client.pool(fakePrompts());
  try {
    const t0 = Date.now();
    const r = await pool.getExecutor('node-a').run(longStep(counter), { detached: { runId, step } });
    assert.ok(Date.now() - t0 < LIMIT_MS, `reported after ${Date.now() - t0} ms`);
    assert.equal(r.exitCode, null);
    assert.equal(r.lost, true);
    assert.equal(r.neverStarted, true, r.failure);
    assert.match(r.failure!, /^the step never started on root@127\.0\.0\.1:\d+ \(no pid file, no log, no process runs it/);
    assert.doesNotMatch(r.failure!, /rebooted|without an exit status/);
    assert.ok(!fs.existsSync(counter), 'the re-attach did not start it');
  } finally {
    pool.dispose();
  }
});

test('no pid file but output in its log (a step that ran unrecorded and is gone): a failure, not "never started"', { timeout: 120_000 }, async () => {
  const step = 'unrecorded-1';
  interruptedBeforeStart(step, 'begin\n');
  const pool = client.pool(fakePrompts());
  try {
    const r = await pool.getExecutor('node-a').run(longStep(path.join(work, 'count-unrecorded')), { detached: { runId, step } });
    assert.equal(r.lost, true, r.failure);
    assert.equal(r.neverStarted, undefined);
    assert.match(r.failure!, /^the step ended without an exit status \(the node rebooted\?\): the step on .* never recorded its pid/);
  } finally {
    pool.dispose();
  }
});

test('no pid file while a process still runs the step\'s script (an older kubeadm-upgrade\'s step): followed while it runs, reported only once it has ended', { timeout: 120_000 }, async () => {
  const step = 'older-1';
  interruptedBeforeStart(step, '');
  const f = stepFiles({ runId, step });
  const script = path.join(f.dir, `${step}.sh`);
  fs.writeFileSync(script, `echo old >>${sh`${f.log}`}; sleep 22\n`);
  const old = spawn('setsid', ['sh', script], { stdio: 'ignore', detached: true });
  started.add(old.pid!);
  const pool = client.pool(fakePrompts());
  try {
    const t0 = Date.now();
    const r = await pool.getExecutor('node-a').run(longStep(path.join(work, 'count-older')), { detached: { runId, step } });
    assert.ok(Date.now() - t0 >= 18_000, `reported after ${Date.now() - t0} ms, while the old step still ran`);
    assert.equal(r.lost, true, r.failure);
    assert.equal(r.neverStarted, undefined, 'it ran: not "never started"');
  } finally {
    pool.dispose();
  }
});

test('through the runner over real SSH: a try that never started is started again at once as try 2 in the same run, said and audited', { timeout: 120_000 }, async () => {
  const context = { cluster: 'it', node: 'node-a', role: 'worker' as const, target: parseVersion('v1.32.3')!, packageManager: 'apt' as const, packageVersion: '1.32.3-1.1', stamp: 'x', options: DEFAULT_OPTIONS };
  const state = newRunState(runId, context, phasesFor(context), new Date());
  // Everything done but `kubeadm upgrade node`, whose first try was interrupted before it started.
  for (const p of state.phases) p.status = p.id === 'kubeadm-upgrade' ? 'running' : 'done';
  interruptedBeforeStart('kubeadm-upgrade-1', '');
  const pool = client.pool(fakePrompts());
  const real = pool.getExecutor('node-a');
  const counter = path.join(work, 'count-runner');
  const audit: AuditEntry[] = [];
  const messages: string[] = [];
  try {
    const done = await runUpgrade(state, {
      // The real SSH executor and step files; only the command is a harmless stand-in for kubeadm on this machine.
      executor: { description: real.description, run: (_c, o) => real.run(raw(`echo ran >> ${sh`${counter}`}; echo upgraded`), o), dispose() {} },
      cluster: { drain: async () => {}, uncordon: async () => {}, nodeStatus: async () => ({ ready: true, kubeletVersion: 'v1.32.3', unschedulable: false }) },
      confirm: async () => true,
      progress: (e) => (e.type === 'message' ? messages.push(e.text) : undefined),
      save: async () => {},
      audit: (e) => audit.push(e),
    });
    assert.equal(done.status, 'done', done.error);
    assert.equal(fs.readFileSync(counter, 'utf8'), 'ran\n', 'started once, as try 2');
    assert.equal(fs.readFileSync(stepFiles({ runId, step: 'kubeadm-upgrade-2' }).rc, 'utf8').trim(), '0');
    assert.ok(!fs.existsSync(stepFiles({ runId, step: 'kubeadm-upgrade-1' }).pid), 'try 1 never ran');
    assert.ok(messages.some((m) => /^the step never started on root@127\.0\.0\.1:\d+ \(no pid file, no log.*: starting it again as try 2$/.test(m)), messages.join('\n'));
    const lines = audit.filter((e) => e.phase === 'kubeadm-upgrade');
    assert.deepEqual(lines.map((e) => [e.stage, e.exitCode]), [['start', null], ['end', null], ['start', null], ['end', 0]]);
    assert.match(lines[1]!.failure!, /^the step never started on .*: starting it again as try 2$/);
  } finally {
    pool.dispose();
  }
});
