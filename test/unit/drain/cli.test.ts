import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UsageError } from '../../../src/cli/args';
import { cordonCommand, drainCommand, uncordonCommand } from '../../../src/cli/drainCommands';
import { FakeApi, pdb, pod, rs, tooMany } from './helpers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drain-cli-'));
const KUBECONFIG = path.join(dir, 'config');
fs.writeFileSync(
  KUBECONFIG,
  `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: 'https://127.0.0.1:1' } }]
users: [{ name: u, user: { token: t } }]
contexts: [{ name: ctx, context: { cluster: c, user: u } }]
current-context: ctx
`,
);

async function run(cmd: typeof drainCommand, args: string[], api: FakeApi) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await cmd([...args, '--kubeconfig', KUBECONFIG], (s) => out.push(s), (s) => err.push(s), { api: () => api, retryDelayMs: 20, pollIntervalMs: 5 });
  return { code, out, err };
}

test('drain: exit 0 and kubectl lines on stdout when drained', async () => {
  const api = new FakeApi();
  api.pods = [pod('web-1', { owner: rs('web') })];
  const r = await run(drainCommand, ['worker-1'], api);
  assert.equal(r.code, 0);
  assert.deepEqual(r.out, ['node/worker-1 cordoned', 'evicting pod default/web-1', 'pod/web-1 evicted', 'node/worker-1 drained']);
  assert.deepEqual(r.err, []);
});

test('drain: filter errors exit 1, kubectl\'s stderr block; --force / --delete-emptydir-data let it through', async () => {
  const api = new FakeApi();
  api.pods = [pod('bare-pod'), pod('scratch-pod', { emptyDir: true })];
  const r = await run(drainCommand, ['worker-1'], api);
  assert.equal(r.code, 1);
  assert.deepEqual(r.err.slice(-5), [
    'error: unable to drain node "worker-1" due to error: [cannot delete Pods that declare no controller (use --force to override): default/bare-pod, cannot delete Pods with local storage (use --delete-emptydir-data to override): default/scratch-pod], continuing command...',
    'There are pending nodes to be drained:',
    ' worker-1',
    'cannot delete Pods that declare no controller (use --force to override): default/bare-pod',
    'cannot delete Pods with local storage (use --delete-emptydir-data to override): default/scratch-pod',
  ]);
  const ok = await run(drainCommand, ['worker-1', '--force', '--delete-emptydir-data'], api);
  assert.equal(ok.code, 0);
  assert.deepEqual(ok.err, ['Warning: deleting Pods that declare no controller: default/bare-pod, default/scratch-pod']);
});

test('drain: blocked by a PDB until --timeout; stderr names the pod and the PDB', async () => {
  const api = new FakeApi();
  api.pods = [pod('singleton-x', { owner: rs('s'), labels: { app: 'singleton' } })];
  api.pdbs = [pdb('singleton', { minAvailable: 1, labels: { app: 'singleton' } }, { allowed: 0, healthy: 1, desired: 1, expected: 1 })];
  api.behaviour.set('default/singleton-x', () => tooMany());
  const r = await run(drainCommand, ['worker-1', '--timeout', '100ms'], api);
  assert.equal(r.code, 1);
  const err = r.err.join('\n');
  assert.match(err, /^Warning: pod default\/singleton-x: PDB default\/singleton allows 0 disruptions \(minAvailable 1 of 1 replica\): this pod can never be evicted$/m);
  assert.match(err, /global timeout reached: 100ms/);
  assert.match(err, /Pods held back by PodDisruptionBudgets:\n {2}default\/singleton-x: PDB default\/singleton/);
  assert.equal(r.err.at(-1), 'error when evicting pods/"singleton-x" -n "default": global timeout reached: 100ms');
});

test('drain: bad input is a UsageError (exit 2 through main)', async () => {
  const api = new FakeApi();
  await assert.rejects(run(drainCommand, [], api), UsageError);
  await assert.rejects(run(drainCommand, ['a', 'b'], api), UsageError);
  await assert.rejects(run(drainCommand, ['Bad_Name'], api), UsageError);
  await assert.rejects(run(drainCommand, ['worker-1', '--timeout', '5'], api), UsageError);
  await assert.rejects(run(drainCommand, ['worker-1', '--grace-period', 'x'], api), UsageError);
  await assert.rejects(run(drainCommand, ['worker-1', '--bogus'], api), UsageError);
  await assert.rejects(run(drainCommand, ['worker-1', '--context', 'nope'], api), UsageError);
  await assert.rejects(drainCommand(['worker-1', '--kubeconfig', path.join(dir, 'missing')], () => {}, () => {}, { api: () => api }), UsageError);
  assert.deepEqual(api.calls, []);
});

test('drain: --grace-period=-1 and --disable-eviction are passed through', async () => {
  const api = new FakeApi();
  api.pods = [pod('web-1', { owner: rs('web') })];
  const r = await run(drainCommand, ['worker-1', '--grace-period=-1', '--disable-eviction'], api);
  assert.equal(r.code, 0);
  assert.ok(api.calls.includes('delete default/web-1'));
  assert.deepEqual(r.out.at(-2), 'pod/web-1 deleted');
});

test('cordon / uncordon commands; unknown node: kubectl\'s "Error from server (NotFound)"', async () => {
  const api = new FakeApi();
  assert.deepEqual((await run(cordonCommand, ['worker-1'], api)).out, ['node/worker-1 cordoned']);
  assert.deepEqual((await run(cordonCommand, ['worker-1'], api)).out, ['node/worker-1 already cordoned']);
  assert.deepEqual((await run(uncordonCommand, ['worker-1'], api)).out, ['node/worker-1 uncordoned']);
  const bad = await run(uncordonCommand, ['worker-9'], api);
  assert.equal(bad.code, 1);
  assert.deepEqual(bad.err, ['Error from server (NotFound): nodes "worker-9" not found']);
  await assert.rejects(run(cordonCommand, ['-x'], api), UsageError);
});

test('drain: unreachable API server is a clear error, exit 2 (could not run, as in every command)', async () => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await drainCommand(['worker-1', '--kubeconfig', KUBECONFIG], (s) => out.push(s), (s) => err.push(s)).catch((e: unknown) => {
    err.push(String(e));
    return 2;
  });
  assert.equal(code, 2, err.join('\n'));
  assert.match(err.join('\n'), /127\.0\.0\.1:1/);
});
