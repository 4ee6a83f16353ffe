// A dropped connection in the middle of the worst steps, against the sandbox's real sshd and real apiserver:
// the session's sshd process is killed during the first control plane's `kubeadm upgrade apply` and during a
// worker's package install. Each step must complete on the node exactly once (one kubeadm backup folder), the run
// re-attaches to it and ends at the target, schedulable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApiClusterOps } from '../../../src/adapters/k8s/clusterOps';
import { KubeDrainApi } from '../../../src/adapters/k8s/drain';
import { ApiClusterSource } from '../../../src/adapters/k8s/apiClusterSource';
import { loadContexts, type ContextEntry } from '../../../src/adapters/k8s/kubeconfig';
import { type SshPool } from '../../../src/adapters/ssh';
import { buildSnapshot } from '../../../src/core/snapshot/build';
import { DEFAULT_OPTIONS, phasesFor } from '../../../src/core/upgrade/phases';
import { buildContext, gatherNodeFacts } from '../../../src/core/upgrade/prepare';
import { runUpgrade } from '../../../src/core/upgrade/runner';
import { newRunState } from '../../../src/core/upgrade/state';
import { formatVersion, parseVersion } from '../../../src/core/version';
import { useSandbox, sandboxSshPool } from '../sandbox';

const VERSIONS = fs.readFileSync(path.join(__dirname, '..', '..', 'sandbox', 'build', 'versions.env'), 'utf8');
const TARGET = parseVersion(VERSIONS.match(/^K8S_NEW=(\S+)/m)![1]!)!;

let ctx: ContextEntry;
let pool: SshPool;
const sb = useSandbox('healthy', {
  setUp: () => {
    ctx = loadContexts([sb.kubeconfig]).contexts[0]!;
    pool = sandboxSshPool(sb);
  },
  tearDown: () => {
    pool?.dispose();
  },
});

const nodeRoot = (node: string) => path.join(path.dirname(sb.kubeconfig), 'nodes', node, 'root');
const stepLog = (node: string, runId: string, step: string) => path.join(nodeRoot(node), 'var/lib/kubeadm-upgrade/runs', runId, `${step}.log`);

async function upgradeWithDrop(node: string, fault: string) {
  fs.writeFileSync(path.join(nodeRoot(node), 'etc', 'sandbox-faults.env'), `${fault}=drop\n`);
  const snapshot = buildSnapshot((await new ApiClusterSource(ctx.name, ctx.config).fetch()).objects);
  const ex = pool.getExecutor(node);
  const facts = await gatherNodeFacts(node, ex);
  const { context } = buildContext(ctx.name, snapshot, node, facts, TARGET, DEFAULT_OPTIONS, new Date());
  const runId = `drop-${node}`;
  const connectsBefore = ex.connectCount;
  const messages: string[] = [];
  const result = await runUpgrade(newRunState(runId, context, phasesFor(context), new Date()), {
    executor: ex,
    cluster: new ApiClusterOps(ctx.config, new KubeDrainApi(ctx.config)),
    confirm: async () => true,
    progress: (e) => e.type === 'message' && messages.push(e.text),
    save: async () => {},
    audit: () => {},
  });
  assert.equal(result.status, 'done', `${result.error}\n${messages.join('\n')}`);
  assert.equal(fs.readFileSync(path.join(nodeRoot(node), 'etc', 'sandbox-faults.env'), 'utf8').trim(), '', 'the drop fault fired');
  assert.ok(ex.connectCount > connectsBefore, 'the connection was lost and reopened');
  assert.ok(messages.some((m) => /keeps running on the node; re-attaching/.test(m)), messages.join('\n'));
  const node_ = JSON.parse(sb.kubectl('get', 'node', node, '-o', 'json'));
  assert.equal(node_.status.nodeInfo.kubeletVersion, formatVersion(TARGET));
  assert.equal(node_.spec.unschedulable, undefined);
  return { runId };
}

test('sshd session killed mid `kubeadm upgrade apply` on the first control plane: applied once, re-attached, run ends at the target', { timeout: 600_000 }, async () => {
  const { runId } = await upgradeWithDrop('cp-1', 'kubeadm_upgrade_apply');
  const tmp = fs.readdirSync(path.join(nodeRoot('cp-1'), 'etc/kubernetes/tmp'));
  assert.equal(tmp.filter((d) => d.startsWith('kubeadm-backup-manifests-')).length, 1, `exactly one apply: ${tmp.join(', ')}`);
  const log = fs.readFileSync(stepLog('cp-1', runId, 'kubeadm-upgrade-1'), 'utf8');
  assert.equal(log.match(/\[upgrade\] SUCCESS!/g)?.length, 1, log);
});

test('sshd session killed mid package install on a worker: installed once, re-attached, run ends at the target', { timeout: 600_000 }, async () => {
  const { runId } = await upgradeWithDrop('worker-1', 'apt_install');
  const log = fs.readFileSync(stepLog('worker-1', runId, 'install-kubeadm-1'), 'utf8');
  assert.equal(log.match(/Setting up kubeadm/g)?.length, 1, log);
});
