// The etcd restore procedure against a REAL kubeadm control plane (scenario real-control-plane: cp-1 made by the real
// `kubeadm init`, real kubelet, containerd, static pods; no etcdctl/etcdutl on the host): snapshot -> a ConfigMap is
// created -> `kubeadm-upgrade restore-etcd --yes` -> the ConfigMap is gone, etcd is one healthy member with the
// revision bumped, the apiserver serves. Then a file past 1 GiB copied off cp-1 through the snapshot's copy path with
// the connection dropped halfway: resumed, sha256 equal to the node's, memory bounded. Needs root, else skipped.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SshPool } from '../../src/adapters/ssh';
import { etcdSnapshotStore } from '../../src/adapters/storage/etcdSnapshots';
import { copyFileOff } from '../../src/core/etcd/snapshot';
import { main } from '../../src/cli';
import { takeSnapshot } from '../../src/cli/snapshotEtcdCommand';
import { realNodeUnsupported } from '../sandbox/realnode/node';
import { startSandbox, waitFor, type Sandbox } from '../integration/sandbox';
import { sandboxAccess } from '../integration/readiness/helpers';
import { assertValidJsonOutput } from '../schemas';

const skip = realNodeUnsupported() ?? false;
let sb: Sandbox;
let stateDir: string;
before(async () => {
  if (skip) return;
  sb = await startSandbox('real-control-plane');
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'realcp-restore-state-'));
}, { timeout: 3_600_000 });
after(async () => {
  await sb?.down();
});

const onNode = (cmd: string) => {
  const r = sb.ssh('cp-1', cmd);
  assert.equal(r.code, 0, `${cmd}: ${r.stderr}${r.stdout}`);
  return r.stdout;
};
const etcdctl = (args: string) =>
  onNode(`crictl exec $(crictl ps -q --name '^etcd$' --state running | head -n 1) etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt --key=/etc/kubernetes/pki/etcd/healthcheck-client.key ${args}`);
async function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, (s) => out.push(s), (s) => err.push(s));
  return { code, out: out.join('\n'), err: err.join('\n') };
}
const kubectlOk = (...args: string[]) => { try { return sb.kubectl(...args); } catch { return undefined; } };

test('restore-etcd on the real control plane: snapshot, a ConfigMap created after it, restore -> the ConfigMap is gone, etcd healthy with the revision bumped, the apiserver serves', { skip, timeout: 1_800_000 }, async () => {
  assert.notEqual(sb.ssh('cp-1', 'command -v etcdctl etcdutl').code, 0, 'a kubeadm host has no etcdctl/etcdutl of its own');
  const access = sandboxAccess(sb);
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'realcp-restore-snap-'));
  let snapshot: string;
  try {
    const outcome = await takeSnapshot(access, 'cp-1', outDir);
    assert.equal(outcome.kind, 'saved');
    snapshot = outcome.kind === 'saved' ? outcome.record.localPath : assert.fail();
  } finally {
    access.dispose();
  }
  // Nothing partial left anywhere: not in /var/lib/etcd, not in the node's staging folder, not locally.
  assert.equal(onNode('ls -A /var/lib/etcd').trim(), 'member');
  assert.equal(onNode('ls -A /var/lib/kubeadm-upgrade/etcd-snapshots/.staging').trim(), '');
  assert.deepEqual(fs.readdirSync(outDir).sort(), [path.basename(snapshot), `${path.basename(snapshot)}.json`]);

  sb.kubectl('create', 'configmap', 'made-after-the-snapshot', '-n', 'default', '--from-literal=k=v');
  const revisionBefore = JSON.parse(etcdctl('endpoint status -w json'))[0].Status.header.revision as number;

  const dry = await cli('restore-etcd', '--snapshot', snapshot, '--kubeconfig', sb.kubeconfig, '--ssh-config', sb.sshConfig!, '--state-dir', stateDir, '--dry-run', '--json');
  assert.equal(dry.code, 0, dry.err);
  assertValidJsonOutput(dry.out, 'RestorePlan'); // schemas/v1
  const plan = JSON.parse(dry.out);
  assert.equal(plan.kind, 'RestorePlan');
  assert.equal(plan.topology, 'stacked-single');
  const ip = onNode("sed -n 's/.*--initial-advertise-peer-urls=//p' /etc/kubernetes/manifests/etcd.yaml").trim();
  assert.deepEqual(plan.members.map((m: { name: string; peerUrls: string }) => [m.name, m.peerUrls]), [['cp-1', ip]], 'the member as its manifest declares it');
  assert.equal(plan.initialCluster, `cp-1=${ip}`);
  assert.ok(plan.byNode['cp-1'].includes('restore-cp-1'));
  assert.match(onNode('ls /etc/kubernetes/manifests'), /etcd\.yaml/, 'a dry run changes nothing');

  const started = Date.now();
  const r = await cli('restore-etcd', '--snapshot', snapshot, '--kubeconfig', sb.kubeconfig, '--ssh-config', sb.sshConfig!, '--state-dir', stateDir, '--yes');
  const diag = () => `${r.err.split('\n').slice(-40).join('\n')}\n--- crictl ps -a\n${sb.ssh('cp-1', 'crictl ps -a').stdout}`;
  assert.equal(r.code, 0, diag());
  process.stderr.write(`restore-etcd on cp-1 took ${Math.round((Date.now() - started) / 1000)} s\n`);
  assert.match(r.out, /one cluster \(id \S+\), 1 member\(s\) healthy; the API serves/);

  // The change made after the snapshot is gone: the data is the snapshot's.
  await waitFor('the API answers', () => kubectlOk('get', 'nodes'), 180_000);
  const after = await waitFor('the ConfigMap read back', () => {
    try {
      sb.kubectl('get', 'configmap', 'made-after-the-snapshot', '-n', 'default');
      return 'present';
    } catch (e) {
      return /NotFound|not found/.test(String(e)) ? 'gone' : undefined;
    }
  }, 120_000);
  assert.equal(after, 'gone');
  // etcd: healthy, one member named as before, at its own peer URL (not etcd's localhost default), the revision bumped.
  const health = JSON.parse(etcdctl('endpoint health --cluster -w json'));
  assert.deepEqual(health.map((h: { health: boolean }) => h.health), [true]);
  const members = JSON.parse(etcdctl('member list -w json')).members as { name: string; peerURLs: string[] }[];
  assert.deepEqual(members.map((m) => [m.name, m.peerURLs]), [['cp-1', [ip]]]);
  const revisionAfter = JSON.parse(etcdctl('endpoint status -w json'))[0].Status.header.revision as number;
  assert.ok(revisionAfter > revisionBefore + 1_000_000_000 - 1000, `revision ${revisionBefore} -> ${revisionAfter}`);
  // The node: manifests back, the old data kept aside, nothing left parked.
  assert.match(onNode('ls /etc/kubernetes/manifests'), /etcd\.yaml[\s\S]*kube-apiserver\.yaml/);
  // /var/lib/etcd is a mount point here (as on hosts with a disk for etcd): the old member data is kept inside it.
  assert.match(onNode('ls -d /var/lib/etcd/.before-restore-*/member'), /\/var\/lib\/etcd\/\.before-restore-\d{8}T\d{6}Z\/member/);
  assert.equal(onNode('ls /var/lib/kubeadm-upgrade/restore/*/manifests').trim(), '');
  // Audited: every step's start and end.
  const audit = fs.readFileSync(path.join(stateDir, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { run: string; phase: string; failure?: string; exitCode: number | null });
  const restoreLines = audit.filter((a) => a.run.startsWith('restore-2'));
  assert.ok(restoreLines.some((a) => a.phase === 'restore-etcd: Restore member cp-1' && a.exitCode === 0));
  assert.equal(restoreLines.filter((a) => a.failure === 'started').length * 2, restoreLines.length);
});

test('a file past 1 GiB copied off cp-1 through the snapshot copy path, the connection dropped halfway: resumed, sha256 equal to the node\'s, memory bounded', { skip, timeout: 1_200_000 }, async () => {
  // Stands in for an etcd database past 1 GiB (growing the sandbox's etcd that far takes longer than the copy itself):
  // the same copy path, the same node, the same SSH executor.
  const size = 1100 * 1024 * 1024;
  const remote = '/var/lib/kubeadm-upgrade/etcd-snapshots/large-copy-test.db';
  onNode(`mkdir -p /var/lib/kubeadm-upgrade/etcd-snapshots && head -c ${size} /dev/urandom > ${remote}`);
  const nodeSha = onNode(`sha256sum ${remote}`).split(/\s+/)[0];
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'realcp-large-'));
  const pool = new SshPool({ configFile: sb.sshConfig!, prompts: { confirmUnknownHost: async () => false, askPassphrase: async () => undefined, askSudoPassword: async () => undefined } });
  const messages: string[] = [];
  let dropped = false;
  let peakRss = 0;
  global.gc?.();
  const baseRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  try {
    const started = Date.now();
    const result = await copyFileOff(
      {
        executor: pool.getExecutor('cp-1'),
        stage: etcdSnapshotStore.stage,
        progress: (m) => messages.push(m),
        onBytes: (done) => {
          if (dropped || done < size / 2) return;
          dropped = true;
          // Drop the connection as a network would: kill the sshd process of the session streaming the file.
          const pid = onNode(`pgrep -f -x 'tail -c \\+1 ${remote}' | head -n 1`).trim();
          onNode(`p=${pid}; while [ "$p" -gt 1 ]; do case "$(cat /proc/$p/comm)" in sshd*) kill -9 "$p"; break ;; esac; p=$(awk '{print $4}' /proc/$p/stat); done`);
        },
      },
      remote, size, outDir, 'large-copy-test.db', 'cp-1',
    );
    const seconds = (Date.now() - started) / 1000;
    assert.equal(result.sha256, nodeSha);
    assert.equal(fs.statSync(result.path).size, size);
    assert.equal(etcdSnapshotStore.sha256Of(result.path), nodeSha);
    assert.ok(dropped && messages.some((m) => /connection lost at \d+ of \d+ bytes/.test(m)), messages.join('\n'));
    assert.equal((fs.statSync(result.path).mode & 0o777).toString(8), '600');
    assert.deepEqual(fs.readdirSync(outDir), ['large-copy-test.db'], 'the staging folder is gone');
    const peakMiB = (peakRss - baseRss) / 1024 ** 2;
    process.stderr.write(`copied ${size} bytes in ${seconds.toFixed(1)} s (${(size / 1024 ** 2 / seconds).toFixed(1)} MiB/s) with one drop; RSS ${Math.round(baseRss / 1024 ** 2)} MiB before, peak +${peakMiB.toFixed(1)} MiB\n`);
    assert.ok(peakMiB < 150, `peak RSS grew by ${peakMiB.toFixed(1)} MiB`);
  } finally {
    clearInterval(sampler);
    pool.dispose();
    sb.ssh('cp-1', `rm -f ${remote}`);
    fs.rmSync(outDir, { recursive: true, force: true });
  }
});
