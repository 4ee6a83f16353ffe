// `kubeadm upgrade diff` parsed against REAL outputs (test/fixtures/kubeadm/diff, sources in its README): kubeadm
// 1.35.4 and 1.36.3 on the sandbox's real control plane, with hand edits in kube-apiserver.yaml (an added flag, a
// changed flag, an added hostPath volume and mount).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { changeOf } from '../../../src/core/manifestDiff/compare';
import { parseUnifiedDiff } from '../../../src/core/manifestDiff/unifiedDiff';
import { applyPatches, parseHeadListing, patchFile, type PatchFile } from '../../../src/core/manifestDiff/patches';
import { buildUpgradeDiff, renderUpgradeDiff } from '../../../src/core/manifestDiff/upgradeDiff';
import { printJson } from '../../../src/cli/jsonOutput';
import { assertValidJsonOutput } from '../../schemas';

const DIR = resolve(process.cwd(), 'test/fixtures/kubeadm/diff');
const sample = (prefix: string) => readFileSync(resolve(DIR, readdirSync(DIR).find((f) => f.startsWith(prefix))!), 'utf8');
const APISERVER = '/etc/kubernetes/manifests/kube-apiserver.yaml';

describe('parseUnifiedDiff on real kubeadm output', () => {
  it('default context (0 lines in kubeadm ≥ 1.31): three files, the ConfigMap notes, no whole files', () => {
    const d = parseUnifiedDiff(sample('D04_'));
    assert.deepEqual(d.files.map((f) => f.component), ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler']);
    assert.equal(d.notes.length, 2);
    assert.match(d.notes[0]!, /^\[upgrade\/diff\] Reading configuration from the "kubeadm-config" ConfigMap/);
    assert.deepEqual(d.errors, []);
    assert.ok(d.files.every((f) => !f.whole));
    assert.ok(d.files[0]!.removed.includes('    - --event-ttl=2h0m0s'));
  });
  it('a whole-file context rebuilds both manifests exactly (line counts from the hunk header)', () => {
    const d = parseUnifiedDiff(sample('D02_'));
    assert.equal(d.files.length, 1);
    const f = d.files[0]!;
    assert.equal(f.path, APISERVER);
    assert.equal(f.whole!.live.split('\n').length - 1, 133);
    assert.equal(f.whole!.generated.split('\n').length - 1, 125);
    assert.match(f.whole!.live, /--event-ttl=2h0m0s/);
    assert.doesNotMatch(f.whole!.generated, /event-ttl|audit/);
  });
  it('kubeadm\'s error (the API refusing the ConfigMap while it settles) is an error, not an empty diff', () => {
    const d = parseUnifiedDiff(sample('D06_'));
    assert.deepEqual(d.files, []);
    assert.equal(d.errors.length, 1);
    assert.match(d.errors[0]!, /forbidden/);
  });
});

describe('changeOf: by meaning', () => {
  it('whole files: the added flag, the changed flag and the audit volume and mount, nothing else', () => {
    const c = changeOf(parseUnifiedDiff(sample('D02_')).files[0]!);
    assert.equal(c.image, undefined);
    assert.deepEqual(c.flags.removed, [{ name: 'event-ttl', value: '2h0m0s' }]);
    assert.deepEqual(c.flags.changed, [{ name: 'kubelet-preferred-address-types', from: 'InternalIP,Hostname', to: 'InternalIP,ExternalIP,Hostname' }]);
    assert.deepEqual(c.flags.added, []);
    assert.deepEqual(c.volumes.removed, ['volume audit: hostPath /etc/kubernetes/audit', 'mount audit → /etc/kubernetes/audit (read-only)']);
    assert.deepEqual(c.volumes.added, []);
    assert.deepEqual(c.other, []);
  });
  it('the target version: the image of each component, plus the hand edits', () => {
    const files = parseUnifiedDiff(sample('D07_')).files.map(changeOf);
    const byC = Object.fromEntries(files.map((c) => [c.component, c]));
    assert.deepEqual(byC['kube-apiserver']!.image, { from: 'sandbox.local/k8s/kube-apiserver:v1.35.4', to: 'sandbox.local/k8s/kube-apiserver:v1.36.3' });
    assert.deepEqual(byC['kube-scheduler']!.image, { from: 'sandbox.local/k8s/kube-scheduler:v1.35.4', to: 'sandbox.local/k8s/kube-scheduler:v1.36.3' });
    assert.deepEqual(byC['kube-apiserver']!.flags.removed.map((f) => f.name), ['event-ttl']);
    // kubeadm 1.36 no longer mounts the controller-manager's flex-volume folder.
    assert.deepEqual(byC['kube-controller-manager']!.volumes.removed, ['volume flexvolume-dir: hostPath /tmp/kubeadm-upgrade-sandbox/diffprobe/realnode/volume-plugins', 'mount flexvolume-dir → /tmp/kubeadm-upgrade-sandbox/diffprobe/realnode/volume-plugins']);
  });
  it('without whole files, flags and the image from single lines; the hostPath lines stay raw', () => {
    const c = changeOf(parseUnifiedDiff(sample('D01_')).files[0]!);
    assert.deepEqual(c.flags.removed, [{ name: 'event-ttl', value: '2h0m0s' }]);
    assert.equal(c.flags.changed[0]!.name, 'kubelet-preferred-address-types');
    assert.ok(c.rawLines.includes('-      path: /etc/kubernetes/audit'));
  });
});

const PATCH_FLAGS: PatchFile = patchFile('kube-apiserver+json.yaml', [
  '- op: add', '  path: /spec/containers/0/command/-', '  value: --event-ttl=2h0m0s',
].join('\n'))!;
const PATCH_VOLUME: PatchFile = patchFile('kube-apiserver1.yaml', [
  'spec:', '  containers:', '  - name: kube-apiserver', '    volumeMounts:', '    - mountPath: /etc/kubernetes/audit', '      name: audit', '      readOnly: true',
  '  volumes:', '  - hostPath:', '      path: /etc/kubernetes/audit', '      type: DirectoryOrCreate', '    name: audit',
].join('\n'))!;

describe('patches', () => {
  it('kubeadm\'s file names: target, suffix, type; other names are skipped', () => {
    assert.deepEqual([PATCH_FLAGS.target, PATCH_FLAGS.type], ['kube-apiserver', 'json']);
    assert.deepEqual([PATCH_VOLUME.target, PATCH_VOLUME.type], ['kube-apiserver', 'strategic']);
    assert.equal(patchFile('README.md', ''), undefined);
    assert.equal(patchFile('etcd+merge.json', '{}')!.type, 'merge');
  });
  it('`head -v` listing of the folder', () => {
    assert.deepEqual(parseHeadListing('==> /p/a.yaml <==\nx: 1\n\n==> /p/b+json.yaml <==\n- op: add\n'), [{ name: 'a.yaml', path: '/p/a.yaml', content: 'x: 1\n' }, { name: 'b+json.yaml', path: '/p/b+json.yaml', content: '- op: add' }]);
  });
  it('strategic patches merge containers, volumes and mounts by their keys; JSON patches append', () => {
    const pod = { spec: { containers: [{ name: 'kube-apiserver', command: ['kube-apiserver'], volumeMounts: [{ name: 'k8s-certs', mountPath: '/etc/kubernetes/pki' }] }], volumes: [{ name: 'k8s-certs' }] } };
    const { result, applied } = applyPatches('kube-apiserver', pod, [PATCH_VOLUME, PATCH_FLAGS]);
    assert.deepEqual(applied, ['kube-apiserver+json.yaml', 'kube-apiserver1.yaml']);
    const spec = (result as typeof pod).spec;
    assert.deepEqual(spec.containers[0]!.command, ['kube-apiserver', '--event-ttl=2h0m0s']);
    assert.deepEqual(spec.containers[0]!.volumeMounts.map((m) => m.name), ['k8s-certs', 'audit']);
    assert.deepEqual(spec.volumes.map((v) => v.name), ['k8s-certs', 'audit']);
    assert.deepEqual(pod.spec.volumes.length, 1, 'the input is not changed');
  });
});

describe('buildUpgradeDiff', () => {
  it('drift against the current version is "will be lost", with each file and flag', () => {
    const d = buildUpgradeDiff({ node: 'cp-1', current: 'v1.35.4', target: 'v1.36.3', targetOutput: sample('D03_'), currentOutput: sample('D02_') });
    assert.deepEqual(d.lost.map((l) => `${l.file} ${l.kind} ${l.text} → ${l.becomes}`), [
      `${APISERVER} flag --event-ttl=2h0m0s → (removed)`,
      `${APISERVER} flag --kubelet-preferred-address-types=InternalIP,Hostname → --kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname`,
      `${APISERVER} volume volume audit: hostPath /etc/kubernetes/audit → (removed)`,
      `${APISERVER} volume mount audit → /etc/kubernetes/audit (read-only) → (removed)`,
    ]);
    assert.deepEqual(d.changes.map((c) => c.component), ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler']);
    assert.deepEqual(d.keptByPatches, []);
    const text = renderUpgradeDiff(d);
    assert.match(text, /Will be lost \(4 hand edit/);
    assert.match(text, /image: sandbox\.local\/k8s\/kube-apiserver:v1\.35\.4 → sandbox\.local\/k8s\/kube-apiserver:v1\.36\.3/);
  });
  it('with a patches folder that re-adds the flag and the volume, only the changed flag is still lost', () => {
    const d = buildUpgradeDiff({ node: 'cp-1', current: 'v1.35.4', target: 'v1.36.3', targetOutput: sample('D03_'), currentOutput: sample('D02_'), patches: { dir: '/etc/kubernetes/patches', files: [PATCH_FLAGS, PATCH_VOLUME] } });
    assert.deepEqual(d.lost.map((l) => l.text), ['--kubelet-preferred-address-types=InternalIP,Hostname']);
    assert.deepEqual(d.keptByPatches.map((l) => l.text), ['--event-ttl=2h0m0s', 'volume audit: hostPath /etc/kubernetes/audit', 'mount audit → /etc/kubernetes/audit (read-only)']);
    const api = d.changes.find((c) => c.component === 'kube-apiserver')!;
    assert.deepEqual(api.flags.removed, []);
    assert.ok(api.image);
    // What `diff --json` prints for it is a valid UpgradeDiff (schemas/v1/UpgradeDiff.schema.json).
    assertValidJsonOutput(printJson('UpgradeDiff', d), 'UpgradeDiff');
  });
  it('no drift: nothing lost', () => {
    const d = buildUpgradeDiff({ node: 'cp-1', current: 'v1.35.4', target: 'v1.36.3', targetOutput: sample('D03_'), currentOutput: sample('D02_').split('--- ')[0]! });
    assert.deepEqual(d.lost, []);
    assert.match(renderUpgradeDiff(d), /Will be lost: nothing/);
  });
});
