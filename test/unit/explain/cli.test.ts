// `kubeadm-upgrade explain`: the JSON contract and the exit codes (0 success, 1 failure, 2 bad input, 3 neither).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { main } from '../../../src/cli';
import { FIXTURES } from './helpers';

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, (s) => out.push(s), (s) => err.push(s));
  return { code, out: out.join('\n'), err: err.join('\n') };
}
const at = (prefix: string) => path.join(FIXTURES, fs.readdirSync(FIXTURES).find((f) => f.startsWith(prefix))!);

test('explain --json: exactly the contract', async () => {
  const r = await run(['explain', at('K07_'), '--json']);
  assert.equal(r.code, 1);
  const x = JSON.parse(r.out) as Record<string, unknown> & { failures: Record<string, unknown>[]; warnings: Record<string, unknown>[] };
  assert.deepEqual(Object.keys(x), ['apiVersion', 'kind', 'command', 'outcome', 'targetVersion', 'backups', 'upgraded', 'skipped', 'addonsDeferredUntil', 'failures', 'warnings']);
  assert.equal(x['apiVersion'], 'kubeadm-upgrade/v1');
  assert.equal(x['kind'], 'Explanation');
  assert.deepEqual(Object.keys(x.failures[0]!), ['id', 'phase', 'component', 'node', 'rolledBack', 'message', 'fix']);
  assert.deepEqual(Object.keys(x.warnings[0]!), ['id', 'message', 'fix']);
  assert.equal(x.failures[0]!['rolledBack'], true);
});

test('explain --json: the contract holds for several failures in one output (issue #28), each in order', async () => {
  const r = await run(['explain', at('D06_'), '--json']);
  assert.equal(r.code, 1);
  const x = JSON.parse(r.out) as Record<string, unknown> & { failures: Record<string, unknown>[] };
  assert.deepEqual(Object.keys(x), ['apiVersion', 'kind', 'command', 'outcome', 'targetVersion', 'backups', 'upgraded', 'skipped', 'addonsDeferredUntil', 'failures', 'warnings']);
  assert.deepEqual(x.failures.map((f) => Object.keys(f)), [
    ['id', 'phase', 'component', 'node', 'rolledBack', 'message', 'fix'],
    ['id', 'phase', 'component', 'node', 'rolledBack', 'message', 'fix'],
  ]);
  assert.deepEqual(x.failures.map((f) => f['id']), ['drain-pdb-blocked', 'drain-timeout']);
  assert.equal(x.failures[1]!['node'], 'kln-test-001');
  // The backups kubeadm 1.35 names, the kubelet env-file folder among them.
  const k = JSON.parse((await run(['explain', at('K17_'), '--json'])).out) as { backups: string[] };
  assert.deepEqual(k.backups, ['/etc/kubernetes/tmp/kubeadm-kubelet-config-2026-05-01-04-18-07', '/etc/kubernetes/tmp/kubeadm-kubelet-env4108424708']);
});

test('explain: exit 0 on success, 1 on failure, 3 when the output shows neither', async () => {
  assert.equal((await run(['explain', at('K03_')])).code, 0);
  assert.equal((await run(['explain', at('A04_')])).code, 1);
  assert.equal((await run(['explain', at('K12_')])).code, 3);
});

test('explain: text output says what happened and the fix', async () => {
  const r = await run(['explain', at('C01_')]);
  assert.match(r.out, /FAILED \[certificate-expired\]/);
  assert.match(r.out, /\$ sudo kubeadm certs renew all/);
});

test('explain: --node and --target fill in the commands', async () => {
  const r = await run(['explain', at('D01_'), '--node', 'worker-2', '--json']);
  const x = JSON.parse(r.out) as { failures: { fix: string; node: string }[] };
  assert.equal(x.failures[0]!.node, 'worker-2');
  assert.match(x.failures[0]!.fix, /kubectl drain worker-2 --ignore-daemonsets/);
});

test('explain: exit 2 on empty or binary input and on a missing file', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'explain-'));
  try {
    fs.writeFileSync(path.join(dir, 'empty'), '\n  \n');
    fs.writeFileSync(path.join(dir, 'bin'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2, 3]));
    for (const f of ['empty', 'bin', 'missing']) {
      const r = await run(['explain', path.join(dir, f)]);
      assert.equal(r.code, 2, f);
      assert.ok(r.err.length > 0);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('README: every explainer id is listed in the "Explain" section', async () => {
  const { CATALOG } = await import('../../../src/core/explain');
  const readme = fs.readFileSync(path.join(process.cwd(), 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Explain'), readme.indexOf('## Settings'));
  for (const id of Object.keys(CATALOG)) assert.ok(section.includes(`| \`${id}\` |`), id);
});
