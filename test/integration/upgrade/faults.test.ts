// Failures on a real node (the sandbox's fault injection) must stop the upgrade with a clear reason, leave the node
// cordoned once it was drained, and resume from the failed step once the cause is gone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type SshPool } from '../../../src/adapters/ssh';
import { DEFAULT_OPTIONS, type UpgradeOptions } from '../../../src/core/upgrade/phases';
import type { UpgradeHooks } from '../../../src/core/upgrade/ports';
import { runUpgrade } from '../../../src/core/upgrade/runner';
import type { UpgradeRunState } from '../../../src/core/upgrade/state';
import { engineHooks, prepareNodeRun } from '../nodeRun';
import { useSandbox, sandboxSshPool } from '../sandbox';

let pool: SshPool;
const sb = useSandbox('healthy', {
  setUp: () => {
    pool = sandboxSshPool(sb);
  },
  tearDown: () => {
    pool?.dispose();
  },
});

const faultFile = (node: string) => path.join(path.dirname(sb.kubeconfig), 'nodes', node, 'root', 'etc', 'sandbox-faults.env');
const setFault = (node: string, line: string) => fs.writeFileSync(faultFile(node), `${line}\n`);
const unschedulable = (node: string) => JSON.parse(sb.kubectl('get', 'node', node, '-o', 'json')).spec.unschedulable === true;

async function prepare(node: string, options: UpgradeOptions = DEFAULT_OPTIONS): Promise<UpgradeRunState> {
  return (await prepareNodeRun(sb, node, pool.getExecutor(node), `faults-${node}`, options)).run;
}

function hooks(node: string): UpgradeHooks {
  return engineHooks(sb, pool.getExecutor(node));
}

test('kubeadm upgrade apply fails → the run stops there with kubeadm\'s error; resume completes', { timeout: 600_000 }, async () => {
  setFault('cp-1', 'kubeadm_upgrade_apply=fail');
  const run = await prepare('cp-1');
  const failed = await runUpgrade(run, hooks('cp-1'));
  assert.equal(failed.status, 'failed');
  assert.match(failed.error!, /"kubeadm upgrade apply v\d+\.\d+\.\d+" failed: exit code 1/);
  assert.equal(failed.phases.find((p) => p.status === 'failed')!.id, 'kubeadm-upgrade');
  setFault('cp-1', '');
  const resumed = await runUpgrade(failed, hooks('cp-1'));
  assert.equal(resumed.status, 'done', resumed.error);
  assert.equal(unschedulable('cp-1'), false);
});

test('SSH drops mid-step → the step keeps running on the node (detached); the run re-attaches and completes', { timeout: 600_000 }, async () => {
  setFault('cp-2', 'kubeadm_upgrade_node=drop');
  const run = await prepare('cp-2');
  const done = await runUpgrade(run, hooks('cp-2'));
  assert.equal(done.status, 'done', done.error);
  assert.equal(fs.readFileSync(faultFile('cp-2'), 'utf8').trim(), '', 'the drop fault fired (once)');
  assert.equal(unschedulable('cp-2'), false);
});

test('a node that never gets Ready → timeout error, node left cordoned', { timeout: 600_000 }, async () => {
  setFault('cp-3', 'kubelet_ready=never-ready');
  const run = await prepare('cp-3', { ...DEFAULT_OPTIONS, readyTimeoutSeconds: 15 });
  const failed = await runUpgrade(run, hooks('cp-3'));
  assert.equal(failed.status, 'failed');
  assert.match(failed.error!, /did not become Ready .* within 15 s/);
  assert.match(failed.error!, /cp-3 is left cordoned/);
  assert.equal(failed.cordoned, true);
  assert.equal(unschedulable('cp-3'), true);
});
