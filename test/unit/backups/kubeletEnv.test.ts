// Issue #28 class 8: kubeadm ≥1.35 saves the kubelet's kubeadm-flags.env in a folder of its own before rewriting it
// (`[upgrade] Backing up kubelet env file to /etc/kubernetes/tmp/kubeadm-kubelet-env3966514992/kubeadm-flags.env`, as
// kubeadm 1.35.0 and 1.35.4 print it: test/fixtures/explain K16, K17). The folder is listed with the other backups (a
// real shell lists a folder laid out like that), and the newest run offers to restore the file.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { LocalExecutor } from '../../../src/adapters/local/localExecutor';
import { oldBackups } from '../../../src/core/backups/cleanup';
import { classify, listingCommand, parseListing, type Listing } from '../../../src/core/backups/listing';
import { recoverySteps } from '../../../src/core/backups/recovery';
import { backupsViewModel } from '../../../src/core/backups/viewModel';

describe('the kubelet env-file backup (kubeadm ≥1.35)', () => {
  let root = '';
  let tmp = '';
  let listing: Listing;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'kubelet env '));
    tmp = join(root, 'tmp');
    const put = (p: string, text = 'x'.repeat(3000)) => {
      mkdirSync(join(p, '..'), { recursive: true });
      writeFileSync(p, text);
    };
    // The folders kubeadm 1.35.0 named in K16's output.
    for (const c of ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler']) put(join(tmp, 'kubeadm-backup-manifests-2026-06-08-14-47-14', `${c}.yaml`));
    put(join(tmp, 'kubeadm-kubelet-config-2026-06-08-14-50-58', 'config.yaml'));
    put(join(tmp, 'kubeadm-kubelet-env3966514992', 'kubeadm-flags.env'), 'KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock"\n');
    const r = await new LocalExecutor().run(listingCommand([tmp]), { timeoutMs: 20_000 });
    assert.equal(r.exitCode, 0, r.stderr);
    listing = parseListing(r.stdout, tmp);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('is classified as kubelet-env, with and without a timestamp', () => {
    assert.deepEqual(classify('kubeadm-kubelet-env3966514992'), { kind: 'kubelet-env', time: null });
    assert.equal(classify('kubeadm-kubelet-env-2026-06-08-14-51-03').kind, 'kubelet-env');
    assert.equal(classify('kubeadm-kubelet-config-2026-06-08-14-50-58').kind, 'kubelet-config');
  });
  it('is listed with the other backups, its file inside', () => {
    assert.deepEqual(listing.unparsed, []);
    const env = listing.backups.find((b) => b.kind === 'kubelet-env')!;
    assert.equal(env.name, 'kubeadm-kubelet-env3966514992');
    assert.deepEqual(env.files.map((f) => f.path), ['kubeadm-flags.env']);
    const view = backupsViewModel('prod', [{ node: 'cp-1', listing, etcdExternal: false, currentVersion: 'v1.35.0', targetVersion: null, auditLog: null }]);
    assert.deepEqual(view.nodes[0]!.workingCopies.map((b) => b.name).sort(), ['kubeadm-kubelet-config-2026-06-08-14-50-58', 'kubeadm-kubelet-env3966514992']);
    // Its recovery step, on the newest run.
    const step = view.nodes[0]!.runs[0]!.steps.find((s) => s.id === 'restore-kubelet-env')!;
    assert.equal(step.danger, 'restore');
    assert.equal(step.command, `sudo cp -p -- '${tmp}/kubeadm-kubelet-env3966514992/kubeadm-flags.env' /var/lib/kubelet/kubeadm-flags.env && sudo systemctl restart kubelet`);
  });
  it('comes before the checks, after the restores; absent without the folder or its file', () => {
    const env = listing.backups.find((b) => b.kind === 'kubelet-env')!;
    const base = { node: 'cp-1', manifests: null, etcd: null, currentVersion: 'v1.35.0', targetVersion: null, etcdExternal: false };
    assert.deepEqual(recoverySteps({ ...base, kubeletEnv: env }).map((s) => s.id), ['rerun', 'force', 'restore-kubelet-env', 'verify-nodes', 'verify-pods']);
    assert.ok(!recoverySteps(base).some((s) => s.id === 'restore-kubelet-env'));
    assert.ok(!recoverySteps({ ...base, kubeletEnv: { ...env, files: [] } }).some((s) => s.id === 'restore-kubelet-env'));
  });
  it('an old one is a cleanup candidate, like the other working copies', () => {
    const env = listing.backups.find((b) => b.kind === 'kubelet-env')!;
    const newer = { ...env, name: 'kubeadm-kubelet-env111', path: `${tmp}/kubeadm-kubelet-env111`, mtime: (env.mtime ?? 0) + 3600 };
    assert.deepEqual(oldBackups([env, newer]).map((b) => b.name), ['kubeadm-kubelet-env3966514992']);
  });
});
