import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareVersionStrings } from '../../src/core/plan/versions';
import { compareVersions, parseVersion } from '../../src/core/version';

// Both comparators follow semver's precedence: one order for parsed versions and for printed version strings.
const ascending = ['v1.30.9', 'v1.31.0-alpha.1', 'v1.31.0-alpha.2', 'v1.31.0-alpha.10', 'v1.31.0-beta.0', 'v1.31.0-rc.1', 'v1.31.0', 'v1.31.1', 'v1.32.0-rc.0'];

const sign = (n: number) => Math.sign(n);

test('compareVersions: a pre-release sorts before its release, identifiers numerically', () => {
  for (let i = 0; i < ascending.length; i++) {
    for (let j = 0; j < ascending.length; j++) {
      const a = parseVersion(ascending[i])!;
      const b = parseVersion(ascending[j])!;
      assert.equal(sign(compareVersions(a, b)), sign(i - j), `${ascending[i]} vs ${ascending[j]}`);
    }
  }
});

test('compareVersionStrings orders the same strings the same way', () => {
  for (let i = 0; i < ascending.length; i++) {
    for (let j = 0; j < ascending.length; j++) {
      assert.equal(sign(compareVersionStrings(ascending[i]!, ascending[j]!)), sign(i - j), `${ascending[i]} vs ${ascending[j]}`);
    }
  }
});

test('compareVersions: build metadata does not count, a vendor suffix is a pre-release', () => {
  const v = (s: string) => parseVersion(s)!;
  assert.equal(compareVersions(v('v1.31.0+k3s1'), v('v1.31.0')), 0);
  assert.ok(compareVersions(v('v1.30.4-eks-a737599'), v('v1.30.4')) < 0);
  assert.ok(compareVersions(v('v1.30.4-eks-a737599'), v('v1.30.3')) > 0);
  assert.equal(compareVersions(v('v1.31.0-rc.1'), v('1.31.0-rc.1')), 0);
});
