import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatVersion, minorDiff, parseMinor, parseVersion } from '../../src/core/version';

const cases: [string, [number, number, number, string] | undefined][] = [
  ['v1.31.2', [1, 31, 2, '']],
  ['1.31.1', [1, 31, 1, '']],
  ['v1.30.4-eks-a737599', [1, 30, 4, 'eks-a737599']],
  ['v1.31.0+k3s1', [1, 31, 0, '']],
  ['registry.k8s.io/kube-apiserver:v1.31.2', [1, 31, 2, '']],
  ['localhost:5000/kube-apiserver:v1.29.0', [1, 29, 0, '']],
  ['registry.k8s.io/kube-proxy:v1.31.2@sha256:0123abcd', [1, 31, 2, '']],
  ['3.5.15-0', [3, 5, 15, '0']],
  ['registry.k8s.io/etcd:3.5.15-0', [3, 5, 15, '0']],
  ['containerd://1.7.22', [1, 7, 22, '']],
  ['v1.32.0-rc.1', [1, 32, 0, 'rc.1']],
  ['  v1.28.15 ', [1, 28, 15, '']],
  ['', undefined],
  ['latest', undefined],
  ['registry.k8s.io/pause', undefined],
  // strict: no coercion of partial versions or versions inside text
  ['1.31', undefined],
  ['v1.31', undefined],
  ['garbage 2.0 text', undefined],
  ['kubeadm version v1.31.2', undefined],
  ['1.31.2.4', undefined],
  ['v1.31.x', undefined],
];

for (const [input, expected] of cases) {
  test(`parseVersion(${JSON.stringify(input)})`, () => {
    const v = parseVersion(input);
    if (expected === undefined) {
      assert.equal(v, undefined);
      return;
    }
    assert.ok(v, `expected ${input} to parse`);
    assert.deepEqual([v.major, v.minor, v.patch, v.prerelease], expected);
    assert.equal(v.raw, input.trim());
  });
}

test('formatVersion adds the v and keeps the pre-release', () => {
  assert.equal(formatVersion(parseVersion('1.31.2')!), 'v1.31.2');
  assert.equal(formatVersion(parseVersion('v1.32.0-rc.1')!), 'v1.32.0-rc.1');
});

test('minorDiff is signed and ignores patch', () => {
  assert.equal(minorDiff(parseVersion('v1.31.9')!, parseVersion('v1.28.0')!), 3);
  assert.equal(minorDiff(parseVersion('v1.28.0')!, parseVersion('v1.31.9')!), -3);
  assert.equal(minorDiff(parseVersion('v1.31.0')!, parseVersion('v1.31.9')!), 0);
});

test('parseMinor: a bare minor only', () => {
  assert.deepEqual(parseMinor('1.31'), { major: 1, minor: 31 });
  assert.deepEqual(parseMinor(' v1.32 '), { major: 1, minor: 32 });
  assert.equal(parseMinor('1.31.2'), undefined);
  assert.equal(parseMinor('garbage 2.0 text'), undefined);
});

test('newestPatchOf: the newest release of one minor, pre-releases skipped', async () => {
  const { newestPatchOf } = await import('../../src/core/version');
  const vs = ['v1.31.2', 'v1.31.10', 'v1.31.11-rc.0', 'v1.32.0', 'v1.30.9'].map((x) => parseVersion(x)!);
  assert.equal(formatVersion(newestPatchOf({ major: 1, minor: 31 }, vs)!), 'v1.31.10');
  assert.equal(newestPatchOf({ major: 1, minor: 33 }, vs), undefined);
});
