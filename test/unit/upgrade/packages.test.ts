import { test } from 'node:test';
import assert from 'node:assert/strict';
import { freshVersionsCommand, installCommand, listVersionsCommand, parseAvailableVersions, parsePackageManager } from '../../../src/core/upgrade/packages';
import { parseRepoLines, planRepoChange, repoDiffText, switchRepoCommand } from '../../../src/core/upgrade/repo';

test('install commands per package manager, as the kubeadm docs write them', () => {
  assert.equal(installCommand('apt', ['kubeadm'], '1.32.3-1.1'), 'apt-mark unhold kubeadm && apt-get update && apt-get install -y kubeadm=1.32.3-1.1 && apt-mark hold kubeadm');
  assert.equal(
    installCommand('apt', ['kubelet', 'kubectl'], '1.32.3-1.1'),
    'apt-mark unhold kubelet kubectl && apt-get update && apt-get install -y kubelet=1.32.3-1.1 kubectl=1.32.3-1.1 && apt-mark hold kubelet kubectl',
  );
  assert.equal(installCommand('yum', ['kubeadm'], '1.32.3-150500.1.1'), 'yum install -y kubeadm-1.32.3-150500.1.1 --disableexcludes=kubernetes');
  assert.equal(installCommand('dnf', ['kubeadm'], '1.32.3-150500.1.1'), 'dnf install -y kubeadm-1.32.3-150500.1.1 --disableexcludes=kubernetes');
  assert.equal(installCommand('dnf5', ['kubeadm'], '1.32.3-150500.1.1'), 'dnf install -y kubeadm-1.32.3-150500.1.1 --setopt=disable_excludes=kubernetes');
  assert.throws(() => installCommand('apt', ['kubeadm'], '1.32.3;reboot'));
  assert.equal(listVersionsCommand('dnf5', 'kubeadm'), 'dnf list --showduplicates kubeadm --setopt=disable_excludes=kubernetes');
});

test('listing the versions refreshes the index first (apt-get update / makecache); a failed refresh still lists, with a warning', () => {
  assert.equal(freshVersionsCommand('apt', 'kubeadm'), "apt-get update -q >/dev/null 2>&1 || echo 'warning: apt-get update -q failed: listing the cached index' >&2; apt-cache madison kubeadm");
  assert.equal(freshVersionsCommand('yum', 'kubeadm'), "yum makecache -q >/dev/null 2>&1 || echo 'warning: yum makecache -q failed: listing the cached index' >&2; yum list --showduplicates kubeadm --disableexcludes=kubernetes");
  assert.match(freshVersionsCommand('dnf5', 'kubeadm'), /^dnf makecache --refresh -q .*; dnf list --showduplicates kubeadm --setopt=disable_excludes=kubernetes$/);
});

test('available versions from apt-cache madison and yum list, newest first', () => {
  const madison = [
    '   kubeadm | 1.32.3-1.1 | https://pkgs.k8s.io/core:/stable:/v1.32/deb  Packages',
    '   kubeadm | 1.32.2-1.1 | https://pkgs.k8s.io/core:/stable:/v1.32/deb  Packages',
    '   kubeadm | 1.32.10-1.1 | https://pkgs.k8s.io/core:/stable:/v1.32/deb  Packages',
    '   kubectl | 1.32.3-1.1 | https://pkgs.k8s.io/core:/stable:/v1.32/deb  Packages',
  ].join('\n');
  assert.deepEqual(parseAvailableVersions(madison, 'kubeadm').map((v) => v.packageVersion), ['1.32.10-1.1', '1.32.3-1.1', '1.32.2-1.1']);
  const yum = [
    'Last metadata expiration check: 0:01:02 ago.',
    'Installed Packages',
    'kubeadm.x86_64                    1.31.4-150500.1.1                     @kubernetes',
    'Available Packages',
    'kubeadm.x86_64                    1.32.0-150500.1.1                     kubernetes',
    'kubeadm.x86_64                    1.32.3-150500.1.1                     kubernetes',
    'kubeadm.src                       junk',
  ].join('\n');
  assert.deepEqual(parseAvailableVersions(yum, 'kubeadm').map((v) => v.packageVersion), ['1.32.3-150500.1.1', '1.32.0-150500.1.1', '1.31.4-150500.1.1']);
  assert.deepEqual(parseAvailableVersions('E: No packages found', 'kubeadm'), []);
  assert.equal(parsePackageManager('dnf5\n'), 'dnf5');
  assert.equal(parsePackageManager('none'), undefined);
});

test('the per-minor repo: find the lines, show the diff, back up and rewrite', () => {
  const out = [
    '/etc/apt/sources.list.d/kubernetes.list:1:deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/v1.31/deb/ /',
    '/etc/yum.repos.d/kubernetes.repo:3:baseurl=https://pkgs.k8s.io/core:/stable:/v1.31/rpm/',
    '/etc/yum.repos.d/kubernetes.repo:5:gpgkey=https://pkgs.k8s.io/core:/stable:/v1.31/rpm/repodata/repomd.xml.key',
  ].join('\n');
  const lines = parseRepoLines(out);
  assert.equal(lines.length, 3);
  assert.deepEqual(lines[0]!.minor, { major: 1, minor: 31 });
  assert.equal(planRepoChange(lines, { major: 1, minor: 31 }), undefined);
  const change = planRepoChange(lines, { major: 1, minor: 32 })!;
  assert.deepEqual(change.files, ['/etc/apt/sources.list.d/kubernetes.list', '/etc/yum.repos.d/kubernetes.repo']);
  assert.match(repoDiffText(change), /-deb .*v1\.31\/deb\/ \/\n\+deb .*v1\.32\/deb\/ \//);
  const cmd = switchRepoCommand(change, 'apt', '20261122T0900Z');
  assert.match(cmd, /cp -p \/etc\/apt\/sources.list.d\/kubernetes.list \/etc\/apt\/sources.list.d\/kubernetes.list.kubeadm-upgrade-20261122T0900Z.bak/);
  assert.match(cmd, /sed -i 's#\/core:\/stable:\/v\[0-9\]\[0-9\]\*\\\.\[0-9\]\[0-9\]\*\/#\/core:\/stable:\/v1\.32\/#g' \/etc\/apt/);
  assert.match(cmd, /&& apt-get update$/);
  assert.throws(() => switchRepoCommand(change, 'apt', '$(id)'));
});
