import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../../src/cli';

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, (s) => out.push(s), (s) => err.push(s));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

test('upgrade-node refuses a node name with shell metacharacters before anything runs', async () => {
  for (const name of ['w1;reboot', '$(id)', 'a b', '`x`', '../etc']) {
    const r = await run(['upgrade-node', name, '--to', 'v1.32.0', '--kubeconfig', '/nonexistent']);
    assert.equal(r.code, 2, name);
    assert.match(r.err, /not a valid Kubernetes node name/);
  }
});

test('upgrade-node needs --to with a version, and one node', async () => {
  assert.match((await run(['upgrade-node', 'w1'])).err, /--to vX\.Y\.Z is required/);
  assert.match((await run(['upgrade-node', 'w1', '--to', 'latest'])).err, /--to vX\.Y\.Z is required/);
  // strict: text around a version is not a version
  assert.match((await run(['upgrade-node', 'w1', '--to', 'garbage 2.0 text'])).err, /--to vX\.Y\.Z is required: a full version such as v1\.32\.3, or a minor such as 1\.32/);
  assert.match((await run(['upgrade-node', '--to', 'v1.32.0'])).err, /give one NODE/);
});

test('upgrade-node takes the extension\'s gate flags: --override of a known check id (else bad input), --skip-snapshot', async () => {
  const bad = await run(['upgrade-node', 'w1', '--to', 'v1.32.0', '--override', 'no-such-check', '--kubeconfig', '/nonexistent']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--override: unknown check id\(s\): no-such-check/);
  const usage = await run(['--help']);
  assert.match(usage.out, /upgrade-node NODE --to vX\.Y\.Z .*\[--override CHECK_ID\]… \[--skip-snapshot\]/);
});
