// The product against a REAL kubeadm control plane (scenario real-control-plane: cp-1 made by the real
// `kubeadm init`, real kubelet, containerd and static pods): the real `kubeadm upgrade plan` is parsed, a real
// `kubeadm upgrade apply` that fails is rolled back by kubeadm and reported by the product, a hand edit is reported
// as lost (and kept through a patch), then Upgrade Node through the CLI upgrades cp-1 for real (the patch applied, a
// removed target image imported from an archive before the apply), and `down` leaves nothing behind. Needs root: otherwise every test is
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
import { listingCommand, parseListing } from '../../src/core/backups/listing';
import { recoverySteps } from '../../src/core/backups/recovery';
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
import { brokenImage, imageFile, imageRef } from '../sandbox/realnode/images';
import { instanceDir } from '../sandbox/lib/paths';
import { addonsFor } from '../sandbox/lib/versions';
import { startSandbox, waitFor, type Sandbox } from '../integration/sandbox';
import { sandboxAccess } from '../integration/readiness/helpers';
import { runReadiness } from '../../src/core/readiness';
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
/** The addon's image, once every replica runs it and is ready (CoreDNS's `ready` plugin answers only once its
 *  kubernetes plugin has synced with the API through the Service address, i.e. through kube-proxy's rules). */
const rolledOut = (kind: 'deployment' | 'daemonset', name: string, image: string) => waitFor(`${kind}/${name} rolled out at ${image}`, async () => {
  const o = JSON.parse(await settledKubectl('get', kind, name, '-n', 'kube-system', '-o', 'json'));
  const st = o.status;
  const done = kind === 'deployment'
    ? st.updatedReplicas === o.spec.replicas && st.availableReplicas === o.spec.replicas && st.replicas === o.spec.replicas
    : st.desiredNumberScheduled > 0 && st.updatedNumberScheduled === st.desiredNumberScheduled && st.numberAvailable === st.desiredNumberScheduled;
  return o.spec.template.spec.containers[0].image === image && o.status.observedGeneration === o.metadata.generation && done ? true : undefined;
}, 300_000);
/** Waits until a Job like kubeadm's upgrade-health-check (the pause image, `-v`) is scheduled and completes: the
 *  scheduler and the controller-manager's Job controller both work again. Bounded; the diagnostics on failure. */
async function settledJob(name: string): Promise<void> {
  const pause = imageRef({ name: 'pause', tag: addonsFor(OLD).pause });
  await settledKubectl('create', 'job', name, '-n', 'kube-system', `--image=${pause}`, '--', '/pause', '-v');
  try {
    await waitFor(`Job ${name} scheduled and complete`, async () => {
      const job = JSON.parse(await settledKubectl('get', 'job', name, '-n', 'kube-system', '-o', 'json'));
      return (job.status.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Complete' && c.status === 'True') ? true : undefined;
    }, 300_000).catch((e: Error) => assert.fail(`${e.message}\n${clusterDiagnostics()}`));
  } finally {
    sb.kubectl('delete', 'job', name, '-n', 'kube-system', '--cascade=foreground', '--wait=false');
  }
}
/** What a failure needs to be understood after the fact: each section's output, or why it could not be read. */
const diagnostics = (sections: [string, () => string][]) =>
  sections.map(([title, read]) => { try { return `--- ${title}\n${read()}`; } catch (e) { return `--- ${title}: ${String(e)}`; } }).join('\n');
const onCp1 = (cmd: string): [string, () => string] => [`cp-1: ${cmd}`, () => onNode(cmd)];
/** The cluster's side (kubeadm deletes its health-check Job; the events stay) and cp-1's containers. */
const clusterDiagnostics = () =>
  diagnostics([
    ['kube-system events', () => sb.kubectl('get', 'events', '-n', 'kube-system', '--sort-by=.lastTimestamp')],
    ['pods', () => sb.kubectl('get', 'pods', '-A', '-o', 'wide')],
    ['leases', () => sb.kubectl('get', 'leases', '-n', 'kube-system', '-o', 'custom-columns=NAME:.metadata.name,HOLDER:.spec.holderIdentity,RENEW:.spec.renewTime')],
    onCp1('crictl ps -a'),
  ]);
/** cp-1's own side, when its API does not answer: its containers, images and the kubelet's log. */
const nodeDiagnostics = () => diagnostics([onCp1('crictl ps -a'), onCp1('crictl images'), onCp1('journalctl -u kubelet -n 60')]);
const serverVersion = () => JSON.parse(sb.kubectl('version', '-o', 'json')).serverVersion.gitVersion as string;

test('cp-1 is a real kubeadm node at the old version; the kwok workers are joined to its apiserver', { skip, timeout: 600_000 }, async () => {
  assert.equal(serverVersion(), OLD);
  const nodes = JSON.parse(sb.kubectl('get', 'nodes', '-o', 'json')).items as { metadata: { name: string }; status: { nodeInfo: { kubeletVersion: string; containerRuntimeVersion: string } } }[];
  assert.deepEqual(nodes.map((n) => n.metadata.name).sort(), ['cp-1', 'worker-1', 'worker-2']);
  const cp = nodes.find((n) => n.metadata.name === 'cp-1')!;
  assert.equal(cp.status.nodeInfo.kubeletVersion, OLD);
  assert.match(cp.status.nodeInfo.containerRuntimeVersion, /^containerd:\/\/1\./);
  assert.equal(onNode('hostname').trim(), 'cp-1');
  assert.match(onNode('crictl ps -o json'), /"kube-apiserver"/);
  assert.match(manifestImage('kube-apiserver'), re(`/kube-apiserver:${OLD}$`));
  // The addons kubeadm init deployed run the sandbox's images: CoreDNS (built from its Go module) and kube-proxy.
  await rolledOut('deployment', 'coredns', imageRef({ name: 'coredns', tag: addonsFor(OLD).coredns }));
  await rolledOut('daemonset', 'kube-proxy', imageRef({ name: 'kube-proxy', tag: OLD }));
});

test('readiness certificate-expiry and etcd-health, and Snapshot etcd, run against the real node\'s PKI and etcd (no etcdctl on the host: the etcd container\'s)', { skip, timeout: 600_000 }, async () => {
  assert.notEqual(sb.ssh('cp-1', 'command -v etcdctl etcdutl').code, 0, 'a kubeadm host has no etcdctl of its own');
  const access = sandboxAccess(sb);
  try {
    const report = await runReadiness(access.deps, parseVersion(TARGET)!);
    const show = report.checks.map((r) => `${r.severity} ${r.id} ${r.node ?? '-'} ${r.message}`).join('\n');
    const certs = report.checks.filter((r) => r.id === 'certificate-expiry');
    assert.deepEqual(certs.map((r) => [r.severity, r.node, Boolean(r.notRun)]), [['ok', 'cp-1', false]], show);
    // The table kubeadm printed is the node's own PKI: the apiserver certificate's end date, as openssl reads it there.
    const notAfter = new Date(onNode('openssl x509 -noout -enddate -in /etc/kubernetes/pki/apiserver.crt').replace('notAfter=', '').trim());
    const kubeadmDate = `${notAfter.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' })} ${String(notAfter.getUTCDate()).padStart(2, '0')}, ${notAfter.getUTCFullYear()} ${notAfter.toISOString().slice(11, 16)} UTC`;
    assert.ok(certs[0]!.evidence.some((l) => /^apiserver\s/.test(l) && l.includes(kubeadmDate)), `${kubeadmDate} in\n${certs[0]!.evidence.join('\n')}`);
    // etcd-health through the etcd container with kubeadm's healthcheck client certificate: the node's etcd
    // (kubeadm 1.N-1's etcd version; the host's kwokctl etcd of other scenarios is another version).
    const etcd = report.checks.filter((r) => r.id === 'etcd-health');
    assert.deepEqual(etcd.map((r) => [r.severity, Boolean(r.notRun)]), [['ok', false]], show);
    assert.match(etcd[0]!.message, re(`from cp-1\\): 1 member\\(s\\), 1 healthy, quorum 1, version ${addonsFor(OLD).etcd.replace(/-\d+$/, '')}`));

    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'realcp-snap-'));
    const outcome = await takeSnapshot(access, 'cp-1', outDir);
    assert.equal(outcome.kind, 'saved');
    const record = outcome.kind === 'saved' ? outcome.record : assert.fail();
    assert.ok(record.status.totalKey > 10 && record.status.revision > 0, JSON.stringify(record.status));
    // The snapshot is this cluster's data: bbolt keeps etcd's keys as they are, the Nodes among them.
    const db = fs.readFileSync(record.localPath);
    for (const n of ['cp-1', 'worker-1', 'worker-2']) assert.ok(db.includes(`/registry/minions/${n}`), n);
    assert.equal(onNode(`sha256sum ${record.remotePath}`).split(/\s+/)[0], record.sha256);
    assert.equal(sb.ssh('cp-1', 'ls /var/lib/etcd/*.verify /var/lib/etcd/*.part').code === 0, false, 'no copy left in /var/lib/etcd');
  } finally {
    access.dispose();
  }
});

// Issue 26: a flag added by hand to cp-1's kube-apiserver manifest (as admins do) is what `kubeadm upgrade` regenerates
// away; kubeadm 1.N-1 is still the node's kubeadm here, so its diff against the current version is exactly the hand edit.
const APISERVER_MANIFEST = '/etc/kubernetes/manifests/kube-apiserver.yaml';
const HAND_FLAG = '--event-ttl=2h0m0s';
const PATCHES = '/etc/kubernetes/patches';
/** Whether cp-1's kube-apiserver mirror pod runs with the hand flag (listed, not got: the kubelet recreates it after an edit). */
const apiserverMirrorHasFlag = async () => {
  const pods = JSON.parse(await settledKubectl('get', 'pods', '-n', 'kube-system', '--field-selector', 'metadata.name=kube-apiserver-cp-1', '-o', 'json')).items as { spec: { containers: { command: string[] }[] } }[];
  return pods.length === 1 && pods[0]!.spec.containers[0]!.command.includes(HAND_FLAG);
};
const runningApiserver = () => sb.ssh('cp-1', "crictl ps -q --state running --name '^kube-apiserver$'").stdout.trim();
test('a flag added by hand to kube-apiserver.yaml: `diff` says it will be lost and manifest-drift blocks; kept in a patch with --patches, it is shown as kept', { skip, timeout: 600_000 }, async () => {
  const before = runningApiserver();
  // Edited outside the manifests folder and moved in whole, so the kubelet never reads a half-written file.
  onNode(`sed 's#^    - kube-apiserver$#&\\n    - ${HAND_FLAG}#' ${APISERVER_MANIFEST} > /etc/kubernetes/kube-apiserver.edited && mv /etc/kubernetes/kube-apiserver.edited ${APISERVER_MANIFEST}`);
  assert.match(onNode(`cat ${APISERVER_MANIFEST}`), re(`\n    - kube-apiserver\n    - ${HAND_FLAG}\n`));
  // The kubelet restarts the apiserver with the flag; the mirror pod read through its RBAC says it serves again.
  await waitFor('the kube-apiserver restarted by the kubelet with the hand-added flag', () => { const id = runningApiserver(); return id && id !== before ? true : undefined; }, 180_000);
  await waitFor('the mirror pod with the hand-added flag', async () => (await apiserverMirrorHasFlag()) || undefined, 180_000);
  const diff = async (...extra: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['diff', '--node', 'cp-1', '--to', TARGET, '--kubeconfig', sb.kubeconfig, '--ssh-config', sb.sshConfig!, '--json', ...extra], (x) => out.push(x), (x) => err.push(x));
    return { code, err: err.join('\n'), json: code === 2 ? undefined : JSON.parse(out.join('\n')) };
  };
  const lost = await diff();
  assert.equal(lost.code, 1, lost.err);
  assert.equal(lost.json.kind, 'UpgradeDiff');
  assert.deepEqual(lost.json.lost, [{ file: APISERVER_MANIFEST, component: 'kube-apiserver', kind: 'flag', text: HAND_FLAG, becomes: '(removed)' }], JSON.stringify(lost.json, null, 1));
  const apiserver = lost.json.changes.find((c: { component: string }) => c.component === 'kube-apiserver');
  assert.deepEqual(apiserver.image, { from: imageRef({ name: 'kube-apiserver', tag: OLD }), to: imageRef({ name: 'kube-apiserver', tag: TARGET }) });
  assert.ok(apiserver.flags.removed.some((f: { name: string }) => f.name === 'event-ttl'), JSON.stringify(apiserver.flags));
  const access = sandboxAccess(sb);
  try {
    const drift = (await runReadiness(access.deps, parseVersion(TARGET)!, { only: ['manifest-drift'] })).checks;
    assert.deepEqual(drift.map((r) => [r.severity, r.node, Boolean(r.notRun)]), [['blocker', 'cp-1', false]], drift.map((r) => r.message).join('\n'));
    assert.match(drift[0]!.message, re(`^1 hand edit\\(s\\) in cp-1's static Pod manifests will be lost by \`kubeadm upgrade\`: kube-apiserver ${HAND_FLAG}$`));
    // The same flag in a patches folder (kubeadm's JSON patch): kubeadm writes it back, so nothing is lost.
    onNode(`mkdir -p ${PATCHES} && printf '%s\\n' '- op: add' '  path: /spec/containers/0/command/-' '  value: ${HAND_FLAG}' > ${PATCHES}/kube-apiserver+json.yaml`);
    const kept = await diff('--patches', PATCHES);
    assert.equal(kept.code, 0, kept.err);
    assert.deepEqual(kept.json.lost, []);
    assert.deepEqual(kept.json.keptByPatches.map((l: { text: string }) => l.text), [HAND_FLAG]);
    // Where the folder came from (#26: the setting / --patches wins over the node's kubeadm configuration).
    assert.deepEqual(kept.json.patches, { dir: PATCHES, files: ['kube-apiserver+json.yaml'], source: 'the setting kubeadm.upgrade.patchesDir / --patches' });
    const keptApiserver = kept.json.changes.find((c: { component: string }) => c.component === 'kube-apiserver');
    assert.ok(!keptApiserver.flags.removed.some((f: { name: string }) => f.name === 'event-ttl'), JSON.stringify(keptApiserver.flags));
    const noDrift = (await runReadiness({ ...access.deps, patchesDir: PATCHES }, parseVersion(TARGET)!, { only: ['manifest-drift'] })).checks;
    assert.deepEqual(noDrift.map((r) => [r.severity, r.node]), [['ok', 'cp-1']], noDrift.map((r) => r.message).join('\n'));
    assert.match(noDrift[0]!.message, /with the patches in \/etc\/kubernetes\/patches \(1 hand edit\(s\) kept\): nothing is lost/);
  } finally {
    access.dispose();
  }
});

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
    // Before upgrading again, as a user would: wait for the whole control plane to be Ready. The controller-manager
    // and scheduler lost their leases while the apiserver was down and exited; the kubelet restarts them with its
    // crash-loop back-off (up to 5 min). Until then kubeadm's own health check (its CreateJob) fails, for real.
    await waitFor('the control plane Ready again after the rollback', async () => {
      const pods = JSON.parse(await settledKubectl('get', 'pods', '-n', 'kube-system', '-l', 'tier=control-plane', '-o', 'json')).items as { status: { conditions?: { type: string; status: string }[] } }[];
      const running = sb.ssh('cp-1', 'crictl ps -q --state running --name "^kube-(controller-manager|scheduler)$"').stdout.trim().split('\n').filter(Boolean);
      return running.length === 2 && pods.length === 4 && pods.every((p) => p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) ? true : undefined;
    }, 600_000);
    // Ready is not enough: the scheduler and controller-manager that sat out the apiserver's outage watch the API
    // again only after their informers' back-off (client-go's reflector: up to 30 s, jittered to 60 s), and kubeadm's
    // CreateJob check gives its Job 1m0s — so a plan run at once can fail with the Pod Pending, unscheduled (seen
    // here; Explain's P05). A user waits until the cluster schedules and completes a Job again: so does this test.
    await settledJob(`settle-${Date.now()}`);
  } finally {
    onNode(`ctr -n k8s.io images import ${imageFile({ name: 'kube-apiserver', tag: TARGET })} >/dev/null`);
  }
});

test('Upgrade Node on cp-1 through the CLI: the real apply succeeds, the static pods run the new images, kubeadm\'s backups and the recovery steps name files that exist', { skip, timeout: 1_800_000 }, async () => {
  // As a user would: start once the apiserver answers (a previous test's rollback restarted it; RBAC warms up after).
  await settledKubectl('get', 'nodes');
  // Issue 26: a target image gone from the node (sandbox.local does not resolve there: air-gapped) is found by
  // images-available; named as the run's archive, it is imported before the apply, which then has nothing to pull.
  const apiserverImage = imageRef({ name: 'kube-apiserver', tag: TARGET });
  const archive = imageFile({ name: 'kube-apiserver', tag: TARGET });
  onNode(`crictl rmi ${apiserverImage} >/dev/null`);
  const access = sandboxAccess(sb);
  try {
    const images = (await runReadiness(access.deps, parseVersion(TARGET)!, { only: ['images-available'] })).checks;
    assert.deepEqual(images.map((c) => [c.severity, c.node, Boolean(c.notRun)]), [['blocker', 'cp-1', false]], images.map((c) => c.message).join('\n'));
    assert.match(images[0]!.message, re(`are not on cp-1: ${apiserverImage}(;| \\()`));
    assert.match(images[0]!.message, /cannot reach sandbox\.local \(air-gapped\)/);
    const withArchive = (await runReadiness({ ...access.deps, imagesArchive: archive }, parseVersion(TARGET)!, { only: ['images-available'] })).checks;
    assert.deepEqual(withArchive.map((c) => [c.severity, c.node]), [['warning', 'cp-1']], withArchive.map((c) => c.message).join('\n'));
    assert.match(withArchive[0]!.message, re(`the upgrade imports ${archive} before the apply$`));
  } finally {
    access.dispose();
  }
  // The CLI streams each step's output (kubeadm's) to its stderr as it comes: kept here too, and still shown.
  const streamed: string[] = [];
  const stderrWrite = process.stderr.write;
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => { streamed.push(String(chunk)); return stderrWrite.call(process.stderr, chunk, ...rest); }) as typeof process.stderr.write;
  const r = await (async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['upgrade-node', 'cp-1', '--to', TARGET, '--kubeconfig', sb.kubeconfig, '--ssh-config', sb.sshConfig!, '--yes', '--state-dir', stateDir, '--patches', PATCHES, '--images-archive', archive], (s) => out.push(s), (s) => err.push(s));
    return { code, out: out.join('\n'), err: err.join('\n') };
  })().finally(() => { process.stderr.write = stderrWrite; });
  assert.equal(r.code, 0, `${r.err.split('\n').slice(-30).join('\n')}\n${clusterDiagnostics()}`);
  assert.match(r.out, re(`cp-1 is at ${TARGET} and schedulable`));
  // The archive imported (and every image of the target checked) before the apply; the apply's preflight, which
  // pulls what is missing and fails when it cannot (sandbox.local does not resolve), found everything there.
  const steps = `${r.err}\n${r.out}`;
  const imported = steps.search(re(`==> \\d+/\\d+ Import the images of ${TARGET} from ${archive}`));
  const applied = steps.search(re(`==> \\d+/\\d+ kubeadm upgrade apply ${TARGET}`));
  assert.ok(imported >= 0 && applied > imported, steps.split('\n').filter((l) => l.startsWith('==>')).join('\n'));
  const all = streamed.join('');
  assert.ok(all.indexOf(`all images of ${TARGET} are on cp-1`) < all.indexOf('[upgrade/preflight] Running preflight checks'), 'the import and its check before kubeadm\'s preflight');
  assert.match(all, re(`all images of ${TARGET} are on cp-1`));
  assert.doesNotMatch(all, /\[ERROR ImagePull\]|failed to pull image/i);
  // The real apply applied the patch: the hand flag survives the upgrade, in the manifest and the running apiserver.
  assert.match(all, /\[patches\] Applied patch of type "application\/json-patch\+json" to target "kube-apiserver"/);
  assert.match(onNode(`cat ${APISERVER_MANIFEST}`), re(`\n    - ${HAND_FLAG}\n`));
  await waitFor('the upgraded kube-apiserver mirror pod with the flag kept by the patch', async () => (await apiserverMirrorHasFlag()) || undefined, 180_000);
  // The kubelet restart at 1.N briefly restarts the static pods: the apiserver may be settling for a few seconds.
  await waitFor(`kubectl version reports ${TARGET}`, () => { try { return serverVersion() === TARGET; } catch { return false; } }, 180_000);
  const node = JSON.parse(await settledKubectl('get', 'node', 'cp-1', '-o', 'json'));
  assert.equal(node.status.nodeInfo.kubeletVersion, TARGET, 'the real kubelet restarted at the new version');
  // Static pods: what containerd runs on cp-1 and the mirror pods in the API agree, at the new images. The new kubelet
  // restarts static pods whose spec it hashes differently, so this is waited for (bounded), the last difference shown.
  const components = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd'];
  let differences: string[] = [];
  await waitFor('the static pods running the new images in containerd and in the API', async () => {
    const running = (JSON.parse(onNode('crictl ps -o json')).containers as { metadata: { name: string }; imageRef: string }[]);
    const imagesById = new Map((JSON.parse(onNode('crictl images -o json')).images as { id: string; repoTags: string[] }[]).map((i) => [i.id, i.repoTags]));
    const pods = JSON.parse(await settledKubectl('get', 'pods', '-n', 'kube-system', '-l', 'tier=control-plane', '-o', 'json')).items as { metadata: { name: string }; spec: { containers: { image: string }[] } }[];
    differences = components.flatMap((c) => {
      const want = pods.find((p) => p.metadata.name === `${c}-cp-1`)?.spec.containers[0]!.image;
      const ctr = running.find((x) => x.metadata.name === c);
      const runs = ctr ? imagesById.get(ctr.imageRef) ?? [] : [];
      const tag = c === 'etcd' ? addonsFor(TARGET).etcd : TARGET;
      return want?.endsWith(`:${tag}`) && runs.includes(want) ? [] : [`${c}: mirror pod ${want}, containerd runs ${ctr ? JSON.stringify(runs) : 'nothing'}`];
    });
    return differences.length === 0 ? true : undefined;
  }, 300_000).catch((e: Error) => assert.fail(`${e.message}: ${differences.join('; ')}`));
  for (const c of components) assert.match(manifestImage(c), re(`:${c === 'etcd' ? addonsFor(TARGET).etcd : TARGET}$`), c);
  // The addons, upgraded by the real apply (cp-1 is the only control plane, so the last one): CoreDNS and kube-proxy
  // at 1.N's images, rolled out on the cluster.
  await rolledOut('deployment', 'coredns', imageRef({ name: 'coredns', tag: addonsFor(TARGET).coredns }));
  await rolledOut('daemonset', 'kube-proxy', imageRef({ name: 'kube-proxy', tag: TARGET }));
  // kubeadm's own backup folder, holding the old manifests; the recovery steps for it name files that exist.
  await withPool(async (pool) => {
    const l = await pool.getExecutor('cp-1').run(listingCommand(), { sudo: true, timeoutMs: 60_000 });
    assert.equal(l.exitCode, 0, l.stderr);
    const listing = parseListing(l.stdout);
    assert.deepEqual(listing.unparsed, []);
    // kubeadm 1.35+'s timestamped kubelet config backup is recognised as such, not as an unknown folder.
    assert.ok(listing.backups.some((b) => b.kind === 'kubelet-config' && b.time !== null), JSON.stringify(listing.backups.map((b) => [b.name, b.kind])));
    const manifests = listing.backups.filter((b) => b.kind === 'manifests' && b.files.length > 0).sort((a, b) => b.name.localeCompare(a.name))[0];
    assert.ok(manifests, JSON.stringify(listing.backups.map((b) => [b.name, b.kind])));
    assert.match(onNode(`cat ${manifests.path}/kube-apiserver.yaml`), re(`/kube-apiserver:${OLD}`));
    const etcd = listing.backups.find((b) => b.kind === 'etcd' && b.name.endsWith(manifests.name.replace('kubeadm-backup-manifests-', ''))) ?? null;
    const steps = recoverySteps({ node: 'cp-1', manifests, etcd, currentVersion: TARGET, targetVersion: TARGET, etcdExternal: false });
    const restore = steps.find((s) => s.id === 'restore-manifests')!;
    const named = [...restore.command!.matchAll(/'?(\/etc\/kubernetes\/tmp\/[^' ]+\.yaml)'?/g)].map((m) => m[1]!);
    assert.ok(named.length >= 3, restore.command!);
    if (etcd?.etcdMember) named.push(`${etcd.path}/etcd/member`);
    for (const f of named) onNode(`test -e '${f}'`);
  });
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
