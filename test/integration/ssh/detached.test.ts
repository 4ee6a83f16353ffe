// Detached node steps against a real sshd: the step outlives the SSH session that started it, the executor
// re-attaches after the session's sshd process is killed, and running the same step again (a resume after a
// reload) re-attaches instead of starting it a second time. The steps run as root on this machine, in
// /var/lib/kubeadm-upgrade/runs/<unique run id> (removed afterwards), exactly as on a node without systemd.
import './pureJs';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RUNS_DIR } from '../../../src/core/exec/detached';
import { raw, sh, type ShellCommand } from '../../../src/core/exec/shell';
import { clientFor, fakePrompts, type Client } from './fixture';
import { Sshd } from './sshd';

let sshd: Sshd;
let client: Client;
let work: string;
const runId = `it-detached-${process.pid}-${Date.now().toString(36)}`;

before(async () => {
  sshd = await Sshd.start();
  client = clientFor(sshd);
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'kup-detached-'));
});
after(async () => {
  await sshd?.stop();
  client?.cleanup();
  fs.rmSync(path.join(RUNS_DIR, runId), { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
});

/** Kills the sshd process of the session this runs in (walking up the parents), as a dropped connection would. */
const DROP_SESSION = 'p=$$; while [ "$p" -gt 1 ]; do case "$(cat /proc/$p/comm)" in sshd*) kill -9 "$p"; break ;; esac; p=$(awk \'{print $4}\' /proc/$p/stat); done';

function step(counter: string, rc = 0): ShellCommand {
  return raw(`echo start; ${DROP_SESSION}; sleep 2; echo ran >> ${sh`${counter}`}; echo end; exit ${rc}`);
}

test('the session is killed mid-step: the step finishes once on the node, the executor re-attaches and gets its output and exit code', async () => {
  const counter = path.join(work, 'count-1');
  const notices: string[] = [];
  const streamed: string[] = [];
  const pool = client.pool(fakePrompts(), { keepaliveIntervalMs: 500 });
  const ex = pool.getExecutor('node-a');
  try {
    const r = await ex.run(step(counter, 3), {
      detached: { runId, step: 'drop-1' },
      onNotice: (t) => notices.push(t),
      onOutput: (t) => streamed.push(t),
    });
    assert.equal(r.exitCode, 3, r.failure);
    assert.equal(r.stdout, 'start\nend\n', 'the log is followed on from the last byte: nothing lost, nothing twice');
    assert.equal(streamed.join(''), 'start\nend\n');
    assert.equal(fs.readFileSync(counter, 'utf8'), 'ran\n', 'the step ran exactly once');
    assert.equal(notices.length, 1, notices.join('\n'));
    assert.match(notices[0]!, /lost .*keeps running on the node; re-attaching/);
    assert.equal(ex.connectCount, 2, 'one reconnect');
    const files = fs.readdirSync(path.join(RUNS_DIR, runId)).sort();
    assert.deepEqual(files, ['drop-1.log', 'drop-1.pid', 'drop-1.rc', 'drop-1.sh', 'drop-1.started']);
    assert.equal((fs.statSync(path.join(RUNS_DIR, runId)).mode & 0o777).toString(8), '700', 'root-only run folder');
  } finally {
    pool.dispose();
  }

  // A resume after a reload: a new pool, the same run and step → re-attached, never started a second time.
  const again = client.pool(fakePrompts());
  try {
    const r = await again.getExecutor('node-a').run(step(counter, 3), { detached: { runId, step: 'drop-1' } });
    assert.equal(r.exitCode, 3);
    assert.equal(r.stdout, 'start\nend\n');
    assert.equal(fs.readFileSync(counter, 'utf8'), 'ran\n', 'not started again');
  } finally {
    again.dispose();
  }
});

test('a resume while the step is still running re-attaches to it; timeouts are reminders, never a kill', async () => {
  const counter = path.join(work, 'count-2');
  const long = raw(`echo begin; sleep 4; echo ran >> ${sh`${counter}`}; echo done`);
  const first = client.pool(fakePrompts());
  const reminders: number[] = [];
  // The first window "reloads" while the step runs: its pool is disposed mid-step.
  const p1 = first.getExecutor('node-a').run(long, { detached: { runId, step: 'reload-1' }, timeoutMs: 500, onStillRunning: (ms) => reminders.push(ms) });
  await waitForFile(path.join(RUNS_DIR, runId, 'reload-1.log'), 'begin');
  first.dispose();
  const gone = await p1;
  assert.equal(gone.exitCode, null);

  const second = client.pool(fakePrompts());
  try {
    const r = await second.getExecutor('node-a').run(long, { detached: { runId, step: 'reload-1' }, timeoutMs: 500, onStillRunning: (ms) => reminders.push(ms) });
    assert.equal(r.exitCode, 0, r.failure);
    assert.equal(r.stdout, 'begin\ndone\n');
    assert.equal(fs.readFileSync(counter, 'utf8'), 'ran\n', 'started once');
    assert.ok(reminders.length > 0, 'still-running reminders instead of a kill');
  } finally {
    second.dispose();
  }
});

async function waitForFile(file: string, text: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (fs.existsSync(file) && fs.readFileSync(file, 'utf8').includes(text)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${file} never contained ${text}`);
}
