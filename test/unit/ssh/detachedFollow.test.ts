// followDetached's decisions with a scripted node (the real node and sshd: test/integration/ssh/detached.test.ts,
// lostStep.test.ts): a lost step is a failure with the report, and Cancel ends the wait to reconnect.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { followDetached, sleepUnlessAborted, type DetachedDeps } from '../../../src/adapters/ssh/detachedRun';
import { raw } from '../../../src/core/exec/shell';

const step = { runId: 'r1', step: 'kubeadm-upgrade-1' };

function node(answers: ((marker: string) => { stderr: string; dropped?: boolean; out?: string })[]): DetachedDeps & { runs: number } {
  const deps = {
    runs: 0,
    target: 'root@cp-1:22',
    delaysMs: [60_000, 60_000],
    disposed: () => false,
    async run(command: string, _o: unknown, hooks: { onStdout?: (b: Buffer) => void; dropped?: boolean }) {
      const a = answers[deps.runs++]!(markerOf(command));
      if (a.out) hooks.onStdout?.(Buffer.from(a.out));
      if (a.dropped) hooks.dropped = true;
      return { exitCode: a.dropped ? null : 0, stdout: '', stderr: a.stderr, ...(a.dropped ? { failure: 'connection dropped' } : {}) };
    },
  };
  return deps;
}

/** The marker the script prints, from its two quoted halves. */
function markerOf(script: string): string {
  const m = /printf '\\n%s%s rc=%s\\n' (\S+) (\S+) /.exec(script)!;
  return m[1]! + m[2]!;
}

test('a step reported lost: exit code null, lost, the report with what to check; its output so far kept', async () => {
  const on = node([(m) => ({ out: 'begin\n', stderr: `\n${m} lost=rebooted\n` })]);
  const r = await followDetached(on, raw('kubeadm upgrade apply v1.32.3 --yes'), { detached: step });
  assert.equal(r.exitCode, null);
  assert.equal(r.lost, true);
  assert.equal(r.stdout, 'begin\n');
  assert.equal(r.stderr, '');
  assert.match(r.failure!, /^the step ended without an exit status \(the node rebooted\?\): root@cp-1:22 rebooted while the step ran/);
  assert.match(r.failure!, /journalctl -u kubeadm-upgrade-r1-kubeadm-upgrade-1/);
  assert.match(r.failure!, /resume the upgrade: the step runs again as a new try/);
});

test('Cancel while waiting to reconnect after a drop ends the wait at once (the step is left running on the node)', async () => {
  const on = node([() => ({ stderr: '', dropped: true }), () => assert.fail('no re-attach after Cancel')]);
  const abort = new AbortController();
  const t0 = Date.now();
  setTimeout(() => abort.abort(), 50);
  const r = await followDetached(on, raw('sleep 100'), { detached: step, signal: abort.signal, onNotice: () => undefined });
  assert.ok(Date.now() - t0 < 5000, 'not the 60 s reconnect delay');
  assert.equal(r.exitCode, null);
  assert.match(r.failure!, /^cancelled while reconnecting to root@cp-1:22; the step may still be running on the node \(log: \/var\/lib\/kubeadm-upgrade\/runs\/r1\/kubeadm-upgrade-1.log\)/);
  assert.equal(on.runs, 1);
});

test('sleepUnlessAborted: true after the time, false at once when aborted (before or during)', async () => {
  assert.equal(await sleepUnlessAborted(1, undefined), true);
  const a = new AbortController();
  a.abort();
  assert.equal(await sleepUnlessAborted(60_000, a.signal), false);
});
