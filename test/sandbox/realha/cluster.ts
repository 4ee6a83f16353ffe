// The real-ha scenario: three real kubeadm control planes with stacked etcd behind HAProxy and two real workers.
// Each node is PID 1 of its own mount, network, UTS and PID namespaces (node-init.sh) with its own Debian root (an
// overlay over one debootstrapped root, base-root.sh), its own containerd, kubelet and sshd, and the REAL kubeadm,
// kubelet, kubectl and cri-tools packages installed by real apt from a signed repository laid out like pkgs.k8s.io
// (repo.sh), served over HTTP on the host's end of the nodes' bridge. Nodes share one L2 bridge; pods get a /24 per
// node from the CNI bridge plugin and reach the other nodes' pods through routes. `down` kills each node's PID 1
// (the kernel ends every process of the node, containers included; its mounts and veth go with its namespaces),
// HAProxy and the repository server, deletes the bridge and the kubelets' cgroups and restores the sysctls they set.
import { execFile } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { run, runVisible, tryRun, sleep, pidAlive } from '../lib/exec';
import { binaries, cacheRoot, pinnedVersions, SANDBOX_SRC } from '../lib/paths';
import type { Scenario } from '../lib/scenario';
import type { SandboxState } from '../lib/sandbox';
import { ensureClientKey } from '../lib/ssh';
import { addonsFor, minorOf } from '../lib/versions';
import { ensureImages, imagesDir, IMAGE_REPO } from '../realnode/images';
import { ensureRealPrerequisites } from '../realnode/up';
import { realNodeUnsupported, detached, waitFor, recordKubeletSysctls, restoreKubeletSysctls, removeCgroupRoot, cgroupName, cgroupHierarchies } from '../realnode/node';

const log = (m: string) => process.stderr.write(`[sandbox] ${m}\n`);
const HA = path.join(SANDBOX_SRC, 'realha');
const PATH_IN_NODE = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const POD_SUBNET = '10.244.0.0/16';
const REPO_PORT = 8080;
// The repository is served as pkgs.k8s.io (the name the product's readiness check and the install docs use): HTTPS on
// the host's end of the bridge, with a certificate from a CA made for this cluster that every node trusts, and
// pkgs.k8s.io in every node's /etc/hosts. HAProxy terminates TLS and forwards to the plain HTTP file server.
const REPO_HOST = 'pkgs.k8s.io';

export interface HaNode { name: string; role: 'control-plane' | 'worker'; index: number; ip: string; podSubnet: string; dir: string; unsharePid: number; pid: number; cgroupRoot: string }
export interface HaCluster { bridge: string; hostIp: string; prefix: string; lbEndpoint: string; repoUrl: string; repoBackend: string; nodes: HaNode[]; haproxyPid: number; repoPid: number }

export const haDir = (dir: string) => path.join(dir, 'realha');
const haFile = (dir: string) => path.join(haDir(dir), 'cluster.json');

export function readHaCluster(dir: string): HaCluster | null {
  const f = haFile(dir);
  return fs.existsSync(f) ? (JSON.parse(fs.readFileSync(f, 'utf8')) as HaCluster) : null;
}

/** The command line that runs `cmd` as a process of the node: in all its namespaces and its root. */
export const inNodeArgs = (n: HaNode, cmd: string[]) => ['nsenter', '-t', String(n.pid), '-m', '-n', '-u', '-p', '-r', '-w', '--', 'env', '-i', `PATH=${PATH_IN_NODE}`, 'HOME=/root', 'LANG=C.UTF-8', ...cmd];
export function nodeRun(n: HaNode, script: string, timeoutMs = 600_000, input?: string): { code: number; stdout: string; stderr: string } {
  const [c, ...a] = inNodeArgs(n, ['sh', '-c', script]);
  return tryRun(c, a, { timeout: timeoutMs, ...(input === undefined ? {} : { input }) });
}
/** nodeRun without blocking the event loop: what runs on several nodes at once. */
function nodeRunAsync(n: HaNode, script: string, timeoutMs = 600_000): Promise<{ code: number; stdout: string; stderr: string }> {
  const [c, ...a] = inNodeArgs(n, ['sh', '-c', script]);
  return new Promise((resolve) => execFile(c!, a, { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
    (e, stdout, stderr) => resolve({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, stdout, stderr })));
}
async function nodeMustAsync(n: HaNode, script: string, what: string): Promise<void> {
  const r = await nodeRunAsync(n, script);
  if (r.code !== 0) throw new Error(`${n.name}: ${what} failed (exit ${r.code}):\n${(r.stdout + r.stderr).split('\n').slice(-30).join('\n')}`);
}
function nodeMust(n: HaNode, script: string, what: string, timeoutMs = 600_000, input?: string): string {
  const r = nodeRun(n, script, timeoutMs, input);
  if (r.code !== 0) throw new Error(`${n.name}: ${what} failed (exit ${r.code}):\n${(r.stdout + r.stderr).split('\n').slice(-30).join('\n')}`);
  return r.stdout;
}

/** Everything real-ha needs on the host and in the cache (set-up: scripts/setup.mjs realha). */
export async function ensureRealHaPrerequisites(): Promise<{ baseRoot: string; repo: string; pkgLayer: string; containerdRoot: string }> {
  const why = realNodeUnsupported();
  if (why) throw new Error(why.replace('real-control-plane', 'real-ha'));
  await runVisible(path.join(SANDBOX_SRC, 'host', 'ensure-packages.sh'), ['real-ha']);
  await ensureRealPrerequisites();
  const v = pinnedVersions();
  if (process.env.KUBEADM_UPGRADE_SANDBOX_NO_BUILD !== '1' && !fs.existsSync(path.join(cacheRoot(), v.K8S_OLD, 'kubectl'))) {
    log(`real-ha: building kubectl ${v.K8S_OLD} (its package of the old minor; first run only)`);
    await runVisible(path.join(SANDBOX_SRC, 'build', 'build-realnode.sh'), ['--real-ha']);
  }
  const images = ensureImages(log);
  const baseRoot = run(path.join(HA, 'base-root.sh'), ['dir']).trim();
  const repo = run(path.join(HA, 'repo.sh'), []).trim();
  // The per-node preparation, done once here and cached (prepare.sh): apt-installed old packages, imported images.
  const pkgLayer = run(path.join(HA, 'prepare.sh'), ['packages', baseRoot, repo, v.K8S_OLD]).trim();
  const containerdRoot = run(path.join(HA, 'prepare.sh'), ['containerd', ...images]).trim();
  return { baseRoot, repo, pkgLayer, containerdRoot };
}

/** The node's containerd root: hard links to the prepared one (same file system), its own bolt databases. */
function linkContainerdRoot(prepared: string, n: HaNode): void {
  const to = path.join(n.dir, 'data', 'containerd');
  fs.mkdirSync(path.dirname(to), { recursive: true });
  run('cp', ['-al', path.join(prepared, 'root'), to]);
  for (const db of ['io.containerd.metadata.v1.bolt/meta.db', 'io.containerd.snapshotter.v1.overlayfs/metadata.db']) {
    fs.rmSync(path.join(to, db));
    fs.copyFileSync(path.join(prepared, 'root', db), path.join(to, db));
  }
}

/** The nodes' network: the first 198.18.<k>.0/24 no interface uses; the host is .1 (HAProxy, the repository). */
function pickPrefix(): string {
  const used = run('ip', ['-4', '-o', 'addr']);
  for (let k = 1; k < 255; k++) if (!used.includes(` 198.18.${k}.1/`)) return `198.18.${k}`;
  throw new Error('real-ha: no free 198.18.<k>.0/24');
}

function haproxyConfig(c: HaCluster, repoPem: string): string {
  // As the kubeadm HA guide sets it up (docs/ha-considerations.md, HAProxy): TCP passthrough, each apiserver checked
  // with an HTTPS GET of /readyz; a refused connection is retried on another control plane (redispatch).
  const cps = c.nodes.filter((n) => n.role === 'control-plane');
  // Every connection through the load balancer logged (tcplog: which server, connect/total times, bytes, how it
  // ended) to haproxy.log, with the servers' UP/DOWN transitions: what a failed request met is read from there.
  return `global
    maxconn 4000
    log stdout format raw local0 info
defaults
    mode tcp
    log global
    retries 3
    option redispatch
    timeout connect 2s
    timeout client 1h
    timeout server 1h
    timeout check 2s
frontend apiserver
    bind ${c.lbEndpoint}
    option tcplog
    default_backend apiserverbackend
backend apiserverbackend
    option httpchk
    http-check connect ssl
    http-check send meth GET uri /readyz
    http-check expect status 200
    balance roundrobin
    default-server inter 1s downinter 1s rise 2 fall 2
${cps.map((n) => `    server ${n.name} ${n.ip}:6443 check verify none`).join('\n')}
frontend pkgs
    mode http
    no log
    timeout client 5m
    bind ${c.hostIp}:443 ssl crt ${repoPem}
    default_backend pkgsfiles
backend pkgsfiles
    mode http
    timeout server 5m
    server files ${c.repoBackend.replace(/^http:\/\//, '')}
`;
}

/** A CA for this cluster and pkgs.k8s.io's certificate signed by it (the nodes trust the CA; nothing else does). */
function makeRepoCertificate(dir: string): { caPem: string; serverPem: string } {
  const d = path.join(haDir(dir), 'pkgs-tls');
  fs.mkdirSync(d, { recursive: true, mode: 0o700 });
  const f = (n: string) => path.join(d, n);
  run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '7', '-subj', '/CN=kubeadm-upgrade sandbox CA (real-ha)', '-keyout', f('ca.key'), '-out', f('ca.crt')]);
  run('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${REPO_HOST}`, '-keyout', f('server.key'), '-out', f('server.csr')]);
  fs.writeFileSync(f('ext.cnf'), `subjectAltName=DNS:${REPO_HOST}\nextendedKeyUsage=serverAuth\n`);
  run('openssl', ['x509', '-req', '-in', f('server.csr'), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial', '-days', '7', '-extfile', f('ext.cnf'), '-out', f('server.crt')]);
  // HAProxy's crt: the certificate, then its key, in one file.
  fs.writeFileSync(f('server.pem'), fs.readFileSync(f('server.crt'), 'utf8') + fs.readFileSync(f('server.key'), 'utf8'), { mode: 0o600 });
  fs.rmSync(f('ca.key'));
  return { caPem: fs.readFileSync(f('ca.crt'), 'utf8'), serverPem: f('server.pem') };
}

function containerdConfig(pauseImage: string): string {
  return `version = 2
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "${pauseImage}"
  # CAP_SYS_RESOURCE is not in this machine's bounding set: without this runc fails when it raises oom_score_adj.
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/opt/cni/bin"
    conf_dir = "/etc/cni/net.d"
`;
}

function cniConfig(subnet: string): string {
  return JSON.stringify({
    cniVersion: '0.4.0', name: 'sandbox',
    plugins: [{
      type: 'bridge', bridge: 'cni0', isGateway: true, ipMasq: false, hairpinMode: true,
      ipam: { type: 'host-local', ranges: [[{ subnet }]], routes: [{ dst: '0.0.0.0/0' }] },
    }, { type: 'portmap', capabilities: { portMappings: true } }],
  }, null, 2);
}

const KUBELET_AND_PROXY = `---
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
# This machine has cgroup v1 and no systemd. Each node's own cgroup root is set in its /etc/default/kubelet.
failCgroupV1: false
cgroupDriver: cgroupfs
containerRuntimeEndpoint: unix:///run/containerd/containerd.sock
# No image GC: no registry to pull a removed image again (see realnode/node.ts).
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
---
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
# nf_conntrack_max is the machine's, read-only in a node's network namespace: 0 leaves it alone, as kind does.
conntrack:
  maxPerCore: 0
`;

// kubeadm's waits during init/join (v1beta4 timeouts), longer than its defaults (4-5 min): on a busy 2-core machine five
// nodes' static pods and kubelets come up slowly. The upgrade itself runs with kubeadm's defaults (the product's call).
// Not controlPlaneComponentHealthCheck: kubeadm derives the static pods' startupProbe failureThreshold from it (10m ->
// 60, default 4m -> 24), so the upgrade (no --config) would rewrite every manifest's probe, and `diff` and
// manifest-drift rightly report those as edits lost (seen 2026-12-08). Init here takes 30-60 s.
const TIMEOUTS = `timeouts:
  kubeletHealthCheck: 10m0s
  kubernetesAPICall: 2m0s
  etcdAPICall: 5m0s
  tlsBootstrap: 10m0s
  discovery: 10m0s`;

function nodeRegistration(n: HaNode): string {
  return `nodeRegistration:
  name: ${n.name}
  criSocket: unix:///run/containerd/containerd.sock
  # Images are imported, never pulled (there is no registry).
  imagePullPolicy: Never
  kubeletExtraArgs:
  - name: node-ip
    value: ${n.ip}
  # cgroup v1 host: kubeadm's system verification reports it as an error.
  ignorePreflightErrors: [SystemVerification]`;
}

function initConfig(c: HaCluster, n: HaNode, k8s: string, token: string, certKey: string): string {
  return `apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
bootstrapTokens:
- token: ${token}
  ttl: 24h0m0s
certificateKey: ${certKey}
localAPIEndpoint:
  advertiseAddress: ${n.ip}
  bindPort: 6443
${nodeRegistration(n)}
${TIMEOUTS}
---
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
clusterName: sandbox-ha
kubernetesVersion: ${k8s}
controlPlaneEndpoint: ${c.lbEndpoint}
imageRepository: ${IMAGE_REPO}
networking:
  podSubnet: ${POD_SUBNET}
  serviceSubnet: 10.96.0.0/12
apiServer:
  extraArgs:
  # Behind a load balancer (what the flag is for): after SIGTERM the apiserver keeps serving for 4 s with /readyz
  # failing, so HAProxy (2 failed checks 1 s apart) takes it out before it stops listening. Enough for kubeadm's own
  # restarts (none of them failed a request, with 4 s nor with 10 s) and for the product's graceful stop before a
  # control plane's kubelet restart (a new-minor kubelet would kill it with 1 s grace, see src/core/upgrade/phases.ts).
  - name: shutdown-delay-duration
    value: 4s
  # Every etcd member, not only the local one kubeadm's stacked topology names (https://127.0.0.1:2379). With the
  # local member alone, each etcd restart of an upgrade (kubeadm upgrade apply/node replaces etcd first) leaves that
  # node's apiserver hanging every request it already accepted until its etcd is back; HAProxy takes it out only
  # after /readyz fails twice, and the requests it sent there meanwhile time out (measured: 28 of 7,835 in bursts
  # during the control planes' upgrades; with every member named, none in two runs).
  # With all members the apiserver's etcd client moves to another member. kubeadm's maintainers name this override
  # for admins who want it (kubernetes/kubeadm#3028); ClusterConfiguration keeps it through kubeadm upgrade.
  - name: etcd-servers
    value: ${c.nodes.filter((x) => x.role === 'control-plane').map((x) => `https://${x.ip}:2379`).join(',')}
${KUBELET_AND_PROXY}`;
}

function joinConfig(c: HaCluster, n: HaNode, token: string, caHash: string, certKey: string): string {
  return `apiVersion: kubeadm.k8s.io/v1beta4
kind: JoinConfiguration
discovery:
  bootstrapToken:
    apiServerEndpoint: ${c.lbEndpoint}
    token: ${token}
    caCertHashes: [${caHash}]
${nodeRegistration(n)}
${TIMEOUTS}
${n.role === 'control-plane' ? `controlPlane:
  localAPIEndpoint:
    advertiseAddress: ${n.ip}
    bindPort: 6443
  certificateKey: ${certKey}
` : ''}`;
}

/** The sha256 of the CA's public key, as `kubeadm join --discovery-token-ca-cert-hash` takes it. */
function caCertHash(caPem: string): string {
  const der = new crypto.X509Certificate(caPem).publicKey.export({ type: 'spki', format: 'der' });
  return `sha256:${crypto.createHash('sha256').update(der).digest('hex')}`;
}

/** Files of the node's own layer, written before its overlay is mounted (the upper layer wins over the base root). */
function writeNodeLayer(c: HaCluster, n: HaNode, sandboxName: string, clientPub: string, repoCa: string): void {
  const up = path.join(n.dir, 'upper');
  const put = (f: string, text: string, mode = 0o644) => {
    fs.mkdirSync(path.dirname(path.join(up, f)), { recursive: true });
    fs.writeFileSync(path.join(up, f), text, { mode });
    fs.chmodSync(path.join(up, f), mode);
  };
  put('etc/hostname', `${n.name}\n`);
  put('etc/hosts', `127.0.0.1 localhost\n${c.nodes.map((x) => `${x.ip} ${x.name}`).join('\n')}\n${c.hostIp} ${REPO_HOST}\n`);
  // The sandbox CA among the node's trusted CAs (update-ca-certificates adds it to /etc/ssl/certs before apt runs).
  put('usr/local/share/ca-certificates/kubeadm-upgrade-sandbox-ca.crt', repoCa);
  // No DNS server on the host's address: lookups fail at once (ICMP port unreachable), never after 2 × 5 s.
  put('etc/resolv.conf', `nameserver ${c.hostIp}\noptions timeout:1 attempts:1\n`);
  for (const t of ['systemctl', 'journalctl']) put(`usr/bin/${t}`, fs.readFileSync(path.join(HA, 'files', t), 'utf8'), 0o755);
  put('usr/local/bin/kubeadm', fs.readFileSync(path.join(HA, 'files', 'kubeadm-cgroupv1'), 'utf8'), 0o755);
  put('etc/containerd/config.toml', containerdConfig(`${IMAGE_REPO}/pause:${addonsFor(pinnedVersions().K8S_OLD).pause}`));
  put('etc/cni/net.d/10-sandbox.conflist', cniConfig(n.podSubnet));
  put('etc/crictl.yaml', 'runtime-endpoint: unix:///run/containerd/containerd.sock\nimage-endpoint: unix:///run/containerd/containerd.sock\n');
  // The kubelets share the host's cgroup v1 tree: each gets its own root, or one kubelet would remove another's pods.
  put('etc/default/kubelet', `KUBELET_EXTRA_ARGS=--cgroup-root=/${n.cgroupRoot}\n`);
  put('root/.ssh/authorized_keys', clientPub, 0o600);
  fs.chmodSync(path.join(up, 'root/.ssh'), 0o700);
  put('etc/ssh/sshd_config.d/sandbox.conf', [`ListenAddress ${n.ip}:22`, 'PermitRootLogin prohibit-password', 'PasswordAuthentication no',
    'KbdInteractiveAuthentication no', 'UsePAM no', 'PrintMotd no', `# ${sandboxName}`].join('\n') + '\n');
  // The product's detached steps live here; also what a fault test interrupts.
  put('etc/sandbox-node', `${sandboxName} ${n.name}\n`);
}

async function startNode(dir: string, c: HaCluster, n: HaNode, lowerDirs: string, save: () => void): Promise<void> {
  fs.mkdirSync(n.dir, { recursive: true });
  const logFile = path.join(n.dir, 'init.log');
  n.unsharePid = detached(dir, ['unshare', '--mount', '--net', '--uts', '--pid', '--fork', '--propagation', 'private', path.join(HA, 'node-init.sh'), n.name, n.dir, lowerDirs, imagesDir()], logFile);
  await waitFor(`${n.name} namespaces`, () => fs.existsSync(path.join(n.dir, 'ns-ready')) || !pidAlive(n.unsharePid), 30, logFile);
  if (!pidAlive(n.unsharePid)) throw new Error(`real-ha: ${n.name}: namespace set-up failed: ${fs.readFileSync(logFile, 'utf8')}`);
  n.pid = Number(fs.readFileSync(`/proc/${n.unsharePid}/task/${n.unsharePid}/children`, 'utf8').trim().split(/\s+/)[0]);
  save();
  // The node's veth: its host end on the bridge, eth0 inside.
  const hostIf = `${c.bridge.slice(0, 11)}n${n.index}`;
  run('ip', ['link', 'add', hostIf, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', String(n.pid)]);
  run('ip', ['link', 'set', hostIf, 'master', c.bridge, 'up']);
  // A default route (as a real node has): without one a Service's ClusterIP is unreachable from the node itself
  // (ENETUNREACH before kube-proxy's DNAT). The host does not forward (ip_forward 0): nothing leaves the bridge.
  const net = [`ip addr add ${n.ip}/24 dev eth0`, 'ip link set eth0 up', `ip route add default via ${c.hostIp}`,
    ...c.nodes.filter((x) => x !== n).map((x) => `ip route add ${x.podSubnet} via ${x.ip}`)];
  nodeMust(n, net.join(' && '), 'network');
}

/** Real apt on the node against this cluster's HTTPS repository, as the pkgs.k8s.io install docs say: the key
 *  fetched again, the source line, `apt-get update` (the signed chain checked). The packages themselves were installed
 *  by real apt from the same signed repository once at set-up (prepare.sh: the node's prepared layer). */
function refreshApt(c: HaCluster, n: HaNode, k8s: string): Promise<void> {
  const mm = `v1.${minorOf(k8s)}`;
  const ver = `${k8s.slice(1)}-1.1`;
  const repo = `${c.repoUrl}/core:/stable:/${mm}/deb/`;
  return nodeMustAsync(n, [
    'set -e', 'update-ca-certificates >/dev/null', 'mkdir -p -m 755 /etc/apt/keyrings',
    `/usr/lib/apt/apt-helper download-file ${repo}Release.key /tmp/Release.key >/dev/null`,
    'gpg --dearmor < /tmp/Release.key > /etc/apt/keyrings/kubernetes-apt-keyring.gpg',
    'chmod 644 /etc/apt/keyrings/kubernetes-apt-keyring.gpg',
    `echo 'deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] ${repo} /' > /etc/apt/sources.list.d/kubernetes.list`,
    'apt-get update -q > /tmp/apt-update.log 2>&1 || { cat /tmp/apt-update.log; exit 1; }', '! grep -E "^(W|E|Err):" /tmp/apt-update.log',
    // The prepared layer's state, as a real install leaves it: the old version installed and held.
    `test "$(dpkg-query -W -f '\${Version}' kubeadm)" = ${ver}`, 'test "$(apt-mark showhold | sort | tr "\\n" " ")" = "kubeadm kubectl kubelet "',
  ].join('\n'), 'apt-get update against the HTTPS repository');
}

function startServices(n: HaNode): Promise<void> {
  return nodeMustAsync(n, 'set -e; systemctl start containerd; ssh-keygen -A >/dev/null; systemctl start ssh; i=0; while [ ! -S /run/containerd/containerd.sock ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done; test -S /run/containerd/containerd.sock', 'starting containerd and sshd');
}

/** `kubeadm init|join` on the node, its log kept in the node's folder. */
async function kubeadm(n: HaNode, args: string, cfgText: string, what: string): Promise<void> {
  // Through the node (never into its upper layer while the overlay is mounted).
  nodeMust(n, `umask 077; cat > /root/${what}.yaml`, `writing /root/${what}.yaml`, 30_000, cfgText);
  const t0 = Date.now();
  // Asynchronous, so that the workers' joins run beside the control planes' (see upRealHa).
  const r = await nodeRunAsync(n, `kubeadm ${args} --config /root/${what}.yaml`, 900_000);
  fs.writeFileSync(path.join(n.dir, `${what}.log`), r.stdout + r.stderr);
  if (r.code !== 0) throw new Error(`real-ha: ${n.name}: kubeadm ${args} failed (${path.join(n.dir, `${what}.log`)}):\n${(r.stdout + r.stderr).split('\n').slice(-25).join('\n')}`);
  log(`${n.name}: kubeadm ${args.split(' ')[0]} done in ${((Date.now() - t0) / 1000).toFixed(0)}s`);
}

/** Brings the whole cluster up; returns when every node is Ready. */
export async function upRealHa(dir: string, sc: Scenario, state: SandboxState, save: () => void): Promise<HaCluster> {
  const t0 = Date.now();
  const { baseRoot, repo, pkgLayer, containerdRoot } = await ensureRealHaPrerequisites();
  const k8s = sc.kubernetesVersion;
  if (k8s !== pinnedVersions().K8S_OLD) throw new Error(`real-ha: the prepared node layer holds ${pinnedVersions().K8S_OLD}'s packages, the scenario wants ${k8s}`);
  fs.mkdirSync(haDir(dir), { recursive: true });
  const prefix = pickPrefix();
  const hash = crypto.createHash('sha256').update(state.name).digest('hex').slice(0, 8);
  const c: HaCluster = {
    bridge: `kha${hash}`, hostIp: `${prefix}.1`, prefix, lbEndpoint: `${prefix}.1:6443`, repoUrl: `https://${REPO_HOST}`, repoBackend: `http://${prefix}.1:${REPO_PORT}`,
    nodes: sc.nodes.map((s, i) => ({
      name: s.name, role: s.role, index: i, ip: `${prefix}.${11 + i}`, podSubnet: `10.244.${i}.0/24`, dir: path.join(haDir(dir), s.name),
      unsharePid: 0, pid: 0, cgroupRoot: `${cgroupName(state.name)}-${s.name}`,
    })),
    haproxyPid: 0, repoPid: 0,
  };
  const saveHa = () => fs.writeFileSync(haFile(dir), JSON.stringify(c, null, 2));
  saveHa();
  recordKubeletSysctls(path.join(haDir(dir), 'sysctls.json'));
  // The kubelet refuses a --cgroup-root that does not exist (`down` removes them).
  for (const n of c.nodes) for (const h of cgroupHierarchies()) fs.mkdirSync(path.join(h, n.cgroupRoot), { recursive: true });

  // 1. The bridge, the repository server and the load balancer on the host's end of it.
  run('ip', ['link', 'add', c.bridge, 'type', 'bridge']);
  run('ip', ['addr', 'add', `${c.hostIp}/24`, 'dev', c.bridge]);
  run('ip', ['link', 'set', c.bridge, 'up']);
  c.repoPid = detached(dir, ['/usr/bin/python3', '-m', 'http.server', '--bind', c.hostIp, '--directory', path.join(repo, 'srv'), String(REPO_PORT)], path.join(haDir(dir), 'repo-http.log'));
  const tls = makeRepoCertificate(dir);
  fs.writeFileSync(path.join(haDir(dir), 'haproxy.cfg'), haproxyConfig(c, tls.serverPem));
  c.haproxyPid = detached(dir, ['/usr/sbin/haproxy', '-db', '-f', path.join(haDir(dir), 'haproxy.cfg')], path.join(haDir(dir), 'haproxy.log'));
  saveHa();

  // 2. The nodes: namespaces, root, network, containerd, sshd, packages by apt, images.
  const clientKey = ensureClientKey(dir);
  const clientPub = fs.readFileSync(`${clientKey}.pub`, 'utf8');
  for (const n of c.nodes) { writeNodeLayer(c, n, state.name, clientPub, tls.caPem); linkContainerdRoot(containerdRoot, n); }
  // Each node's root: its own upper layer over the prepared packages layer over the Debian root.
  for (const n of c.nodes) await startNode(dir, c, n, `${path.join(pkgLayer, 'upper')}:${baseRoot}`, saveHa);
  log(`real-ha: ${c.nodes.length} nodes' namespaces up (${prefix}.0/24 on ${c.bridge}) in ${((Date.now() - t0) / 1000).toFixed(0)}s; containerd, sshd, apt-get update`);
  await waitFor('the package repository', () => tryRun('/usr/lib/apt/apt-helper', ['download-file', `${c.repoBackend}/core:/stable:/v1.${minorOf(k8s)}/deb/Release`, path.join(haDir(dir), 'Release.probe')]).code === 0, 30, path.join(haDir(dir), 'repo-http.log'));
  // Every node at once (each is seconds of work: containerd loading its prepared images, sshd's host keys, the CA
  // bundle, apt-get update).
  await Promise.all(c.nodes.map(async (n) => { await startServices(n); await refreshApt(c, n, k8s); }));
  log(`real-ha: nodes ready for kubeadm (${((Date.now() - t0) / 1000).toFixed(0)}s)`);

  // 3. kubeadm init on cp-1, then the other control planes one at a time, then the workers.
  const token = `${crypto.randomBytes(3).toString('hex')}.${crypto.randomBytes(8).toString('hex')}`;
  const certKey = crypto.randomBytes(32).toString('hex');
  const [first, ...rest] = c.nodes;
  await kubeadm(first, 'init --upload-certs', initConfig(c, first, k8s, token, certKey), 'kubeadm-init');
  const caHash = caCertHash(nodeMust(first, 'cat /etc/kubernetes/pki/ca.crt', 'reading the CA'));
  // Control planes one at a time (a stacked etcd grows one member at a time); the workers' joins (TLS bootstrap
  // through the load balancer, kubeadm retries within its timeouts) run beside them, both at once.
  const joinCps = (async () => { for (const n of rest.filter((x) => x.role === 'control-plane')) await kubeadm(n, 'join', joinConfig(c, n, token, caHash, certKey), 'kubeadm-join'); })();
  const joinWorkers = Promise.all(rest.filter((x) => x.role === 'worker').map((n) => kubeadm(n, 'join', joinConfig(c, n, token, caHash, certKey), 'kubeadm-join')));
  const joined = await Promise.allSettled([joinCps, joinWorkers]);
  for (const j of joined) if (j.status === 'rejected') throw j.reason;

  // 4. The sandbox's kubeconfig (kubeadm's admin.conf: the server is the load balancer), ssh_config, known_hosts.
  fs.writeFileSync(state.kubeconfig, nodeMust(first, 'cat /etc/kubernetes/admin.conf', 'reading admin.conf'), { mode: 0o600 });
  state.apiserverPort = 6443;
  const sshDir = path.join(dir, 'ssh');
  fs.writeFileSync(path.join(sshDir, 'known_hosts'), c.nodes.map((n) => `${n.ip} ${nodeMust(n, 'cat /etc/ssh/ssh_host_ed25519_key.pub', 'reading the host key').trim().split(' ').slice(0, 2).join(' ')}`).join('\n') + '\n');
  state.sshConfig = path.join(dir, 'ssh_config');
  state.sshUser = 'root';
  fs.writeFileSync(state.sshConfig, c.nodes.map((n) => [`Host ${n.name}`, `  HostName ${n.ip}`, '  Port 22', '  User root', `  IdentityFile ${clientKey}`,
    '  IdentitiesOnly yes', `  UserKnownHostsFile ${path.join(sshDir, 'known_hosts')}`, '  StrictHostKeyChecking yes', '  LogLevel ERROR', ''].join('\n')).join('\n'));
  state.nodes = c.nodes.map((n) => ({ name: n.name, role: n.role, sshPort: 22, sshdPid: null, root: path.join(n.dir, 'upper') }));
  save();

  // 5. Every node Ready, then the scenario's objects, available.
  const kubectl = (a: string[], input?: string) => tryRun(binaries().kubectl, ['--kubeconfig', state.kubeconfig, ...a], input === undefined ? {} : { input });
  await waitReady(kubectl, 'nodes Ready and kube-system available', 300);
  if (sc.objects.length) {
    // COREDNS_OLD in an image: the CoreDNS image of the cluster's version (imported on every node).
    const items = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: sc.objects }).replaceAll('COREDNS_OLD', addonsFor(k8s).coredns);
    const created = kubectl(['apply', '-f', '-'], items);
    if (created.code !== 0) throw new Error(`real-ha: creating the scenario's objects: ${created.stderr}`);
    await waitReady(kubectl, "the scenario's Deployments available", 300);
  }
  log(`real-ha: up in ${((Date.now() - t0) / 1000).toFixed(0)}s`);
  return c;
}

async function waitReady(kubectl: (a: string[]) => ReturnType<typeof tryRun>, what: string, timeoutS: number): Promise<void> {
  const end = Date.now() + timeoutS * 1000;
  let why = '';
  for (;;) {
    const nodes = kubectl(['get', 'nodes', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}']);
    const deps = kubectl(['get', 'deployments,daemonsets', '-A', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.status.availableReplicas}{.status.numberAvailable}/{.spec.replicas}{.status.desiredNumberScheduled}{"\\n"}{end}']);
    const bad = [...nodes.stdout.split('\n').filter((l) => l && !l.endsWith('=True')),
      ...deps.stdout.split('\n').filter((l) => l && l.split('=')[1].split('/')[0] !== l.split('=')[1].split('/')[1])];
    if (nodes.code === 0 && deps.code === 0 && bad.length === 0 && nodes.stdout.trim()) return;
    why = `${bad.join(', ')} ${nodes.stderr}${deps.stderr}`.trim();
    if (Date.now() > end) throw new Error(`real-ha: ${what}: not after ${timeoutS}s: ${why}`);
    await sleep(1000);
  }
}

/** Stops everything of the cluster; safe after a partial `up` and when run twice. */
export async function stopRealHa(dir: string): Promise<void> {
  const c = readHaCluster(dir);
  if (!c) return;
  for (const n of c.nodes) {
    // PID 1 of the node's PID namespace: when it dies the kernel kills every process of the node.
    if (n.pid && pidAlive(n.pid)) { try { process.kill(n.pid, 'SIGKILL'); } catch { /* gone */ } }
    if (n.unsharePid && pidAlive(n.unsharePid)) { try { process.kill(n.unsharePid, 'SIGKILL'); } catch { /* gone */ } }
  }
  for (const p of [c.haproxyPid, c.repoPid]) if (p && pidAlive(p)) { try { process.kill(p, 'SIGTERM'); } catch { /* gone */ } }
  for (const n of c.nodes) for (let i = 0; i < 100 && ((n.pid && pidAlive(n.pid)) || (n.unsharePid && pidAlive(n.unsharePid))); i++) await sleep(100);
  for (const p of [c.haproxyPid, c.repoPid]) for (let i = 0; i < 50 && p && pidAlive(p); i++) { await sleep(100); if (i === 30) { try { process.kill(p, 'SIGKILL'); } catch { /* gone */ } } }
  // The veths go with the nodes' network namespaces, but asynchronously: the kernel tears a namespace down after its
  // last process is reaped, which took over 5 s once (a host end left behind). Wait up to 10 s, then delete what is
  // left (deleting a host end deletes its pair).
  const hostEnds = () => fs.readdirSync('/sys/class/net').filter((i) => i.startsWith(`${c.bridge.slice(0, 11)}n`));
  for (let i = 0; i < 100 && hostEnds().length > 0; i++) await sleep(100);
  for (const v of hostEnds()) tryRun('ip', ['link', 'del', v]);
  if (tryRun('ip', ['link', 'show', c.bridge]).code === 0) tryRun('ip', ['link', 'del', c.bridge]);
  for (const n of c.nodes) await removeCgroupRoot(n.cgroupRoot);
  restoreKubeletSysctls(path.join(haDir(dir), 'sysctls.json'));
}

export function realHaAlive(dir: string): boolean {
  const c = readHaCluster(dir);
  return c !== null && c.nodes.some((n) => n.pid > 0 && pidAlive(n.pid));
}

/** The cache pieces real-ha adds (for `sandbox build --real-ha` / scripts/setup.mjs realha). */
export async function buildRealHa(): Promise<void> {
  const { baseRoot, repo } = await ensureRealHaPrerequisites();
  log(`real-ha: Debian root ${baseRoot}, repository ${repo} (cache: ${cacheRoot()})`);
}
