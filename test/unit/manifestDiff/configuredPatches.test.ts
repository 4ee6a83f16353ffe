// The patches folder named in a node's kubeadm configuration files (kubeadm v1beta4's InitConfiguration /
// JoinConfiguration `patches.directory`, UpgradeConfiguration `apply.patches.directory` / `node.patches.directory`),
// read from `head -v` output as the node prints it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { configuredPatches, kubeadmConfigFilesCommand } from '../../../src/core/manifestDiff/configuredPatches';
import { parseHeadListing } from '../../../src/core/manifestDiff/patches';

// As kubeadm's docs write them (kubeadm-config.v1beta4: "patches: directory: ..."), with a token that must stay unread.
const INIT = `apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
bootstrapTokens:
- token: abcdef.0123456789abcdef
patches:
  directory: /etc/kubernetes/patches
---
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
kubernetesVersion: v1.35.4
`;
const JOIN = `apiVersion: kubeadm.k8s.io/v1beta4
kind: JoinConfiguration
controlPlane: {}
patches:
  directory: /srv/kubeadm/patches/
`;
const UPGRADE = `apiVersion: kubeadm.k8s.io/v1beta4
kind: UpgradeConfiguration
apply:
  patches:
    directory: /etc/kubernetes/upgrade-patches
node:
  patches:
    directory: /etc/kubernetes/node-patches
`;

test('InitConfiguration\'s patches.directory, said where it came from', () => {
  assert.deepEqual(configuredPatches([{ path: '/etc/kubernetes/kubeadm-config.yaml', content: INIT }], 'apply'), {
    dir: '/etc/kubernetes/patches', source: 'patches.directory of the InitConfiguration in /etc/kubernetes/kubeadm-config.yaml',
  });
});

test('an UpgradeConfiguration wins, by the command the node runs; then the JoinConfiguration, then the InitConfiguration', () => {
  const files = [{ path: '/etc/kubernetes/kubeadm.yaml', content: INIT }, { path: '/run/kubeadm/kubeadm-join-config.yaml', content: JOIN }, { path: '/etc/kubernetes/kubeadm-upgrade.yaml', content: UPGRADE }];
  assert.equal(configuredPatches(files, 'apply')?.dir, '/etc/kubernetes/upgrade-patches');
  assert.equal(configuredPatches(files, 'node')?.source, 'node.patches.directory of the UpgradeConfiguration in /etc/kubernetes/kubeadm-upgrade.yaml');
  assert.deepEqual(configuredPatches(files.slice(0, 2), 'node'), { dir: '/srv/kubeadm/patches', source: 'patches.directory of the JoinConfiguration in /run/kubeadm/kubeadm-join-config.yaml' });
});

test('nothing named, not kubeadm\'s, unreadable YAML or an unsafe path: none', () => {
  assert.equal(configuredPatches([{ path: '/etc/kubernetes/kubeadm.yaml', content: 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n' }], 'apply'), undefined);
  assert.equal(configuredPatches([{ path: '/x', content: 'apiVersion: v1\nkind: InitConfiguration\npatches:\n  directory: /p\n' }], 'apply'), undefined);
  assert.equal(configuredPatches([{ path: '/x', content: 'kind: [\n' }], 'apply'), undefined);
  for (const dir of ['patches', '/etc/../tmp', '/a\nb']) {
    assert.equal(configuredPatches([{ path: '/x', content: `apiVersion: kubeadm.k8s.io/v1beta3\nkind: InitConfiguration\npatches:\n  directory: ${JSON.stringify(dir)}\n` }], 'apply'), undefined, dir);
  }
});

test('the node-side command prints the files that exist with their names, and succeeds when none does', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeadm-cfg-'));
  try {
    fs.writeFileSync(path.join(dir, 'b.yaml'), JOIN);
    const r = spawnSync('/bin/sh', ['-c', String(kubeadmConfigFilesCommand([path.join(dir, 'a.yaml'), path.join(dir, 'b.yaml')]))], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const files = parseHeadListing(r.stdout);
    assert.deepEqual(files.map((f) => f.path), [path.join(dir, 'b.yaml')]);
    assert.equal(configuredPatches(files, 'node')?.dir, '/srv/kubeadm/patches');
    const none = spawnSync('/bin/sh', ['-c', String(kubeadmConfigFilesCommand([path.join(dir, 'a.yaml')]))], { encoding: 'utf8' });
    assert.deepEqual([none.status, none.stdout], [0, '']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
