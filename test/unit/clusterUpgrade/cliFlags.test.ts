import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError } from '../../../src/cli/args';
import { strictTarget } from '../../../src/cli/strictTarget';
import { upgradeOptionsFrom } from '../../../src/cli/upgradeOptionFlags';
import { DEFAULT_OPTIONS } from '../../../src/core/upgrade/phases';

test('upgrade-option flags map onto the upgrade options; none given: the defaults', () => {
  assert.deepEqual(upgradeOptionsFrom({}), DEFAULT_OPTIONS);
  const o = upgradeOptionsFrom({ 'no-certificate-renewal': true, 'no-etcd-upgrade': true, 'stop-apiserver-first': true, 'drain-timeout': '2m', 'grace-period': '30', force: true, 'delete-emptydir-data': true, 'ready-timeout': '90' });
  assert.equal(o.renewCertificates, false);
  assert.equal(o.upgradeEtcd, false);
  assert.equal(o.stopApiserverFirst, true);
  assert.equal(o.readyTimeoutSeconds, 90);
  assert.deepEqual(o.drain, { timeoutSeconds: 120, gracePeriodSeconds: 30, deleteEmptyDirData: true, force: true, disableEviction: false });
  assert.throws(() => upgradeOptionsFrom({ 'drain-timeout': 'soon' }), UsageError);
  assert.throws(() => upgradeOptionsFrom({ 'grace-period': '1.5' }), UsageError);
});

test('#26: pre-pull is on unless --no-pre-pull; an archive turns it on and cannot go with --no-pre-pull', () => {
  assert.equal(upgradeOptionsFrom({}).prepullImages, true);
  assert.equal(upgradeOptionsFrom({ 'prepull-images': true }).prepullImages, true);
  assert.equal(upgradeOptionsFrom({ 'no-pre-pull': true }).prepullImages, false);
  assert.deepEqual(upgradeOptionsFrom({ 'images-archive': '/root/k8s.tar' }), { ...DEFAULT_OPTIONS, prepullImages: true, imagesArchive: '/root/k8s.tar' });
  assert.throws(() => upgradeOptionsFrom({ 'no-pre-pull': true, 'images-archive': '/root/k8s.tar' }), /--no-pre-pull with --images-archive/);
  assert.throws(() => upgradeOptionsFrom({ 'no-pre-pull': true, 'prepull-images': true }), UsageError);
});

test('--to must be a full version: no coercion', () => {
  assert.equal(strictTarget('v1.36.3').raw.replace(/^v/, ''), '1.36.3');
  assert.throws(() => strictTarget('1.36'), /full version/);
  assert.throws(() => strictTarget('garbage 2.0.1 text'), /full version/);
  assert.throws(() => strictTarget(undefined), /required/);
});
