// manifest-drift and images-available over nodes whose commands answer with REAL outputs of kubeadm and crictl on the
// sandbox's real control plane (test/fixtures/kubeadm/diff, sources in its README).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { collectUpgradeDiff } from '../../../src/core/manifestDiff/collect';
import { runReadiness, type CheckId } from '../../../src/core/readiness';
import { isOverridden } from '../../../src/core/readiness/overrides';
import type { RunResult } from '../../../src/core/exec/executor';
import type { ClusterSnapshot } from '../../../src/core/snapshot/model';
import { parseVersion } from '../../../src/core/version';
import { SNAP, T, deps, fakeApi, fakeExecutor, node, ok } from './fakes';

const DIR = resolve(process.cwd(), 'test/fixtures/kubeadm/diff');
const sample = (prefix: string) => readFileSync(resolve(DIR, readdirSync(DIR).find((f) => f.startsWith(prefix))!), 'utf8');
const cp1 = { ...node('cp-1', true), controlPlaneComponents: { 'kube-apiserver': { component: 'kube-apiserver' as const, version: parseVersion('v1.35.4'), source: 'x' } } };
const snap: ClusterSnapshot = { ...SNAP, nodes: [cp1, node('w-1', false)] };
const CLUSTER_CONFIGURATION = 'apiVersion: kubeadm.k8s.io/v1beta4\nimageRepository: sandbox.local/k8s\nkind: ClusterConfiguration\nkubernetesVersion: v1.35.4\n';

async function run(only: CheckId[], answers: Record<string, RunResult>, extra: object = {}) {
  const d = deps(fakeApi({ configMap: async (_ns, name) => (name === 'kubeadm-config' ? { ClusterConfiguration: CLUSTER_CONFIGURATION } : undefined) }), { 'cp-1': fakeExecutor('cp-1', answers) });
  return (await runReadiness({ ...d, snapshot: async () => snap, ...extra }, T, { only })).checks;
}

describe('manifest-drift', () => {
  it('hand edits kubeadm regenerates away: a blocker naming each, with the fix; overridable by id', async () => {
    const r = await run(['manifest-drift'], { 'upgrade diff v1.35.4 --context-lines 10000': ok(sample('D02_')) });
    assert.equal(r.length, 1);
    assert.equal(r[0]!.severity, 'blocker');
    assert.equal(r[0]!.node, 'cp-1');
    assert.match(r[0]!.message, /^4 hand edit\(s\) in cp-1's static Pod manifests will be lost by `kubeadm upgrade`: kube-apiserver --event-ttl=2h0m0s; /);
    assert.ok(r[0]!.evidence.includes('will be lost: /etc/kubernetes/manifests/kube-apiserver.yaml: --event-ttl=2h0m0s → (removed)'), r[0]!.evidence.join('\n'));
    assert.match(r[0]!.fix, /apiServer\.extraArgs/);
    assert.match(r[0]!.fix, /extraVolumes/);
    assert.match(r[0]!.fix, /patches/);
    assert.ok(isOverridden(r[0]!, ['manifest-drift']));
    assert.ok(isOverridden(r[0]!, ['manifest-drift:cp-1']));
  });
  it('no drift: ok', async () => {
    const r = await run(['manifest-drift'], { 'upgrade diff v1.35.4': ok(sample('D02_').split('--- ')[0]!) });
    assert.equal(r[0]!.severity, 'ok');
  });
  it('with a patches folder re-adding the flag and the volume, only the changed flag blocks', async () => {
    const listing = [
      '==> /etc/kubernetes/patches/kube-apiserver+json.yaml <==', '- op: add', '  path: /spec/containers/0/command/-', '  value: --event-ttl=2h0m0s', '',
      '==> /etc/kubernetes/patches/kube-apiserver1.yaml <==', 'spec:', '  containers:', '  - name: kube-apiserver', '    volumeMounts:', '    - mountPath: /etc/kubernetes/audit', '      name: audit', '      readOnly: true',
      '  volumes:', '  - hostPath:', '      path: /etc/kubernetes/audit', '      type: DirectoryOrCreate', '    name: audit', '',
    ].join('\n');
    const r = await run(['manifest-drift'], { 'upgrade diff v1.35.4': ok(sample('D02_')), "find /etc/kubernetes/patches": ok(listing) }, { patchesDir: '/etc/kubernetes/patches' });
    assert.equal(r[0]!.severity, 'blocker');
    assert.match(r[0]!.message, /^1 hand edit\(s\) .*: kube-apiserver --kubelet-preferred-address-types=InternalIP,Hostname$/);
    assert.ok(r[0]!.evidence.includes('kept by /etc/kubernetes/patches: /etc/kubernetes/manifests/kube-apiserver.yaml: --event-ttl=2h0m0s'), r[0]!.evidence.join('\n'));
  });
  it('#26: no setting, the folder named in the node\'s kubeadm configuration (InitConfiguration patches.directory): used, and said where it came from', async () => {
    const config = ['==> /etc/kubernetes/kubeadm-config.yaml <==', 'apiVersion: kubeadm.k8s.io/v1beta4', 'kind: InitConfiguration', 'patches:', '  directory: /etc/kubernetes/patches', ''].join('\n');
    const listing = ['==> /etc/kubernetes/patches/kube-apiserver+json.yaml <==', '- op: add', '  path: /spec/containers/0/command/-', '  value: --event-ttl=2h0m0s', ''].join('\n');
    const r = await run(['manifest-drift'], { 'upgrade diff v1.35.4': ok(sample('D02_')), 'kubeadm-config.yaml': ok(config), 'find /etc/kubernetes/patches': ok(listing) });
    assert.ok(r[0]!.evidence.includes('kept by /etc/kubernetes/patches: /etc/kubernetes/manifests/kube-apiserver.yaml: --event-ttl=2h0m0s'), r[0]!.evidence.join('\n'));
    assert.doesNotMatch(r[0]!.message, /--event-ttl/);
    const d = await collectUpgradeDiff(fakeExecutor('cp-1', { 'upgrade diff': ok(sample('D02_')), 'kubeadm-config.yaml': ok(config), 'find /etc/kubernetes/patches': ok(listing) }), { node: 'cp-1', current: 'v1.35.4', target: 'v1.35.4' });
    assert.deepEqual(d.patches, { dir: '/etc/kubernetes/patches', files: ['kube-apiserver+json.yaml'], source: 'patches.directory of the InitConfiguration in /etc/kubernetes/kubeadm-config.yaml' });
    // The setting (or --patches) overrides what the node's configuration names.
    const set = await collectUpgradeDiff(fakeExecutor('cp-1', { 'upgrade diff': ok(sample('D02_')), 'kubeadm-config.yaml': ok(config), 'find /srv/p': ok('') }), { node: 'cp-1', current: 'v1.35.4', target: 'v1.35.4', patchesDir: '/srv/p' });
    assert.deepEqual(set.patches, { dir: '/srv/p', files: [], source: 'the setting kubeadm.upgrade.patchesDir / --patches' });
  });
  it('kubeadm failing (the API refusing it) is "could not run", never ok', async () => {
    const r = await run(['manifest-drift'], { 'upgrade diff': { exitCode: 1, stdout: sample('D06_'), stderr: '' } });
    assert.ok(r[0]!.notRun);
    assert.match(r[0]!.message, /forbidden/);
  });
});

describe('images-available', () => {
  const list = ok(sample('I02_'));
  const crictl = JSON.parse(sample('I03_')) as { images: { repoTags: string[] }[] };
  const without = (tag: string) => ok(JSON.stringify({ images: crictl.images.filter((i) => !i.repoTags.includes(tag)) }));
  it('every image of the target on the node: ok (kubeadm 1.36\'s list, with the cluster\'s imageRepository)', async () => {
    const r = await run(['images-available'], { 'config images list --kubernetes-version v1.36.3 --image-repository sandbox.local/k8s -o json': list, 'crictl images': ok(sample('I03_')) });
    assert.equal(r[0]!.severity, 'ok', r[0]!.message);
    assert.match(r[0]!.message, /^All 7 images of v1\.36\.3 are on cp-1/);
  });
  it('one missing and the registry unreachable (air-gapped): a blocker naming it, with the import fix', async () => {
    const r = await run(['images-available'], { 'images list': list, 'crictl images': without('sandbox.local/k8s/kube-apiserver:v1.36.3'), '/dev/tcp/sandbox.local/443': { exitCode: 1, stdout: '', stderr: 'bash: sandbox.local: Name or service not known' } });
    assert.equal(r[0]!.severity, 'blocker');
    assert.match(r[0]!.message, /^1 of 7 images of v1\.36\.3 are not on cp-1: sandbox\.local\/k8s\/kube-apiserver:v1\.36\.3; cp-1 cannot reach sandbox\.local/);
    assert.match(r[0]!.fix, /ctr -n k8s\.io images import/);
  });
  it('air-gapped with the run\'s image archive readable on the node: a warning (the upgrade imports it before the apply); not readable: still a blocker', async () => {
    const gapped = { 'images list': list, 'crictl images': without('sandbox.local/k8s/kube-apiserver:v1.36.3'), '/dev/tcp/sandbox.local/443': { exitCode: 1, stdout: '', stderr: 'bash: sandbox.local: Name or service not known' } };
    const r = await run(['images-available'], { ...gapped, 'test -f ': ok('') }, { imagesArchive: '/srv/images.tar' });
    assert.equal(r[0]!.severity, 'warning', r[0]!.message);
    assert.match(r[0]!.message, /cannot reach sandbox\.local \(air-gapped\): the upgrade imports \/srv\/images\.tar before the apply$/);
    const gone = await run(['images-available'], { ...gapped, 'test -f ': { exitCode: 1, stdout: '', stderr: '' } }, { imagesArchive: '/srv/images.tar' });
    assert.equal(gone[0]!.severity, 'blocker');
    assert.match(gone[0]!.message, /the archive \/srv\/images\.tar is not readable there$/);
  });
  it('missing but the registry reachable: a warning (the upgrade pulls before the apply)', async () => {
    const r = await run(['images-available'], { 'images list': list, 'crictl images': without('sandbox.local/k8s/etcd:3.6.8-0'), '/dev/tcp/': ok('') });
    assert.equal(r[0]!.severity, 'warning');
    assert.match(r[0]!.fix, /kubeadm config images pull --kubernetes-version v1\.36\.3 --image-repository sandbox\.local\/k8s/);
  });
  it('the text form of the list (I04) is read too; no crictl: could not run', async () => {
    const r = await run(['images-available'], { 'images list': ok(sample('I04_')), 'crictl images': { exitCode: 127, stdout: '', stderr: 'sh: crictl: not found' } });
    assert.ok(r[0]!.notRun);
    assert.match(r[0]!.message, /crictl: not found/);
  });
});
