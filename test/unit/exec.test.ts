import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LocalExecutor } from '../../src/adapters/local/localExecutor';
import { quote, raw, sh, UnsafeValueError, validateNodeName, validatePath, validateVersion } from '../../src/core/exec/shell';

test('quote: plain words stay, everything else is single-quoted, quotes survive a real shell', async () => {
  assert.equal(quote('v1.32.3'), 'v1.32.3');
  assert.equal(quote('/etc/kubernetes/tmp'), '/etc/kubernetes/tmp');
  assert.equal(quote(''), "''");
  assert.equal(quote("a b"), "'a b'");
  const nasty = ["it's", '$(touch /tmp/pwned)', '`id`', 'a;b|c&d', 'new\nline', '*', '~root', '"q"', '\\'];
  const ex = new LocalExecutor();
  for (const v of nasty) {
    const r = await ex.run(sh`printf %s ${v}`);
    assert.equal(r.exitCode, 0);
    assert.equal(r.stdout, v);
  }
  assert.throws(() => quote('a\0b'), UnsafeValueError);
});

test('sh quotes arrays element by element', () => {
  assert.equal(sh`apt-mark hold ${['kubelet', 'kube ctl']}`, "apt-mark hold kubelet 'kube ctl'");
});

test('validators refuse node names, versions and paths that are not what they claim', () => {
  assert.equal(validateNodeName('worker-1.example.com'), 'worker-1.example.com');
  for (const bad of ['Worker', 'a;reboot', '$(id)', '-rf', 'a b', '', 'x'.repeat(254)]) assert.throws(() => validateNodeName(bad), UnsafeValueError, bad);
  assert.equal(validateVersion('1.32.3-1.1'), '1.32.3-1.1');
  for (const bad of ['1.32', 'v1.32.3;id', 'latest']) assert.throws(() => validateVersion(bad), UnsafeValueError, bad);
  assert.equal(validatePath('/etc/kubernetes/manifests'), '/etc/kubernetes/manifests');
  for (const bad of ['etc', '/a/../b', '/a\nb']) assert.throws(() => validatePath(bad), UnsafeValueError, bad);
});

test('LocalExecutor: exit codes, stderr, streaming, timeout kills the process group', async () => {
  const ex = new LocalExecutor();
  const chunks: string[] = [];
  const ok = await ex.run(raw('echo out; echo err >&2; exit 3'), { onOutput: (c) => chunks.push(c) });
  assert.deepEqual([ok.exitCode, ok.stdout, ok.stderr], [3, 'out\n', 'err\n']);
  assert.ok(chunks.join('').includes('out'));
  const slow = await ex.run(raw('sleep 30 & sleep 30; echo never'), { timeoutMs: 200 });
  assert.equal(slow.exitCode, null);
  assert.match(slow.failure!, /timed out/);
  const ac = new AbortController();
  const p = ex.run(raw('sleep 30'), { signal: ac.signal });
  ac.abort();
  assert.equal((await p).failure, 'cancelled');
});
