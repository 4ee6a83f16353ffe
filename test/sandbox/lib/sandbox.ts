// up / down / status of one sandbox instance (a folder under instancesRoot()).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { binaries, instanceDir, pinnedVersions, SANDBOX_SRC, cacheRoot } from './paths';
import { loadScenario, type Scenario } from './scenario';
import { createCluster, deleteCluster, componentPids, kubectl, linkBinaries } from './cluster';
import { kubeadmObjects } from './kubeadm-objects';
import { nodeObject, mirrorPod, nodeIP, CONTROL_PLANE_COMPONENTS } from './node-objects';
import { writeNodeRoot } from './noderoot';
import { writePki } from './pki';
import { applyAfterUp } from './after-up';
import { ensureSshUser, ensureClientKey, startSshd, stopSshd, hostKeyLine, sshConfigText } from './ssh';
import { freePorts } from './ports';
import { run, runVisible, pidAlive, sleep, tryRun } from './exec';
import { minorOf } from './versions';
import { largeObjects } from './large';
import { recordApiserverCmdline } from './apiserver-restart';
import { upReal, ensureRealPrerequisites } from '../realnode/up';
import { stopRealNode, realNodeAlive } from '../realnode/node';
import { upRealHa, stopRealHa, realHaAlive } from '../realha/cluster';

export interface SandboxState {
  name: string; scenario: string; dir: string; kubeconfig: string; sshConfig: string | null;
  sshUser: string | null; kubernetesVersion: string; apiserverPort: number;
  nodes: { name: string; role: string; sshPort: number | null; sshdPid: number | null; root: string }[];
  startedAt: string;
}

const log = (m: string) => process.stderr.write(`[sandbox] ${m}\n`);
const statePath = (dir: string) => path.join(dir, 'state.json');

export function readState(name: string): SandboxState | null {
  const p = statePath(instanceDir(name));
  return fs.existsSync(p) ? (JSON.parse(fs.readFileSync(p, 'utf8')) as SandboxState) : null;
}

export async function ensurePrerequisites(ssh: boolean): Promise<void> {
  if (ssh) await runVisible(path.join(SANDBOX_SRC, 'host', 'ensure-packages.sh'), []);
  const b = binaries();
  if (!Object.values(b).every((f) => fs.existsSync(f))) {
    log(`building binaries into ${cacheRoot()} (first run only; this takes a while on 2 cores)`);
    await runVisible(path.join(SANDBOX_SRC, 'build', 'build.sh'), []);
  }
}

/** Node-side tools and the binaries they call, inside the sandbox folder so the ssh login
 *  (not root) can run them without reading the root-owned cache. */
function installNodeTools(dir: string): string {
  const bin = path.join(dir, 'bin');
  const repoRoot = path.resolve(SANDBOX_SRC, '..', '..');
  fs.symlinkSync(path.join(repoRoot, 'node_modules', '.bin', 'tsx'), path.join(bin, 'tsx'));
  fs.symlinkSync(SANDBOX_SRC, path.join(dir, 'src'));
  const tools = path.join(dir, 'node-tools');
  fs.cpSync(path.join(SANDBOX_SRC, 'node-tools'), tools, { recursive: true });
  // Latest patch per minor the fake package repos offer (apt-cache madison etc.).
  const v = pinnedVersions();
  const lines = [v.K8S_OLD, v.K8S_NEW].map((x) => `${minorOf(x)} ${x.split('.')[2]}`);
  for (let m = minorOf(v.K8S_OLD) - 6; m < minorOf(v.K8S_OLD); m++) lines.push(`${m} ${{ 30: 14, 31: 14, 32: 13, 33: 13, 34: 4 }[m] ?? 3}`);
  fs.writeFileSync(path.join(dir, 'repo-latest-patch'), lines.join('\n') + '\n');
  return tools;
}

/** Embeds the certificates (kwokctl's kubeconfig points at files), so the kubeconfig and the
 *  nodes' admin.conf are self-contained like real ones. */
function flattenKubeconfig(kubeconfig: string): void {
  const flat = kubectl(kubeconfig, ['config', 'view', '--flatten', '--raw']);
  fs.writeFileSync(kubeconfig, flat, { mode: 0o600 });
}

function createObjects(kubeconfig: string, objs: unknown[]): void {
  if (objs.length === 0) return;
  kubectl(kubeconfig, ['create', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objs }));
}

async function populate(sc: Scenario, kubeconfig: string): Promise<void> {
  const cps = sc.nodes.filter((n) => n.role === 'control-plane');
  const endpoint = cps.length ? `${nodeIP(sc.nodes.indexOf(cps[0]))}:6443` : `${nodeIP(0)}:6443`;
  createObjects(kubeconfig, sc.nodes.map((n, i) => nodeObject(n, i)));
  // Node status given at create time is kept (checked with kube-apiserver 1.35), and kwok's
  // stages keep nodeInfo: kubelet versions etc. stay what the scenario says.
  const uids = JSON.parse(kubectl(kubeconfig, ['get', 'nodes', '-o', 'json'])) as { items: { metadata: { name: string; uid: string } }[] };
  const uid = new Map(uids.items.map((x) => [x.metadata.name, x.metadata.uid]));
  const mirrors = sc.nodes.flatMap((n, i) => n.role === 'control-plane'
    ? CONTROL_PLANE_COMPONENTS.map((c) => mirrorPod(n, i, c, uid.get(n.name)!)) : []);
  createObjects(kubeconfig, [...kubeadmObjects(sc.kubernetesVersion, endpoint), ...mirrors]);
  createObjects(kubeconfig, sc.objects);
  if (sc.generate) await largeObjects(sc, kubeconfig);
}

/** Waits until every node is Ready and every Deployment has its replicas available. Counts
 *  from two list calls (`kubectl wait` watches objects one by one: too slow for 5,000 nodes). */
async function waitReady(kubeconfig: string, timeoutS: number): Promise<void> {
  const b = binaries();
  const k = (args: string[]) => tryRun(b.kubectl, ['--kubeconfig', kubeconfig, ...args]);
  const deadline = Date.now() + timeoutS * 1000;
  let why = '';
  for (;;) {
    const nodes = k(['get', 'nodes', '-o', 'jsonpath={range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}']);
    const deps = k(['get', 'deployments', '-A', '-o', 'jsonpath={range .items[*]}{.spec.replicas}/{.status.availableReplicas}{"\\n"}{end}']);
    const notReady = nodes.stdout.split('\n').filter((l) => l && l !== 'True').length;
    const notAvailable = deps.stdout.split('\n').filter((l) => l && l.split('/')[0] !== l.split('/')[1]).length;
    if (nodes.code === 0 && deps.code === 0 && notReady === 0 && notAvailable === 0) return;
    why = `${notReady} nodes not Ready, ${notAvailable} Deployments not Available ${nodes.stderr}${deps.stderr}`.trim();
    if (Date.now() > deadline) throw new Error(`sandbox not ready after ${timeoutS}s: ${why}`);
    await sleep(500);
  }
}

export async function up(name: string, scenarioName: string): Promise<SandboxState> {
  const t0 = Date.now();
  const sc = loadScenario(scenarioName);
  const dir = instanceDir(name);
  // A sandbox whose processes are all gone (machine restarted, killed) is cleaned up first.
  if (readState(name) && !Object.values(componentPids(dir)).some(pidAlive) && !realNodeAlive(dir) && !realHaAlive(dir)) await down(name);
  if (readState(name)) throw new Error(`sandbox "${name}" is already up (${dir}); run: npm run sandbox -- down --name ${name}`);
  if (sc.realNode) await ensureRealPrerequisites(); else if (!sc.realHa) await ensurePrerequisites(sc.ssh);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  const state: SandboxState = {
    name, scenario: scenarioName, dir, kubeconfig: path.join(dir, 'kubeconfig'), sshConfig: null, sshUser: null,
    kubernetesVersion: sc.kubernetesVersion, apiserverPort: 0, nodes: [], startedAt: new Date().toISOString(),
  };
  // Written before anything starts, so `down` can clean up after a failed `up`.
  fs.writeFileSync(statePath(dir), JSON.stringify(state, null, 2));
  try {
    if (sc.realHa) {
      await upRealHa(dir, sc, state, () => fs.writeFileSync(statePath(dir), JSON.stringify(state, null, 2)));
      log(`up in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
      return state;
    }
    if (sc.realNode) {
      await upReal(dir, sc, state, () => fs.writeFileSync(statePath(dir), JSON.stringify(state, null, 2)));
      log(`up in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
      return state;
    }
    // When we are root, the whole sandbox (control plane, sshd sessions, node tools) runs
    // as one unprivileged user, so node tools can do what kubeadm does to "its" node,
    // like restarting the apiserver, without any root process staying behind.
    const user = ensureSshUser();
    const as = user.isRootRun ? { uid: user.uid, gid: user.gid } : undefined;
    linkBinaries(dir);
    if (as) run('chown', ['-R', `${as.uid}:${as.gid}`, dir]);
    log(`starting control plane ${sc.kubernetesVersion} (kwokctl, binary runtime)`);
    const { kubeconfig, apiserverPort } = await createCluster(dir, sc.kubernetesVersion, as, Boolean(sc.generate));
    state.apiserverPort = apiserverPort;
    recordApiserverCmdline(dir);
    flattenKubeconfig(kubeconfig);
    log(`creating ${sc.nodes.length} nodes and scenario objects`);
    await populate(sc, kubeconfig);
    const kubeconfigText = fs.readFileSync(kubeconfig, 'utf8');
    const tools = installNodeTools(dir);
    state.nodes = sc.nodes.map((n, i) => ({ name: n.name, role: n.role, sshPort: null, sshdPid: null, root: writeNodeRoot(dir, n, i, kubeconfigText) }));
    if (sc.ssh) writePki(dir, binaries().kubeadm, sc.nodes, sc.kubernetesVersion, `${nodeIP(Math.max(0, sc.nodes.findIndex((n) => n.role === 'control-plane')))}:6443`);
    if (as) run('chown', ['-R', `${as.uid}:${as.gid}`, dir]);
    if (sc.ssh) {
      ensureClientKey(dir);
      const ports = await freePorts(sc.nodes.length);
      for (const [i, n] of sc.nodes.entries()) {
        const node = state.nodes[i];
        node.sshPort = ports[i];
        node.sshdPid = startSshd(dir, { name: n.name, port: ports[i], password: n.password, root: node.root, pm: n.packageManager }, user, tools);
        fs.writeFileSync(statePath(dir), JSON.stringify(state, null, 2));
      }
      fs.writeFileSync(path.join(dir, 'ssh', 'known_hosts'), state.nodes.map((n) => hostKeyLine(dir, n.name, n.sshPort!)).join('\n') + '\n');
      state.sshConfig = path.join(dir, 'ssh_config');
      state.sshUser = user.name;
      fs.writeFileSync(state.sshConfig, sshConfigText(dir, user.name, state.nodes.map((n) => ({ name: n.name, port: n.sshPort! }))));
    }
    fs.writeFileSync(statePath(dir), JSON.stringify(state, null, 2));
    log('waiting for nodes Ready and Deployments Available');
    await waitReady(kubeconfig, sc.generate ? 900 : 300);
    applyAfterUp(kubeconfig, sc.afterUp);
    log(`up in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
    return state;
  } catch (e) {
    log(`up failed: ${(e as Error).message}; cleaning up`);
    await down(name);
    throw e;
  }
}

/** Processes started for this sandbox: kwokctl's components, anything whose environment
 *  names its folder (ssh sessions, node tools, hung fault commands, an apiserver restarted
 *  by a node tool) and anything whose command line points into it (sshd, an apiserver
 *  restarted by root). */
function sandboxProcesses(dir: string): number[] {
  const pids = new Set<number>(Object.values(componentPids(dir)));
  for (const p of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(p) || Number(p) === process.pid) continue;
    try {
      const env = fs.readFileSync(`/proc/${p}/environ`, 'utf8');
      const cmd = fs.readFileSync(`/proc/${p}/cmdline`, 'utf8');
      if (env.includes(`SANDBOX_DIR=${dir}\0`) || env.includes(`KWOK_WORKDIR=${path.join(dir, 'kwok')}\0`) || cmd.includes(`${dir}/`)) pids.add(Number(p));
    } catch { /* exited or not ours */ }
  }
  return [...pids].filter(pidAlive);
}

export async function down(name: string): Promise<void> {
  const dir = instanceDir(name);
  const st = readState(name);
  if (!st && !fs.existsSync(dir)) { log(`sandbox "${name}" is not up`); return; }
  for (const n of st?.nodes ?? []) if (n.sshdPid) stopSshd(n.sshdPid);
  await stopRealNode(dir);
  await stopRealHa(dir);
  deleteCluster(dir);
  // kube-apiserver may take 30 s to finish on SIGTERM: SIGKILL after 3 s, wait until all are gone.
  for (let i = 0; i < 60; i++) {
    const left = sandboxProcesses(dir);
    if (left.length === 0) break;
    for (const p of left) { try { process.kill(p, i < 12 ? 'SIGTERM' : 'SIGKILL'); } catch { /* gone */ } }
    await sleep(250);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  log(`sandbox "${name}" is down`);
}

export function status(name: string): string {
  const st = readState(name);
  if (!st) return `sandbox "${name}" is not up`;
  const comps = componentPids(st.dir);
  const lines = [
    `sandbox "${name}" scenario=${st.scenario} kubernetes=${st.kubernetesVersion} dir=${st.dir}`,
    `kubeconfig: ${st.kubeconfig}`,
    `ssh_config: ${st.sshConfig ?? '(no ssh in this scenario)'}`,
    ...Object.entries(comps).map(([c, p]) => `  ${c.padEnd(24)} pid ${p} ${pidAlive(p) ? 'running' : 'DEAD'}`),
    ...st.nodes.map((n) => `  node ${n.name.padEnd(19)} ${n.role.padEnd(13)} ssh ${n.sshPort ?? '-'} ${n.sshdPid ? (pidAlive(n.sshdPid) ? 'sshd running' : 'sshd DEAD') : ''}`),
  ];
  return lines.join('\n');
}
