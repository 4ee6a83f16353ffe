import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAvailableVersions } from '../../../src/core/upgrade/packages';
import { candidateTargets } from '../../../src/core/upgrade/targets';
import { formatVersion } from '../../../src/core/version';
import { cluster, cp, worker } from '../helpers/snapshot';

const madison = (...versions: string[]) => parseAvailableVersions(versions.map((v) => ` kubeadm | ${v} | https://pkgs.k8s.io/core:/stable:/v1.31/deb  Packages`).join('\n'), 'kubeadm');

test('first control plane: the repo\'s newer patches, newest first, each with its guards', () => {
  const s = cluster([cp('cp-1', { apiserver: 'v1.31.2', kubelet: 'v1.31.2' }), worker('w-1', { kubelet: 'v1.31.2' })], 'v1.31.2');
  const c = candidateTargets(s, 'cp-1', madison('1.31.5-1.1', '1.31.2-1.1', '1.31.1-1.1', '1.31.4-1.1'), { major: 1, minor: 31 });
  assert.deepEqual(c.map((x) => [formatVersion(x.version), x.packageVersion, x.needsRepoSwitch, x.guards.length]), [
    ['v1.31.5', '1.31.5-1.1', false, 0],
    ['v1.31.4', '1.31.4-1.1', false, 0],
  ]);
});

test('a worker after the control plane moved: the control plane\'s version first', () => {
  const s = cluster([cp('cp-1', { apiserver: 'v1.32.1', kubelet: 'v1.32.1' }), worker('w-1', { kubelet: 'v1.31.2' })], 'v1.32.1');
  const c = candidateTargets(s, 'w-1', madison('1.31.5-1.1'), { major: 1, minor: 31 });
  assert.equal(formatVersion(c[0]!.version), 'v1.32.1');
  assert.equal(c[0]!.note, "the control plane's version");
  assert.equal(c[0]!.needsRepoSwitch, true);
  assert.equal(c[0]!.packageVersion, undefined);
  assert.deepEqual(c[0]!.guards, []);
  // v1.31.5 would be older than the control plane: not offered
  assert.equal(c.length, 1);
});

test('a worker before the control plane: offered, but refused with the reason', () => {
  const s = cluster([cp('cp-1', { apiserver: 'v1.31.2', kubelet: 'v1.31.2' }), worker('w-1', { kubelet: 'v1.31.2' })], 'v1.31.2');
  const [first] = candidateTargets(s, 'w-1', madison('1.31.5-1.1'), { major: 1, minor: 31 });
  assert.ok(first!.guards.some((g) => g.severity === 'refuse' && /first control-plane node/.test(g.reason)));
});
