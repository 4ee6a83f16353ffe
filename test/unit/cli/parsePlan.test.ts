import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../../src/cli';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'kubeadm');
const PLAN_FIXTURES = fs.readdirSync(FIXTURES).filter((f) => /^(F0|F10|S00)/.test(f));

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, (s) => out.push(s), (s) => err.push(s));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const CONTRACT_KEYS = ['format', 'clusterVersion', 'kubeadmVersion', 'upToDate', 'availableUpgrades', 'configVersions', 'unparsed'];

for (const file of PLAN_FIXTURES) {
  test(`parse-plan --json ${file}: the contract's fields, nothing unparsed`, async () => {
    const r = await run(['parse-plan', path.join(FIXTURES, file), '--json']);
    assert.equal(r.code, 0, r.err);
    const plan = JSON.parse(r.out) as Record<string, unknown> & { availableUpgrades: Record<string, unknown>[] };
    for (const k of CONTRACT_KEYS) assert.ok(k in plan, `missing ${k}`);
    assert.deepEqual(plan['unparsed'], []);
    assert.ok(plan.availableUpgrades.length > 0);
    for (const u of plan.availableUpgrades) {
      assert.deepEqual(Object.keys(u), ['description', 'targetVersion', 'applyCommand', 'note', 'components']);
      for (const c of u['components'] as Record<string, unknown>[]) assert.deepEqual(Object.keys(c), ['name', 'node', 'count', 'current', 'target']);
    }
  });
}

test('parse-plan: count-format kubelet rows have node null and a count', async () => {
  const r = await run(['parse-plan', path.join(FIXTURES, PLAN_FIXTURES.find((f) => f.startsWith('S00'))!), '--json']);
  const plan = JSON.parse(r.out) as { availableUpgrades: { targetVersion: string; components: { name: string; node: unknown; count: unknown }[] }[] };
  assert.equal(plan.availableUpgrades.length, 2);
  const kubelet = plan.availableUpgrades[0]!.components.find((c) => c.name === 'kubelet')!;
  assert.equal(kubelet.node, null);
  assert.equal(typeof kubelet.count, 'number');
});

test('parse-plan reads stdin through the built CLI, and empty output means up to date', () => {
  const cli = path.join(__dirname, '..', '..', '..', 'dist', 'cli.js');
  // `npm test` builds before the unit tests; `npm run test:unit` alone may not have: build it then, never pass unrun.
  if (!fs.existsSync(cli)) {
    const built = spawnSync(process.execPath, ['esbuild.js'], { cwd: path.join(__dirname, '..', '..', '..'), encoding: 'utf8' });
    assert.equal(built.status, 0, `node esbuild.js failed: ${built.stderr}`);
  }
  const r = spawnSync(process.execPath, [cli, 'parse-plan', '-', '--json'], { input: '' });
  assert.equal(r.status, 0);
  assert.equal((JSON.parse(r.stdout.toString()) as { upToDate: boolean }).upToDate, true);
});

test('parse-plan: a kubeadm error exits 1 and shows the fix; a missing file exits 2', async () => {
  const dir = fs.mkdtempSync(path.join(fs.realpathSync('/tmp'), 'plan-'));
  const f = path.join(dir, 'err.txt');
  fs.writeFileSync(f, '[upgrade/version] FATAL: the --version argument is invalid due to these errors:\n\n\t- Specified version to upgrade to "v1.33.0" is higher than the kubeadm version "v1.32.1". Upgrade kubeadm first using the tool you used to install kubeadm\n');
  const r = await run(['parse-plan', f]);
  assert.equal(r.code, 1);
  assert.match(r.out, /ERROR: .*higher than the kubeadm version/);
  assert.match(r.out, /fix: /);
  const missing = await run(['parse-plan', path.join(dir, 'nope.txt')]);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /no such file/);
});
