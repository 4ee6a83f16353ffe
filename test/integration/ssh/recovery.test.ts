// "Run…" on a recovery step goes through the node's own executor (here the real SSH executor to a real sshd):
// confirmation first, output streamed, exit code, an audit entry; declined → nothing runs.
import './pureJs';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RUNS_DIR } from '../../../src/core/exec/detached';
import { runRecoveryStep } from '../../../src/core/exec/recoveryStep';
import { raw } from '../../../src/core/exec/shell';
import type { AuditEntry } from '../../../src/core/audit/entry';
import { clientFor, fakePrompts, type Client } from './fixture';
import { Sshd, tmpDir } from './sshd';

let sshd: Sshd;
let client: Client;
let work: string;
const runIds: string[] = [];

before(async () => {
  sshd = await Sshd.start();
  client = clientFor(sshd, { aliases: ['cp-1'] });
  work = tmpDir('kup-recovery-');
});
after(async () => {
  await sshd?.stop();
  client?.cleanup();
  for (const id of runIds) fs.rmSync(path.join(RUNS_DIR, id), { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
});

test('a recovery step runs on its node through the SSH executor: confirmed, streamed, exit code, audited; declined runs nothing', async () => {
  const pool = client.pool(fakePrompts());
  const marker = path.join(work, 'restored');
  const step = { context: 'prod', node: 'cp-1', title: 'Restore the manifests', command: raw(`sudo touch ${marker} && echo restored && exit 4`), danger: 'restore' as const };
  try {
    const asked: string[] = [];
    const audit: AuditEntry[] = [];
    const declined = await runRecoveryStep(step, { executor: pool.getExecutor('cp-1'), confirm: async (q, d) => (asked.push(`${q}\n${d}`), false), output: () => assert.fail('nothing runs'), audit: (e) => audit.push(e) });
    assert.equal(declined, undefined);
    assert.equal(fs.existsSync(marker), false);
    assert.equal(audit.length, 0);
    assert.match(asked[0]!, /^Restore the manifests on cp-1\?\nThis changes the node .*\nIt runs on cp-1 as root, through ssh root@127\.0\.0\.1:\d+/s);

    let streamed = '';
    const r = await runRecoveryStep(step, { executor: pool.getExecutor('cp-1'), confirm: async () => true, output: (t) => (streamed += t), audit: (e) => audit.push(e) });
    assert.equal(r?.exitCode, 4, r?.failure);
    assert.equal(fs.existsSync(marker), true, 'ran on the node');
    assert.match(streamed, /^\$ sudo touch .*# on cp-1 via ssh root@/);
    assert.match(streamed, /restored\n\nexit code 4\n$/);
    // A start line before it runs, an end line after (same id).
    assert.deepEqual(audit.map((a) => [a.stage, a.exitCode]), [['start', null], ['end', 4]]);
    assert.equal(audit[0]!.id, audit[1]!.id);
    const e = audit[1]!;
    runIds.push(e.run);
    assert.deepEqual([e.cluster, e.node, e.phase, e.command, e.exitCode], ['prod', 'cp-1', 'recovery: Restore the manifests', step.command, 4]);
    assert.match(e.where, /^ssh root@127\.0\.0\.1:\d+/);
  } finally {
    pool.dispose();
  }
});
