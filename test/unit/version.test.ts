import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatVersion, minorDiff, parseVersion } from '../../src/core/version';

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
