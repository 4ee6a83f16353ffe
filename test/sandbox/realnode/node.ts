// The real kubeadm node (cp-1 of the real-control-plane scenario): its own mount, network
// and UTS namespaces held by node-ns.sh, a veth to the host with an address the sandbox
// picks (198.19.<k>.2), Debian's containerd and runc inside, the cached binaries as
// locally made images, the real `kubeadm init` at K8S_OLD and the real kubelet.
// Everything it makes lives in <sandbox>/realnode or dies with the namespaces, except what
// `stopRealNode` undoes explicitly: the host end of the veth, the kubelet's cgroup root,
// and three kernel sysctls the kubelet sets.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { run, tryRun, sleep, pidAlive } from '../lib/exec';
import { cacheRoot, pinnedVersions, SANDBOX_SRC } from '../lib/paths';
import { minorOf, pkgVersion, addonsFor } from '../lib/versions';
import { ensureImages, IMAGE_REPO } from './images';

export const realDir = (dir: string) => path.join(dir, 'realnode');
const CGROUP_BASE = '/sys/fs/cgroup';
// Global (not per network namespace) sysctls the kubelet sets at start (pkg/kubelet/cm setupKernelTunables): restored by `down`.
export const KUBELET_SYSCTLS = ['vm/overcommit_memory', 'vm/panic_on_oom', 'kernel/panic', 'kernel/panic_on_oops', 'kernel/keys/root_maxkeys', 'kernel/keys/root_maxbytes'];
const POD_SUBNET = '10.244.0.0/16';

export interface RealNode { name: string; ip: string; hostIf: string; holderPid: number; cgroupRoot: string }

const log = (m: string) => process.stderr.write(`[sandbox] ${m}\n`);

/** Why this machine cannot run the real node, or null. */
export function realNodeUnsupported(): string | null {
  if (process.getuid?.() !== 0) return 'the real-control-plane scenario needs root (a container runtime, network and mount namespaces, cgroups); run it as root (CI does)';
  for (const c of ['unshare', 'nsenter', 'ip']) if (tryRun('sh', ['-c', `command -v ${c}`]).code !== 0) return `the real-control-plane scenario needs ${c}`;
  return null;
}

export function cgroupName(sandboxName: string): string {
  return `kubeadm-sandbox-${sandboxName}`;
}

/** cgroup v1 hierarchies (one folder per controller) or the v2 root. */
export function cgroupHierarchies(): string[] {
  if (fs.existsSync(path.join(CGROUP_BASE, 'cgroup.controllers'))) return [CGROUP_BASE];
  return fs.readdirSync(CGROUP_BASE).map((d) => path.join(CGROUP_BASE, d))
    .filter((d) => fs.existsSync(path.join(d, 'cgroup.procs')) && !d.endsWith('/unified'));
}

/** Also the hybrid layout's "unified" (v2) hierarchy, where the runtime creates the cgroup root too. */
export function withUnified(): string[] {
  const u = path.join(CGROUP_BASE, 'unified');
  return fs.existsSync(path.join(u, 'cgroup.procs')) ? [...cgroupHierarchies(), u] : cgroupHierarchies();
}

/** The node's host-side address block: the first 198.19.<k>.0/30 no interface uses. */
function pickAddress(): { host: string; node: string; k: number } {
  const used = run('ip', ['-4', '-o', 'addr']);
  for (let k = 1; k < 255; k++) if (!used.includes(` 198.19.${k}.1/`)) return { host: `198.19.${k}.1`, node: `198.19.${k}.2`, k };
  throw new Error('no free 198.19.<k>.0/30 for the real node');
}

export const ns = (pid: number, cmd: string[]) => ['nsenter', '-t', String(pid), '-m', '-n', '-u', '--', ...cmd];
export function inNode(pid: number, cmd: string[], input?: string): string {
  const [c, ...a] = ns(pid, cmd);
  return run(c, a, { input, env: { ...process.env, PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' } });
}

/** Starts a detached process (own session, log file) with SANDBOX_DIR in its environment, so `down` finds it. */
export function detached(dir: string, cmd: string[], logFile: string, env: NodeJS.ProcessEnv = {}): number {
  const out = fs.openSync(logFile, 'a');
  const p = spawn(cmd[0], cmd.slice(1), { detached: true, stdio: ['ignore', out, out], env: { ...process.env, ...env, SANDBOX_DIR: dir } });
  fs.closeSync(out);
  p.unref();
  return p.pid!;
}

export async function waitFor(what: string, ok: () => boolean, timeoutS: number, logFile?: string): Promise<void> {
  const end = Date.now() + timeoutS * 1000;
  while (!ok()) {
    if (Date.now() > end) {
      const tail = logFile && fs.existsSync(logFile) ? `\n${fs.readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n')}` : '';
      throw new Error(`real node: ${what} not ready after ${timeoutS}s${tail}`);
    }
    await sleep(200);
  }
}

function containerdConfig(rn: string, pauseImage: string): string {
  return `version = 2
root = "${rn}/containerd/root"
state = "/run/containerd"
[grpc]
  address = "/run/containerd/containerd.sock"
[plugins."io.containerd.internal.v1.opt"]
  path = "${rn}/containerd/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "${pauseImage}"
  # CAP_SYS_RESOURCE is not in this machine's bounding set: without this runc fails
  # ("can't get final child's PID from pipe: EOF") when it raises oom_score_adj.
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "${rn}/cni/net.d"
`;
}

function cniConfig(): string {
  return JSON.stringify({
    cniVersion: '1.0.0', name: 'sandbox',
    plugins: [{
      type: 'bridge', bridge: 'cni0', isGateway: true, ipMasq: false, hairpinMode: true,
      ipam: { type: 'host-local', ranges: [[{ subnet: '10.244.0.0/24' }]], routes: [{ dst: '0.0.0.0/0' }] },
    }],
  }, null, 2);
}

function kubeadmInitConfig(node: string, ip: string, cgroupRoot: string, k8s: string, rn: string): string {
  return `apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
localAPIEndpoint:
  advertiseAddress: ${ip}
  bindPort: 6443
nodeRegistration:
  name: ${node}
  criSocket: unix:///run/containerd/containerd.sock
  # Images are imported, never pulled (there is no registry).
  imagePullPolicy: Never
  kubeletExtraArgs:
  - name: node-ip
    value: ${ip}
  # cgroup v1 host: kubeadm's system verification reports it as an error.
  ignorePreflightErrors: [SystemVerification]
---
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
clusterName: sandbox
kubernetesVersion: ${k8s}
imageRepository: ${IMAGE_REPO}
networking:
  podSubnet: ${POD_SUBNET}
  serviceSubnet: 10.96.0.0/12
controllerManager:
  extraArgs:
  # Its default (/usr/libexec/kubernetes/...) is a DirectoryOrCreate hostPath: it would be created on the host.
  - name: flex-volume-plugin-dir
    value: ${rn}/volume-plugins
---
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
# This machine has cgroup v1 and no systemd.
failCgroupV1: false
cgroupDriver: cgroupfs
# Own cgroup root per sandbox: pods of two sandboxes never mix and \`down\` removes it.
cgroupRoot: /${cgroupRoot}
containerRuntimeEndpoint: unix:///run/containerd/containerd.sock
# The kubelet creates this folder (default under /usr/libexec/kubernetes): keep it in the sandbox folder.
volumePluginDir: ${rn}/volume-plugins
# No image GC: the disk is the host's, shared with everything else, and there is no registry (imagePullPolicy Never),
# so an image the GC removes never comes back. With the host's disk at 85 % (the default high threshold) it removed
# the pause image (containerd 1.6 does not report the sandbox image as pinned) and the rolled-back kube-apiserver's
# pod could not start: "failed to get sandbox image". 100 turns the GC off.
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
---
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
# nf_conntrack_max is the machine's, read-only in the node's network namespace: kube-proxy (its setupConntrack)
# writes it whenever it differs from its computed value and exits on "permission denied". 0 leaves it alone, as kind does.
conntrack:
  maxPerCore: 0
`;
}

/** A hard link (no copy, same inode) or, across file systems, a copy. */
export function linkOrCopy(src: string, dst: string): void {
  try { fs.linkSync(src, dst); } catch { fs.copyFileSync(src, dst); fs.chmodSync(dst, 0o755); }
}

/** Hard links of the per-minor real binaries the node tools switch between. */
function linkNodeBinaries(rn: string): void {
  const v = pinnedVersions();
  const c = cacheRoot();
  for (const k of [v.K8S_OLD, v.K8S_NEW]) {
    const d = path.join(rn, 'bin', String(minorOf(k)));
    fs.mkdirSync(d, { recursive: true });
    for (const b of ['kubeadm', 'kubelet']) if (fs.existsSync(path.join(c, k, b))) linkOrCopy(path.join(c, k, b), path.join(d, b));
  }
  const crictl = path.join(c, 'realnode', `crictl-${(v as unknown as Record<string, string>).CRICTL}`, 'crictl');
  linkOrCopy(crictl, path.join(rn, 'bin', 'crictl'));
}

/** The node root of the real node: empty kubeadm paths (kubeadm init fills them) and the package records. */
export function writeRealNodeRoot(root: string, k8s: string): void {
  for (const d of ['etc/kubernetes', 'var/lib/kubelet', 'var/lib/etcd', 'var/log', 'var/lib/sandbox', 'etc/apt/sources.list.d']) fs.mkdirSync(path.join(root, d), { recursive: true });
  fs.writeFileSync(path.join(root, 'etc/apt/sources.list.d/kubernetes.list'), `deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/v1.${minorOf(k8s)}/deb/ /\n`);
  fs.writeFileSync(path.join(root, 'var/lib/sandbox/packages'), ['kubeadm', 'kubelet', 'kubectl'].map((p) => `${p} ${pkgVersion(k8s)} 1`).join('\n') + '\n');
  fs.writeFileSync(path.join(root, 'etc/sandbox-faults.env'), '# STEP=fail|hang|drop (see test/sandbox/README.md)\n');
}

/** Brings up the real node to a finished `kubeadm init`; returns where it is. */
export async function startRealNode(dir: string, sandboxName: string, node: string, root: string, k8s: string, toolsPath: string): Promise<RealNode> {
  const rn = realDir(dir);
  for (const d of ['containerd', 'cni/net.d', 'cni-state', 'bin']) fs.mkdirSync(path.join(rn, d), { recursive: true });
  const images = ensureImages(log);
  linkNodeBinaries(rn);
  // Kernel settings the kubelet changes for the whole machine: recorded, restored by `down`.
  recordKubeletSysctls(path.join(rn, 'sysctls.json'));
  const cgroupRoot = cgroupName(sandboxName);
  for (const h of cgroupHierarchies()) fs.mkdirSync(path.join(h, cgroupRoot), { recursive: true });

  // 1. namespaces
  const holderPid = detached(dir, ['unshare', '--mount', '--net', '--uts', '--propagation', 'private', path.join(SANDBOX_SRC, 'realnode', 'node-ns.sh'), node, root, rn], path.join(rn, 'ns.log'));
  fs.writeFileSync(path.join(rn, 'holder.pid'), String(holderPid));
  await waitFor('namespaces', () => fs.existsSync(path.join(rn, 'ns-ready')) || !pidAlive(holderPid), 20, path.join(rn, 'ns.log'));
  if (!pidAlive(holderPid)) throw new Error(`real node: namespace setup failed: ${fs.readFileSync(path.join(rn, 'ns.log'), 'utf8')}`);

  // 2. network: a veth pair, host end named after the sandbox, node end eth0
  const addr = pickAddress();
  const hostIf = `ksb${crypto.createHash('sha256').update(sandboxName).digest('hex').slice(0, 8)}`;
  const real: RealNode = { name: node, ip: addr.node, hostIf, holderPid, cgroupRoot };
  fs.writeFileSync(path.join(rn, 'node.json'), JSON.stringify(real));
  run('ip', ['link', 'add', hostIf, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', String(holderPid)]);
  run('ip', ['addr', 'add', `${addr.host}/30`, 'dev', hostIf]);
  run('ip', ['link', 'set', hostIf, 'up']);
  inNode(holderPid, ['ip', 'addr', 'add', `${addr.node}/30`, 'dev', 'eth0']);
  inNode(holderPid, ['ip', 'link', 'set', 'eth0', 'up']);
  inNode(holderPid, ['ip', 'route', 'add', 'default', 'via', addr.host]);

  // 3. containerd, with the images imported
  const v = pinnedVersions();
  fs.writeFileSync(path.join(rn, 'containerd.toml'), containerdConfig(rn, `${IMAGE_REPO}/pause:${addonsFor(v.K8S_OLD).pause}`));
  fs.writeFileSync(path.join(rn, 'cni/net.d/10-sandbox.conflist'), cniConfig());
  const ctrLog = path.join(rn, 'containerd.log');
  detached(dir, ns(holderPid, ['containerd', '--config', path.join(rn, 'containerd.toml')]), ctrLog);
  const ctr = (args: string[]) => inNode(holderPid, ['ctr', '-a', '/run/containerd/containerd.sock', '-n', 'k8s.io', ...args]);
  await waitFor('containerd', () => tryRun('nsenter', ['-t', String(holderPid), '-m', '--', 'test', '-S', '/run/containerd/containerd.sock']).code === 0, 30, ctrLog);
  log(`importing ${images.length} images into the node's containerd`);
  for (const f of images) ctr(['images', 'import', f]);

  // 4. kubeadm init (the real K8S_OLD kubeadm; its `systemctl start kubelet` starts the real kubelet)
  const cfg = path.join(rn, 'kubeadm-init.yaml');
  fs.writeFileSync(cfg, kubeadmInitConfig(node, addr.node, cgroupRoot, k8s, rn));
  log(`kubeadm init ${k8s} on ${node} (${addr.node})`);
  const initLog = path.join(rn, 'kubeadm-init.log');
  const env = {
    SANDBOX_NODE: node, SANDBOX_NODE_ROOT: root, SANDBOX_DIR: dir,
    PATH: `${toolsPath}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
  };
  const init = tryRun('nsenter', ['-t', String(holderPid), '-m', '-n', '-u', '--', path.join(toolsPath, 'kubeadm'), 'init', '--config', cfg], { env: { ...process.env, ...env }, timeout: 600_000 });
  fs.writeFileSync(initLog, init.stdout + init.stderr);
  if (init.code !== 0) throw new Error(`real node: kubeadm init failed (${initLog}):\n${(init.stdout + init.stderr).split('\n').slice(-25).join('\n')}`);
  return real;
}

/** Processes of the node: in its network namespace (containerd, shims, kubelet, static pods,
 *  sshd) or in its cgroup root (pods with their own network). */
function nodeProcesses(real: RealNode): number[] {
  const netns = (p: string | number) => { try { return fs.readlinkSync(`/proc/${p}/ns/net`); } catch { return ''; } };
  const target = netns(real.holderPid);
  const pids = new Set<number>();
  if (target) {
    for (const p of fs.readdirSync('/proc')) if (/^\d+$/.test(p) && Number(p) !== real.holderPid && netns(p) === target) pids.add(Number(p));
  }
  for (const h of withUnified()) {
    const top = path.join(h, real.cgroupRoot);
    if (!fs.existsSync(top)) continue;
    for (const f of tryRun('find', [top, '-name', 'cgroup.procs']).stdout.split('\n').filter(Boolean)) {
      let procs = '';
      try { procs = fs.readFileSync(f, 'utf8'); } catch { continue; } // the cgroup went away meanwhile
      for (const p of procs.split('\n').filter(Boolean)) pids.add(Number(p));
    }
  }
  return [...pids].filter(pidAlive);
}

export function readRealNode(dir: string): RealNode | null {
  const f = path.join(realDir(dir), 'node.json');
  if (fs.existsSync(f)) return JSON.parse(fs.readFileSync(f, 'utf8')) as RealNode;
  const pidFile = path.join(realDir(dir), 'holder.pid');
  if (!fs.existsSync(pidFile)) return null;
  // up failed before node.json: only the holder (and maybe cgroups) exist.
  return { name: '', ip: '', hostIf: '', holderPid: Number(fs.readFileSync(pidFile, 'utf8')), cgroupRoot: cgroupName(path.basename(dir)) };
}

/** Stops everything the real node started and undoes what it changed outside the sandbox folder. */
export async function stopRealNode(dir: string): Promise<void> {
  const real = readRealNode(dir);
  if (!real) return;
  const rn = realDir(dir);
  // A throwaway node: no graceful pod shutdown (kube-apiserver alone takes 30 s), everything is killed; the
  // namespaces, and with them every mount, the tmpfs and the veth, go when their last process does.
  for (let i = 0; i < 80; i++) {
    const left = nodeProcesses(real);
    if (left.length === 0) break;
    for (const p of left) { try { process.kill(p, i < 4 ? 'SIGTERM' : 'SIGKILL'); } catch { /* gone */ } }
    await sleep(250);
  }
  if (pidAlive(real.holderPid)) { try { process.kill(real.holderPid, 'SIGKILL'); } catch { /* gone */ } }
  for (let i = 0; i < 40 && pidAlive(real.holderPid); i++) await sleep(100);
  if (real.hostIf && tryRun('ip', ['link', 'show', real.hostIf]).code === 0) tryRun('ip', ['link', 'del', real.hostIf]);
  await removeCgroupRoot(real.cgroupRoot);
  restoreKubeletSysctls(path.join(rn, 'sysctls.json'));
}

/** Records the global sysctls the kubelet changes (KUBELET_SYSCTLS) before any kubelet starts. */
export function recordKubeletSysctls(file: string): void {
  fs.writeFileSync(file, JSON.stringify(Object.fromEntries(KUBELET_SYSCTLS.map((s) => [s, fs.readFileSync(`/proc/sys/${s}`, 'utf8').trim()]))));
}

export function restoreKubeletSysctls(file: string): void {
  if (!fs.existsSync(file)) return;
  for (const [k, val] of Object.entries(JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>)) fs.writeFileSync(`/proc/sys/${k}`, `${val}\n`);
}

/** Removes a kubelet's cgroup root in every hierarchy, deepest first (a cgroup folder is removed with rmdir once it
 *  has no tasks). The kubelet's runtime also creates the root in the hybrid "unified" hierarchy, where we never did. */
export async function removeCgroupRoot(cgroupRoot: string): Promise<void> {
  for (const h of withUnified()) {
    const top = path.join(h, cgroupRoot);
    if (!fs.existsSync(top)) continue;
    const dirs = tryRun('find', [top, '-depth', '-type', 'd']).stdout.split('\n').filter(Boolean);
    for (const d of dirs) { for (let i = 0; i < 20; i++) { try { fs.rmdirSync(d); break; } catch { await sleep(100); } } }
  }
}

export function realNodeAlive(dir: string): boolean {
  const r = readRealNode(dir);
  return r !== null && pidAlive(r.holderPid);
}
