// The JSON Schemas in schemas/v1 (#30 item 2): they compile (ajv strict mode), each --json kind has one, and the
// CLI's real outputs validate against them: every plan, explain and skew fixture through the CLI, and the Error
// document of bad input. The sandbox runs (preflight, plan, snapshot-etcd, upgrade-cluster events, verify, restore)
// validate theirs in their own integration tests; the orchestrator's and restore plan's unit tests theirs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../../src/cli';
import { assertValidJsonOutput, assertValidOutput, schemaKinds, SCHEMA_DIR } from '../../schemas';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures');

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, (s) => out.push(s), (s) => err.push(s));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

test('every --json kind the CLI source names has a schema, and output.schema.json knows each', () => {
  const src = path.join(__dirname, '..', '..', '..', 'src');
  const named = new Set<string>();
  const walk = (d: string): void => {
    for (const f of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, f.name);
      if (f.isDirectory()) walk(p);
      else if (p.endsWith('.ts')) {
        const text = fs.readFileSync(p, 'utf8');
        for (const m of text.matchAll(/(?:printJson|versioned)\('([A-Za-z]+)'/g)) named.add(m[1]!);
        for (const m of text.matchAll(/apiVersion: 'kubeadm-upgrade\/v1',\s*kind: '([A-Za-z]+)'/g)) named.add(m[1]!);
      }
    }
  };
  walk(src);
  named.add('UpgradeClusterEvent'); // versioned(EVENT_KIND, …)
  assert.ok(named.size >= 10, [...named].join(', '));
  const kinds = schemaKinds();
  for (const k of named) assert.ok(kinds.includes(k), `${k} is printed by the CLI but has no schemas/v1/${k}.schema.json`);
  const any = JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, 'output.schema.json'), 'utf8')) as { properties: { kind: { enum: string[] } } };
  assert.deepEqual([...any.properties.kind.enum].sort(), [...kinds].sort());
});

test('the validator refuses what the contract does not allow (so a drifted output fails)', () => {
  const ok = { apiVersion: 'kubeadm-upgrade/v1', kind: 'Error', message: 'm', exitCode: 2, reason: 'usage' };
  assertValidOutput(ok);
  assert.throws(() => assertValidOutput({ ...ok, apiVersion: 'kubeadm-upgrade/v2' }), /apiVersion/);
  assert.throws(() => assertValidOutput({ ...ok, extra: 1 }), /additional properties/);
  assert.throws(() => assertValidOutput({ apiVersion: ok.apiVersion, kind: ok.kind, message: ok.message, exitCode: ok.exitCode }), /must have required property 'reason'/);
  assert.throws(() => assertValidOutput({ apiVersion: 'kubeadm-upgrade/v1', kind: 'UpgradeClusterEvent', event: 'step', node: 'w-1', index: 1, total: 'nine', step: 's', title: 't' }), /must be integer/);
  assert.throws(() => assertValidOutput({ apiVersion: 'kubeadm-upgrade/v1', kind: 'Nope' }), /has no schema/);
});

test('parse-plan --json of every kubeadm plan fixture validates as ParsedUpgradePlan', async () => {
  const dir = path.join(FIXTURES, 'kubeadm');
  let n = 0;
  for (const f of fs.readdirSync(dir).filter((x) => /^(F|S)\d/.test(x))) {
    const r = await run(['parse-plan', path.join(dir, f), '--json']);
    assertValidJsonOutput(r.out, r.code === 2 ? 'Error' : 'ParsedUpgradePlan');
    n++;
  }
  assert.ok(n >= 5, `${n} fixtures`);
});

test('explain --json of every explain fixture validates as Explanation', async () => {
  const dir = path.join(FIXTURES, 'explain');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.txt'));
  assert.ok(files.length >= 20);
  for (const f of files) {
    const r = await run(['explain', path.join(dir, f), '--json']);
    assertValidJsonOutput(r.out, r.code === 2 ? 'Error' : 'Explanation');
  }
});

test('skew --json of every cluster dump validates as SkewReport (with and without a target)', async () => {
  const dir = path.join(FIXTURES, 'dumps');
  for (const d of fs.readdirSync(dir)) {
    const files = fs.readdirSync(path.join(dir, d)).flatMap((f) => ['--from-file', path.join(dir, d, f)]);
    for (const extra of [[], ['--target', 'v1.40.0'], ['--kubectl-version', 'v1.20.0']]) {
      const r = await run(['skew', ...files, ...extra, '--json']);
      assert.ok(r.code === 0 || r.code === 1, `${d}: ${r.err}`);
      assertValidJsonOutput(r.out, 'SkewReport');
    }
  }
});

test('bad input with --json: the Error document validates, for each kind of command', async () => {
  for (const args of [['parse-plan', '/nonexistent/plan.txt'], ['skew', '--from-file', '/nonexistent.json'], ['explain', '/nonexistent.txt'], ['preflight'], ['upgrade-cluster', '--to', 'banana'], ['verify']]) {
    const r = await run([...args, '--json']);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.out}`);
    const [doc] = assertValidJsonOutput(r.out, 'Error');
    assert.equal(doc!['exitCode'], 2);
  }
});
