import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalExecutor } from '../../../src/adapters/local/localExecutor';
import { parseRepoLines, planRepoChange, switchRepoCommand } from '../../../src/core/upgrade/repo';

test('the repo switch command really rewrites the minor and keeps a backup (run by /bin/sh on copies)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'repo-'));
  const list = path.join(dir, 'kubernetes.list');
  const before = 'deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/v1.31/deb/ /\n';
  fs.writeFileSync(list, before);
  const change = planRepoChange(parseRepoLines(`${list}:1:${before.trim()}`), { major: 1, minor: 32 })!;
  // The package-index refresh is replaced by `true`: this machine's apt must not be touched by a unit test.
  const cmd = switchRepoCommand(change, 'apt', '20261122T0900Z').replace(/apt-get update$/, 'true') as ReturnType<typeof switchRepoCommand>;
  const r = await new LocalExecutor().run(cmd);
  assert.equal(r.exitCode, 0, r.stderr);
  assert.equal(fs.readFileSync(list, 'utf8'), before.replace('v1.31', 'v1.32'));
  assert.equal(fs.readFileSync(`${list}.kubeadm-upgrade-20261122T0900Z.bak`, 'utf8'), before);
});
