// Manual drain, cordon and uncordon while another holder's Lease is live: refused naming the holder (the CLI), with
// --ignore-lock to go ahead anyway; either answer is audited. An expired or absent Lease does not stop them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cordonCommand, drainCommand, uncordonCommand } from '../../../src/cli/drainCommands';
import type { LeaseRecord } from '../../../src/core/lock/lease';
import { liveLockRefusal } from '../../../src/core/lock/manualOps';
import type { AuditEntry } from '../../../src/core/audit/entry';
import { FakeApi, pod, rs } from './helpers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drain-lock-'));
const KUBECONFIG = path.join(dir, 'config');
fs.writeFileSync(KUBECONFIG, `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: 'https://127.0.0.1:1' } }]
users: [{ name: u, user: { token: t } }]
contexts: [{ name: ctx, context: { cluster: c, user: u } }]
current-context: ctx
`);

const lease = (renewedSecondsAgo: number): LeaseRecord => ({
  holder: { user: 'alice', host: 'laptop', tool: 'cli', runId: 'cluster-20260101T100000Z-1', node: 'cp-2', process: 'laptop:4242-abcd' },
  holderIdentity: 'alice@laptop/cli/cluster-20260101T100000Z-1',
  acquireTime: new Date(Date.now() - 600_000),
  renewTime: new Date(Date.now() - renewedSecondsAgo * 1000),
  durationSeconds: 90,
  resourceVersion: '7',
  transitions: 0,
});

async function run(cmd: typeof drainCommand, args: string[], record: LeaseRecord | undefined) {
  const api = new FakeApi();
  api.pods = [pod('web-1', { owner: rs('web') })];
  const out: string[] = [];
  const err: string[] = [];
  const audit: AuditEntry[] = [];
  const code = await cmd([...args, '--kubeconfig', KUBECONFIG], (s) => out.push(s), (s) => err.push(s), { api: () => api, audit: (e) => audit.push(e), lease: async () => record, retryDelayMs: 20, pollIntervalMs: 5 });
  return { code, out, err, audit, api };
}

test('drain, cordon and uncordon are refused while another holder\'s Lease is live, naming the holder; nothing is changed; the refusal is audited', async () => {
  for (const [cmd, what] of [[drainCommand, 'Drain'], [cordonCommand, 'Cordon'], [uncordonCommand, 'Uncordon']] as const) {
    const r = await run(cmd, ['worker-1'], lease(10));
    assert.equal(r.code, 1, what);
    assert.match(r.err.join('\n'), new RegExp(`^${what} of worker-1 refused: Another upgrade is running on this cluster: the Lease kube-system/kubeadm-upgrade is held by alice@laptop \\(cli, run cluster-20260101T100000Z-1, process laptop:4242-abcd, upgrading cp-2\\).* Re-run with --ignore-lock`));
    assert.deepEqual(r.out, []);
    assert.deepEqual(r.api.calls.filter((c) => c.startsWith('patch') || c.startsWith('evict')), [], 'the node was not touched');
    assert.deepEqual(r.audit.map((e) => [e.phase, e.node, e.exitCode]), [['despite-lock', 'worker-1', 1]]);
    assert.match(r.audit[0]!.command, /: refused \(/);
  }
});

test('--ignore-lock goes ahead, says so and audits it; an expired or absent Lease does not stop a drain', async () => {
  const forced = await run(drainCommand, ['worker-1', '--ignore-lock'], lease(10));
  assert.equal(forced.code, 0, forced.err.join('\n'));
  assert.match(forced.err[0]!, /^warning: Drain of worker-1: Another upgrade is running .* Going ahead \(--ignore-lock, audited\)\.$/);
  assert.equal(forced.audit[0]!.phase, 'despite-lock');
  assert.match(forced.audit[0]!.command, /went ahead despite the lock \(--ignore-lock\)/);
  assert.ok(forced.audit.some((e) => e.phase === 'cordon' && e.stage === 'end'), 'then the cordon is audited as usual');
  for (const record of [lease(600), undefined]) {
    const r = await run(drainCommand, ['worker-1'], record);
    assert.equal(r.code, 0, r.err.join('\n'));
    assert.ok(!r.audit.some((e) => e.phase === 'despite-lock'));
  }
});

test('liveLockRefusal: only a live Lease held by a run refuses', () => {
  assert.equal(liveLockRefusal(undefined, new Date(), 'Drain'), undefined);
  assert.equal(liveLockRefusal(lease(600), new Date(), 'Drain'), undefined);
  assert.match(liveLockRefusal(lease(5), new Date(), 'Drain of w-1')!, /^Drain of w-1 refused: .*alice@laptop/);
});
