// Helm release decoding (src/adapters/k8s/helmRelease.ts) on a release Helm's own storage drivers wrote (fixture
// helm-release-legacy.json, see its .md): the Secret (base64 + base64 + gzip'd JSON) and the ConfigMap (base64 + gzip).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { decodeHelmPayload, helmReleaseFrom } from '../../../src/adapters/k8s/helmRelease';
import { manifestObjects } from '../../../src/core/readiness/apiRemovals';

const fixture = JSON.parse(readFileSync(resolve(__dirname, '../../fixtures/readiness/helm-release-legacy.json'), 'utf8')) as { secret: { metadata: object; data: { release: string } }; configMap: { metadata: object; data: { release: string } } };

describe('Helm release storage', () => {
  it('decodes the Secret driver\'s release: the manifest Helm compares against on its next upgrade', () => {
    const r = helmReleaseFrom('Secret', fixture.secret);
    assert.equal(r.error, undefined);
    assert.deepEqual({ ...r, manifest: undefined }, { name: 'legacy', namespace: 'default', revision: 1, status: 'deployed', storage: 'Secret/default/sh.helm.release.v1.legacy.v1', chart: 'legacy-0.1.0', manifest: undefined });
    assert.deepEqual(manifestObjects(r.manifest).map((o) => `${o.apiVersion} ${o.kind} ${o.name}`), ['policy/v1beta1 PodDisruptionBudget legacy', 'autoscaling/v2beta2 HorizontalPodAutoscaler legacy', 'v1 Service legacy']);
  });

  it('decodes the ConfigMap driver\'s release (one base64 layer less) to the same release', () => {
    const s = helmReleaseFrom('Secret', fixture.secret);
    const c = helmReleaseFrom('ConfigMap', fixture.configMap);
    assert.equal(c.storage, 'ConfigMap/default/sh.helm.release.v1.legacy.v1');
    assert.deepEqual({ ...c, storage: '' }, { ...s, storage: '' });
  });

  it('reads a release stored before Helm compressed them (plain JSON), as decodeRelease does without the gzip magic', () => {
    const plain = Buffer.from(JSON.stringify({ name: 'old', version: 2, manifest: 'apiVersion: v1\nkind: Service\n', info: { status: 'deployed' } })).toString('base64');
    assert.equal(decodeHelmPayload(plain).manifest, 'apiVersion: v1\nkind: Service\n');
    const gz = gzipSync(Buffer.from('{"name":"z","version":1,"manifest":""}')).toString('base64');
    assert.equal(decodeHelmPayload(gz).name, 'z');
  });

  it('a payload that does not decode is a release with the reason, named from the labels, never dropped', () => {
    const bad = helmReleaseFrom('Secret', { metadata: { name: 'sh.helm.release.v1.x.v4', namespace: 'ns', labels: { name: 'x', version: '4', status: 'deployed' } }, data: { release: Buffer.from('H4sIgarbage').toString('base64') } });
    assert.equal(bad.name, 'x');
    assert.equal(bad.revision, 4);
    assert.ok(bad.error, 'the reason is kept');
    assert.equal(helmReleaseFrom('ConfigMap', { metadata: { name: 'y', namespace: 'ns' } }).error, 'no data.release');
  });
});
