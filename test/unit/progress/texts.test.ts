import { test } from 'node:test';
import assert from 'node:assert/strict';
import { roleSentence } from '../../../src/core/progress';
import { buildSnapshot } from '../../../src/core/snapshot/build';
import { targetChoices } from '../../../src/core/upgrade/targetChoices';
import { parseVersion } from '../../../src/core/version';
import { rawDump } from '../helpers/dumps';

test('confirmations say what each control plane runs, not "first-control-plane"', () => {
  const s = buildSnapshot(rawDump('healthy'));
  assert.equal(roleSentence(s, 'cp-2', 'first-control-plane'), 'cp-2 will run `kubeadm upgrade apply` (the first control plane to be upgraded); cp-1 and cp-3 will then run `kubeadm upgrade node`.');
  assert.match(roleSentence(s, 'cp-1', 'control-plane'), /^cp-1 will run `kubeadm upgrade node`/);
  assert.match(roleSentence(s, 'worker-1', 'worker'), /^worker-1 is a worker/);
});

test('target choices: the repository\'s patches of the running minor and the next minor, newest first', () => {
  const s = buildSnapshot(rawDump('healthy')); // v1.31.2
  const pv = (v: string) => ({ packageVersion: `${v.slice(1)}-1.1`, version: parseVersion(v)! });
  const choices = targetChoices(s, [pv('v1.30.9'), pv('v1.31.2'), pv('v1.31.7'), pv('v1.32.3'), pv('v1.32.3'), pv('v1.33.0')]);
  assert.deepEqual(choices, [
    { version: 'v1.32.3', note: 'next minor' },
    { version: 'v1.31.7', note: 'patch of the running minor' },
    { version: 'v1.31.2', note: 'patch of the running minor' },
  ]);
});
