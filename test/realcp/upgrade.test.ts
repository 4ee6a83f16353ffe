// The product against a REAL kubeadm control plane (scenario real-control-plane: cp-1 made by the real
// `kubeadm init`, real kubelet, containerd and static pods), in one cluster lifetime: the single-member etcd restore
// (snapshot, a ConfigMap, restore-etcd --yes: the ConfigMap gone, the revision bumped), a file past 1 GiB copied off
// cp-1 with the connection dropped halfway, a hand edit reported as lost (and kept through a patch), the real
// `kubeadm upgrade plan` parsed, a real `kubeadm upgrade apply` that fails rolled back by kubeadm and reported by the
// product, then Upgrade Node through the CLI upgrades cp-1 for real (the patch applied, a removed target image
// imported from an archive before the apply), and `down` leaves nothing behind. Needs root: otherwise every test is
// skipped with the reason (never passed silently).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApiClusterOps } from '../../src/adapters/k8s/clusterOps';
import { KubeDrainApi } from '../../src/adapters/k8s/drain';
import { ApiClusterSource } from '../../src/adapters/k8s/apiClusterSource';
import { loadContexts } from '../../src/adapters/k8s/kubeconfig';
import { SshPool } from '../../src/adapters/ssh';
import { etcdSnapshotStore } from '../../src/adapters/storage/etcdSnapshots';
import { copyFileOff } from '../../src/core/etcd/snapshot';
import { assertValidJsonOutput } from '../schemas';
import { parsePlan } from '../../src/core/plan';
import { KUBEADM_VERSION_COMMAND, planCommand, supportsJsonPlan } from '../../src/core/upgrade/planCommand';
import { main } from '../../src/cli';
import { buildSnapshot } from '../../src/core/snapshot/build';
import { DEFAULT_OPTIONS, phasesFor } from '../../src/core/upgrade/phases';
import { buildContext, gatherNodeFacts } from '../../src/core/upgrade/prepare';
import { recoveryMarkdown } from '../../src/core/upgrade/recovery';
import { explainFailedRun } from '../../src/core/explain/failedStep';
import { renderText } from '../../src/core/explain/render';
import { runUpgrade } from '../../src/core/upgrade/runner';
import { newRunState } from '../../src/core/upgrade/state';
import { parseVersion } from '../../src/core/version';
import { realNodeUnsupported, realDir, KUBELET_SYSCTLS, type RealNode } from '../sandbox/realnode/node';
import { brokenImage, imageFile } from '../sandbox/realnode/images';
import { instanceDir } from '../sandbox/lib/paths';
import { addonsFor } from '../sandbox/lib/versions';
import { startSandbox, waitFor, type Sandbox } from '../integration/sandbox';
import { sandboxAccess } from '../integration/readiness/helpers';
import { takeSnapshot } from '../../src/cli/snapshotEtcdCommand';

const VERSIONS = fs.readFileSync(path.join(__dirname, '..', 'sandbox', 'build', 'versions.env'), 'utf8');
const OLD = VERSIONS.match(/^K8S_OLD=(\S+)/m)![1]!;
const TARGET = VERSIONS.match(/^K8S_NEW=(\S+)/m)![1]!;
const minor = (v: string) => v.split('.')[1];
const re = (s: string) => new RegExp(s.replace(/\./g, '\\.'));

const skip = realNodeUnsupported() ?? false;
let sb: Sandbox;
let stateDir: string;
let sysctlsBefore: Record<string, string>;
// Host paths a kubeadm node writes to; the sandbox must leave them as they were.
const HOST_PATHS = ['/var/lib/containerd', '/opt/containerd', '/var/lib/cni', '/etc/cni', '/var/log/pods', '/var/log/containers', '/var/lib/kubelet/pki', '/run/containerd', '/usr/libexec/kubernetes'];
let hostPathsBefore: boolean[];
before(async () => {
  if (skip) return;
  hostPathsBefore = HOST_PATHS.map((f) => fs.existsSync(f));
  sysctlsBefore = Object.fromEntries(KUBELET_SYSCTLS.map((s) => [s, fs.readFileSync(`/proc/sys/${s}`, 'utf8').trim()]));
  sb = await startSandbox('real-control-plane');
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'realcp-state-'));
}, { timeout: 3_600_000 });
after(async () => {
  await sb?.down();
});

function withPool<T>(fn: (pool: SshPool) => Promise<T>): Promise<T> {
  const pool = new SshPool({ configFile: sb.sshConfig!, prompts: { confirmUnknownHost: async () => false, askPassphrase: async () => undefined, askSudoPassword: async () => undefined } });
  return fn(pool).finally(() => pool.dispose());
}
const onNode = (cmd: string) => {
  const r = sb.ssh('cp-1', cmd);
  assert.equal(r.code, 0, `${cmd}: ${r.stderr}${r.stdout}`);
  return r.stdout;
};
const manifestImage = (c: string) => /image: (\S+)/.exec(onNode(`cat /etc/kubernetes/manifests/${c}.yaml`))![1];
/** A kubectl read retried, as a user would, while an apiserver that just restarted settles: connection refused,
 *  or 403 Forbidden until its RBAC authorizer has synced its informers. Bounded; any other error fails at once. */
const settledKubectl = (...args: string[]) => waitFor(`kubectl ${args.join(' ')} once the apiserver has settled`, () => {
  try { return sb.kubectl(...args); } catch (e) {
    if (/forbidden|was refused|connection refused|connection reset|ServiceUnavailable|the server is currently unable|EOF|TLS handshake timeout/i.test(String(e))) return undefined;
    throw e;
  }
}, 180_000);
/** What a failure needs to be understood after the fact: each section's output, or why it could not be read. */
const diagnostics = (sections: [string, () => string][]) =>
  sections.map(([title, read]) => { try { return `--- ${title}\n${read()}`; } catch (e) { return `--- ${title}: ${String(e)}`; } }).join('\n');
const onCp1 = (cmd: string): [string, () => string] => [`cp-1: ${cmd}`, () => onNode(cmd)];
/** cp-1's own side, when its API does not answer: its containers, images and the kubelet's log. */
const nodeDiagnostics = () => diagnostics([onCp1('crictl ps -a'), onCp1('crictl images'), onCp1('journalctl -u kubelet -n 60')]);
const serverVersion = () => JSON.parse(sb.kubectl('version', '-o', 'json')).serverVersion.gitVersion as string;

// Proven on the real HA cluster instead (test/realha): a real kubeadm node with kube-proxy and CoreDNS running the
// sandbox's images, readiness's certificate-expiry and etcd-health and Snapshot etcd on real PKI through the etcd
// container. Here: what only a single real control plane shows, in one cluster lifetime (one `up`, one `down`).

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

// Issue 26 (a hand edit lost in `diff`, kept by a patch through the real apply; an image imported from an archive before
// it) is proven on the real HA cluster now (test/realha), through Upgrade Cluster's real apply and `upgrade node`.

test('the real kubeadm upgrade plan (kubeadm 1.N installed through the package stand-in) parses with nothing left over', { skip, timeout: 600_000 }, async () => {
  // As the docs say: switch the repo to 1.N and install kubeadm 1.N first; the package stand-in switches to the real 1.N binary.
  onNode(`sed -i 's#/v1\\.${minor(OLD)}/#/v1.${minor(TARGET)}/#' /etc/apt/sources.list.d/kubernetes.list && apt-mark unhold kubeadm >/dev/null && apt-get update >/dev/null && apt-get install -y kubeadm=${TARGET.slice(1)}-1.1 >/dev/null && apt-mark hold kubeadm >/dev/null`);
  await withPool(async (pool) => {
    const ex = pool.getExecutor('cp-1');
    const version = (await ex.run(KUBEADM_VERSION_COMMAND)).stdout.trim();
    assert.equal(version, TARGET, 'the real kubeadm binary of the installed package');
    for (const json of [false, supportsJsonPlan(version)]) {
      const r = await ex.run(planCommand(TARGET, json), { sudo: true, timeoutMs: 300_000 });
      assert.equal(r.exitCode, 0, r.stderr);
      const plan = parsePlan(`${r.stdout}\n${r.stderr}`);
      assert.deepEqual(plan.unparsed, [], `json=${json}: ${plan.unparsed.join('\n')}`);
      assert.ok(plan.availableUpgrades.some((u) => u.targetVersion === TARGET), JSON.stringify(plan.availableUpgrades));
      assert.deepEqual(plan.diagnostics.filter((d) => d.severity === 'error'), []);
    }
  });
});

test('a failing real apply (the new kube-apiserver image crashes): kubeadm rolls back for real, the product shows the failure, the node state and the recovery steps', { skip, timeout: 1_800_000 }, async () => {
  // The fault: the target's kube-apiserver image replaced in containerd by one that exits at once.
  onNode(`ctr -n k8s.io images import ${brokenImage('kube-apiserver', TARGET)} >/dev/null`);
  let explained = '';
  try {
    const [ctx] = loadContexts([sb.kubeconfig]).contexts;
    const snapshot = buildSnapshot((await new ApiClusterSource(ctx!.name, ctx!.config).fetch()).objects);
    await withPool(async (pool) => {
      const executor = pool.getExecutor('cp-1');
      const facts = await gatherNodeFacts('cp-1', executor);
      const { context } = buildContext(ctx!.name, snapshot, 'cp-1', facts, parseVersion(TARGET)!, DEFAULT_OPTIONS, new Date());
      const result = await runUpgrade(newRunState('realcp-fail', context, phasesFor(context), new Date()), {
        executor, cluster: new ApiClusterOps(ctx!.config, new KubeDrainApi(ctx!.config)),
        // kubeadm's own output (its rollback) in the test log, as the CLI shows it.
        confirm: async () => true, progress: (e) => { if (e.type === 'output') process.stderr.write(e.text); }, save: async () => {}, audit: () => {},
      });
      assert.equal(result.status, 'failed');
      const failed = result.phases.find((p) => p.status === 'failed')!;
      assert.equal(failed.id, 'kubeadm-upgrade');
      assert.match(result.error!, re(`"kubeadm upgrade apply ${TARGET}" failed`));
      // The product keeps kubeadm's error (the step's stderr) in the run's error; no output tail for this step.
      assert.match(result.error!, /error|fatal|failed/i);
      // apply runs before the drain (kubeadm docs order): the node was never cordoned, and the product says so.
      assert.equal(result.cordoned, false);
      explained = renderText(explainFailedRun(result)!.result);
      assert.match(explained, /kube-apiserver/);
      const md = recoveryMarkdown(result);
      assert.match(md, /cp-1 was not drained/);
      assert.match(md, /Resume/);
      assert.match(md, re(`kubeadm upgrade apply ${TARGET}`));
    });
    // The rollback is real: the old kube-apiserver manifest is back and, once the kubelet restarted it, the old
    // apiserver serves again. etcd, upgraded before it, stays upgraded: kubeadm restores etcd's manifest only when
    // etcd itself failed (staticpods.go rollbackOldManifests) — and the product's explanation says so.
    assert.match(manifestImage('kube-apiserver'), re(`/kube-apiserver:${OLD}$`));
    assert.match(manifestImage('etcd'), re(`/etcd:${addonsFor(TARGET).etcd}$`));
    assert.match(explained, /control plane.*rolled back.*except etcd's/is);
    const oldApiserverServes = () => { try { return serverVersion() === OLD; } catch { return false; } };
    await waitFor('the old kube-apiserver back after the rollback', oldApiserverServes, 300_000).catch((e: Error) => {
      // Seen twice on 2026-12-02; the second time the kubelet's log said why: with the host's disk at 85 % its image
      // GC had removed the pause image, and the restored pod could not get its sandbox. The real node's image GC is
      // off now (realnode/node.ts); should the apiserver stay away again, the node's own state says why.
      assert.fail(`${e.message}\n${nodeDiagnostics()}`);
    });
    assert.equal(JSON.parse(await settledKubectl('get', 'node', 'cp-1', '-o', 'json')).spec.unschedulable, undefined);
    // The last test before `down`: nothing waits for the controller-manager and scheduler to come back from their
    // crash-loop back-off (up to 5 min) — a successful upgrade after a rollback is the real HA cluster's (test/realha).
  } finally {
    onNode(`ctr -n k8s.io images import ${imageFile({ name: 'kube-apiserver', tag: TARGET })} >/dev/null`);
  }
});

test('down leaves nothing: no process, veth, cgroup, mount, changed sysctl or file outside the sandbox folder', { skip, timeout: 300_000 }, async () => {
  const dir = instanceDir(sb.name);
  const real = JSON.parse(fs.readFileSync(path.join(realDir(dir), 'node.json'), 'utf8')) as RealNode;
  await sb.down();
  assert.equal(fs.existsSync(dir), false);
  assert.equal(fs.existsSync(`/sys/class/net/${real.hostIf}`), false, 'veth');
  for (const h of fs.readdirSync('/sys/fs/cgroup')) assert.equal(fs.existsSync(path.join('/sys/fs/cgroup', h, real.cgroupRoot)), false, `cgroup ${h}`);
  assert.equal(fs.readFileSync('/proc/self/mountinfo', 'utf8').includes(dir), false, 'mounts');
  for (const [k, v] of Object.entries(sysctlsBefore)) assert.equal(fs.readFileSync(`/proc/sys/${k}`, 'utf8').trim(), v, k);
  for (const p of fs.readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    let env = '';
    let cmd = '';
    try { env = fs.readFileSync(`/proc/${p}/environ`, 'utf8'); cmd = fs.readFileSync(`/proc/${p}/cmdline`, 'utf8'); } catch { continue; }
    assert.ok(!env.includes(`SANDBOX_DIR=${dir}\0`) && !cmd.includes(dir), `process ${p} left: ${cmd.replace(/\0/g, ' ')}`);
  }
  assert.deepEqual(HOST_PATHS.filter((f) => fs.existsSync(f)), HOST_PATHS.filter((_, i) => hostPathsBefore[i]), 'host paths a kubeadm node writes to');
});
