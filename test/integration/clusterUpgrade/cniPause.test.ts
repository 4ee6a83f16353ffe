// The CNI pause (#27), against the `apt` sandbox's real apiserver and sshd: a calico-node DaemonSet whose release the
// compatibility table does not document for the target makes `upgrade-cluster --yes` stop after the first control
// plane, where the kubeadm docs upgrade the CNI, with nothing else started; the CNI upgraded, `resume` goes on without
// asking again and finishes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { useSandboxWithDir } from '../sandbox';
import { resumeCommand } from '../../../src/cli/resumeCommand';
import { upgradeClusterCommand } from '../../../src/cli/upgradeClusterCommand';
import { sandboxPrompts, TARGET, withCapture } from './helpers';

const DAEMONSETS = '/apis/apps/v1/namespaces/kube-system/daemonsets';
const { sb, dir: stateDirOf } = useSandboxWithDir('apt', 'cni-pause-');

const conn = () => ['--kubeconfig', sb.kubeconfig, '--ssh-config', sb.sshConfig!, '--state-dir', stateDirOf()];
const kubelets = () => Object.fromEntries((JSON.parse(sb.kubectl('get', 'nodes', '-o', 'json')).items as { metadata: { name: string }; status: { nodeInfo: { kubeletVersion: string } } }[]).map((n) => [n.metadata.name, n.status.nodeInfo.kubeletVersion]));
const audit = () => fs.readFileSync(path.join(stateDirOf(), 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { phase: string; command: string });

test('calico 3.31 (documented up to 1.35): the run stops after cp-1 for the CNI upgrade; calico upgraded, resume finishes', { timeout: 900_000 }, async () => {
  // Scheduled nowhere (no node has the label): only its spec matters to the check.
  const ds = await sb.api('POST', DAEMONSETS, {
    metadata: { name: 'calico-node', namespace: 'kube-system', labels: { 'k8s-app': 'calico-node' } },
    spec: {
      selector: { matchLabels: { 'k8s-app': 'calico-node' } },
      template: { metadata: { labels: { 'k8s-app': 'calico-node' } }, spec: { nodeSelector: { 'example.com/no-such-node': 'true' }, containers: [{ name: 'calico-node', image: 'docker.io/calico/node:v3.31.2' }] } },
    },
  });
  assert.equal(ds.status, 201, JSON.stringify(ds.body));

  const paused = await withCapture((out, err) => upgradeClusterCommand(['--to', TARGET, '--skip-snapshot', '--yes', ...conn()], out, err, { prompts: sandboxPrompts }));
  assert.equal(paused.code, 1, `${paused.err}\n${paused.out}`);
  assert.match(paused.err, /Paused after the first control plane, where the kubeadm docs upgrade the CNI \(kubeadm does not\): CNI calico 3\.31 \(DaemonSet\/kube-system\/calico-node\) is not documented for Kubernetes 1\.36/);
  assert.match(paused.err, /Upgrade the CNI as its own docs say/);
  const mid = kubelets();
  assert.equal(mid['cp-1'], TARGET, 'the first control plane is done');
  assert.notEqual(mid['worker-1'], TARGET);
  assert.notEqual(mid['worker-2'], TARGET);
  assert.doesNotMatch(paused.err, /==> worker-/, 'no worker started');

  // The admin upgrades calico as its docs say (here: its image), then resumes.
  sb.kubectl('-n', 'kube-system', 'set', 'image', 'daemonset/calico-node', 'calico-node=docker.io/calico/node:v3.32.1');
  const resumed = await withCapture((out, err) => resumeCommand(conn(), out, err, { prompts: sandboxPrompts }));
  assert.equal(resumed.code, 0, `${resumed.err}\n${resumed.out}`);
  assert.equal(resumed.err.split('Paused after the first control plane').length - 1, 1, 'said once, in the "Resuming …" line that names how it stopped: not paused again');
  for (const [node, v] of Object.entries(kubelets())) assert.equal(v, TARGET, node);
  assert.deepEqual(audit().filter((l) => l.phase === 'addon-pause').map((l) => l.command), ['stopped here for the CNI upgrade']);
  await sb.api('DELETE', `${DAEMONSETS}/calico-node`);
});
