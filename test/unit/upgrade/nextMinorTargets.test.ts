import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextRepoVersionsCommand } from '../../../src/core/upgrade/nextRepo';
import { parseRepoLines } from '../../../src/core/upgrade/repo';
import { resolveTypedTarget } from '../../../src/core/upgrade/typedTarget';
import { parseVersion } from '../../../src/core/version';

const aptLines = parseRepoLines('/etc/apt/sources.list.d/kubernetes.list:1:deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/v1.35/deb/ /');
const yumLines = parseRepoLines('/etc/yum.repos.d/kubernetes.repo:3:baseurl=https://pkgs.k8s.io/core:/stable:/v1.35/rpm/');

test("apt: the next minor's repository is read from rewritten copies in a temporary folder, the node's sources untouched", () => {
  const c = nextRepoVersionsCommand('apt', aptLines, { major: 1, minor: 36 })!;
  assert.match(c, /^d=\$\(mktemp -d\) && trap 'rm -rf "\$d"' EXIT && /);
  assert.match(c, /sed 's#\/core:\/stable:\/v\[0-9\]\[0-9\]\*\\\.\[0-9\]\[0-9\]\*\/#\/core:\/stable:\/v1\.36\/#g' \/etc\/apt\/sources\.list\.d\/kubernetes\.list > "\$d\/parts\/\$\(basename \/etc\/apt\/sources\.list\.d\/kubernetes\.list\)"/);
  assert.match(c, /apt-get -q -o Dir::Etc::SourceList=\/dev\/null -o Dir::Etc::SourceParts="\$d\/parts" -o Dir::State::Lists="\$d\/lists" update >\/dev\/null && apt-cache .* madison kubeadm$/);
  assert.doesNotMatch(c, /sed -i/);
});

test('dnf/yum: a temporary repository from the rewritten baseurl, for this one command; nothing when no pkgs.k8s.io line', () => {
  assert.equal(nextRepoVersionsCommand('dnf', yumLines, { major: 1, minor: 36 }), "dnf -q --repofrompath=kubeadm-upgrade-next,https://pkgs.k8s.io/core:/stable:/v1.36/rpm/ --disablerepo='*' --enablerepo=kubeadm-upgrade-next --setopt=kubeadm-upgrade-next.gpgcheck=0 list --showduplicates kubeadm");
  assert.equal(nextRepoVersionsCommand('apt', [], { major: 1, minor: 36 }), undefined);
});

test('a typed minor resolves to its newest patch offered and says so; a full version is taken as it is; no guess', () => {
  const offered = [
    { version: parseVersion('v1.36.1')!, source: 'the v1.36 repository' },
    { version: parseVersion('v1.36.3')!, source: 'the v1.36 repository' },
    { version: parseVersion('v1.35.4')!, source: "cp-1's repository" },
  ];
  const r = resolveTypedTarget('1.36', offered);
  assert.deepEqual('version' in r && [r.version.raw.replace(/^v?/, 'v'), r.said], ['v1.36.3', '1.36 → v1.36.3, the newest 1.36 patch offered (the v1.36 repository).']);
  const full = resolveTypedTarget('v1.36.2', offered);
  assert.ok('version' in full && full.version.patch === 2 && full.said === undefined);
  const none = resolveTypedTarget('1.37', offered);
  assert.ok('error' in none && none.error.startsWith('No 1.37 patch is offered (offered: v1.36.1, v1.36.3, v1.35.4): type the full version.'));
  assert.ok('error' in resolveTypedTarget('v1.', offered));
});
