// `kubeadm-upgrade diff` and the #26 upgrade flags: bad input is refused (exit 2) before any cluster is reached; with
// --json the refusal is still one JSON object.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../../src/cli';

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, (s) => out.push(s), (s) => err.push(s));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

test('diff needs --node and --to vX.Y.Z; node names and the patches folder are checked before anything runs', async () => {
  const noTo = await run(['diff', '--node', 'cp-1', '--kubeconfig', '/nonexistent']);
  assert.equal(noTo.code, 2);
  assert.match(noTo.err, /--to vX\.Y\.Z is required/);
  assert.match((await run(['diff', '--to', 'v1.36.3', '--kubeconfig', '/nonexistent'])).err, /--node CP is required/);
  const bad = await run(['diff', '--node', 'cp;reboot', '--to', 'v1.36.3', '--kubeconfig', '/nonexistent']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /not a valid Kubernetes node name/);
  assert.match((await run(['diff', '--node', 'cp-1', '--to', 'v1.36.3', '--patches', 'patches', '--kubeconfig', '/nonexistent'])).err, /not an absolute path/);
  const json = await run(['diff', '--node', 'cp-1', '--to', 'stable', '--json']);
  assert.equal(json.code, 2);
  assert.equal(JSON.parse(json.out).kind, 'Error');
});

test('upgrade-node: --patches and --images-archive must be absolute paths on the nodes', async () => {
  const r = await run(['upgrade-node', 'w1', '--to', 'v1.36.3', '--patches', 'rel/dir', '--kubeconfig', '/nonexistent']);
  assert.equal(r.code, 2);
  assert.match(r.err, /--patches rel\/dir: expected an absolute path on the nodes/);
  assert.match((await run(['upgrade-node', 'w1', '--to', 'v1.36.3', '--images-archive', '../x.tar', '--kubeconfig', '/nonexistent'])).err, /--images-archive \.\.\/x\.tar: expected an absolute path/);
});
