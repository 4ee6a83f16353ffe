import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../../src/cli';

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, (s) => out.push(s), (s) => err.push(s));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

test('restore-etcd: in the usage; --snapshot is required and must be a file (exit 2, nothing read)', async () => {
  assert.match((await run(['--help'])).out, /restore-etcd --snapshot FILE \[--dry-run\] \[--yes\] \[--json\]/);
  const none = await run(['restore-etcd', '--kubeconfig', '/nonexistent']);
  assert.equal(none.code, 2);
  assert.match(none.err, /--snapshot FILE is required/);
  const missing = await run(['restore-etcd', '--snapshot', '/nonexistent/snap.db']);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /no such file/);
  const badName = await run(['restore-etcd', '--snapshot', '/etc/hostname', '--control-planes', 'cp-1,$(id)', '--kubeconfig', '/nonexistent']);
  assert.equal(badName.code, 2);
  assert.match(badName.err, /--control-planes: .*not a valid Kubernetes node name/);
});
