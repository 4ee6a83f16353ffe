// `up` for scenarios with a real node (real-control-plane): the real node (node.ts) is the
// control plane; the other nodes are kwok nodes, heartbeated by a kwok controller on the
// host that talks to the real apiserver, with their sshd and node tools as in every scenario.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { binaries, cacheRoot, pinnedVersions, SANDBOX_SRC } from '../lib/paths';
import type { Scenario } from '../lib/scenario';
import type { SandboxState } from '../lib/sandbox';
import { nodeObject } from '../lib/node-objects';
import { writeNodeRoot, nodeRoot } from '../lib/noderoot';
import { ensureSshUser, ensureClientKey, startSshd, hostKeyLine, sshConfigText } from '../lib/ssh';
import { freePorts } from '../lib/ports';
import { run, runVisible, tryRun, sleep } from '../lib/exec';
import { addonsFor, minorOf } from '../lib/versions';
import { corednsBinary } from './images';
import { startRealNode, writeRealNodeRoot, realNodeUnsupported, realDir, inNode, linkOrCopy, type RealNode } from './node';
import { spawn } from 'node:child_process';

const log = (m: string) => process.stderr.write(`[sandbox] ${m}\n`);

/** Real-node binaries `up` needs (build-realnode.sh makes them and kube-proxy, which is optional: see images.ts). */
function realBinaries(): string[] {
  const v = pinnedVersions() as ReturnType<typeof pinnedVersions> & { ETCD_OLD: string; CRICTL: string };
  const c = cacheRoot();
  return [
    ...['etcd', 'etcdctl', 'etcdutl'].map((b) => path.join(c, `etcd-${v.ETCD_OLD}`, b)), path.join(c, v.K8S_OLD, 'kubeadm'),
    ...[v.K8S_OLD, v.K8S_NEW].map((k) => path.join(c, k, 'kubelet')),
    ...['kube-controller-manager', 'kube-scheduler'].map((b) => path.join(c, v.K8S_NEW, b)),
    path.join(c, 'realnode', 'pause'), path.join(c, 'realnode', `crictl-${v.CRICTL}`, 'crictl'),
    ...[v.K8S_OLD, v.K8S_NEW].map((k) => corednsBinary(addonsFor(k).coredns)),
  ];
}

export async function ensureRealPrerequisites(): Promise<void> {
  const why = realNodeUnsupported();
  if (why) throw new Error(why);
  await runVisible(path.join(SANDBOX_SRC, 'host', 'ensure-packages.sh'), ['real-node']);
  // KUBEADM_UPGRADE_SANDBOX_NO_BUILD=1: use what is cached (while a build is still running).
  if (process.env.KUBEADM_UPGRADE_SANDBOX_NO_BUILD !== '1' && (!realBinaries().every((f) => fs.existsSync(f)) || !Object.values(binaries()).every((f) => fs.existsSync(f)))) {
    log(`building the real node's binaries into ${cacheRoot()} (first run only; see test/sandbox/README.md for how long)`);
    await runVisible(path.join(SANDBOX_SRC, 'build', 'build-realnode.sh'), []);
  }
}

/** Node tools for the real node: its own tools first, then the sandbox's (package stand-ins, sudo). */
function installRealTools(dir: string): string {
  const tools = path.join(dir, 'realnode-tools');
  fs.cpSync(path.join(SANDBOX_SRC, 'realnode', 'tools'), tools, { recursive: true });
  return tools;
}

/** kwok controller for the kwok nodes only (those annotated kwok.x-k8s.io/node=fake), on the host. */
function startKwok(dir: string, kubeconfig: string): number {
  const b = binaries();
  const stages = path.join(dir, 'kwok-stages.yaml');
  fs.copyFileSync(path.join(SANDBOX_SRC, 'stages', 'stages.yaml'), stages);
  const out = fs.openSync(path.join(dir, 'kwok.log'), 'a');
  const p = spawn(b.kwok, [
    `--kubeconfig=${kubeconfig}`, `--config=${stages}`, '--manage-all-nodes=false',
    '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake', '--node-ip=127.0.0.1', '--node-name=kwok-controller',
    '--server-address=127.0.0.1:0',
  ], { detached: true, stdio: ['ignore', out, out], env: { ...process.env, SANDBOX_DIR: dir } });
  fs.closeSync(out);
  p.unref();
  return p.pid!;
}

/** The sandbox's node tools the real node shares (package stand-ins, sudo, kubectl), without the etcdctl/etcdutl
 *  that talk to kwokctl's etcd: a kubeadm host has no etcdctl; the product uses the one in the etcd container. */
function sharedToolsForRealNode(dir: string): string {
  const shared = path.join(dir, 'realnode-node-tools');
  fs.cpSync(path.join(SANDBOX_SRC, 'node-tools'), shared, { recursive: true, filter: (f) => !/^etcd(ctl|utl)$/.test(path.basename(f)) });
  return shared;
}

function realSshd(dir: string, real: RealNode, root: string, realTools: string): void {
  const tools = sharedToolsForRealNode(dir);
  const nd = path.join(dir, 'nodes', real.name, 'sshd');
  fs.mkdirSync(nd, { recursive: true });
  const hostKey = path.join(nd, 'ssh_host_ed25519_key');
  run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `${real.name}-host`, '-f', hostKey]);
  const pathVar = `${realTools}:${tools}/pm-apt:${tools}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`;
  fs.writeFileSync(path.join(realDir(dir), 'bashrc'), `PATH=${pathVar}; export PATH; PS1='root@${real.name}:\\w# '\n`);
  // Inside the node's namespaces, on its own address, port 22, like a real machine's sshd.
  // The login is root (kubeadm, containerd and the kubelet need it), key auth only.
  const cfg = path.join(nd, 'sshd_config');
  fs.writeFileSync(cfg, [
    `ListenAddress ${real.ip}:22`, `HostKey ${hostKey}`, `PidFile ${path.join(nd, 'sshd.pid')}`,
    `AuthorizedKeysFile ${path.join(dir, 'ssh', 'authorized_keys')}`, 'PubkeyAuthentication yes', 'PasswordAuthentication no',
    'KbdInteractiveAuthentication no', 'UsePAM no', 'PermitRootLogin prohibit-password', 'AllowUsers root', 'StrictModes no',
    'PrintMotd no', 'PrintLastLog no', 'X11Forwarding no', `ForceCommand ${realTools}/_session`,
    'Subsystem sftp /usr/lib/openssh/sftp-server', 'LogLevel INFO',
    `SetEnv SANDBOX_NODE=${real.name} SANDBOX_NODE_ROOT=${root} SANDBOX_DIR=${dir} SANDBOX_REAL_NODE=1 PATH=${pathVar} SANDBOX_PATH=${pathVar}`,
  ].join('\n') + '\n');
  inNode(real.holderPid, ['/usr/sbin/sshd', '-f', cfg, '-E', path.join(nd, 'sshd.log')]);
}

async function waitNodesReady(kubectl: (a: string[]) => ReturnType<typeof tryRun>, timeoutS: number): Promise<void> {
  const end = Date.now() + timeoutS * 1000;
  for (;;) {
    const r = kubectl(['get', 'nodes', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}']);
    const bad = r.stdout.split('\n').filter((l) => l && !l.endsWith('=True'));
    if (r.code === 0 && bad.length === 0 && r.stdout.trim()) return;
    if (Date.now() > end) throw new Error(`sandbox not ready after ${timeoutS}s: not Ready: ${bad.join(', ')}`);
    await sleep(1000);
  }
}

/** Everything after the state folder exists: real node, kwok nodes, sshd, ssh_config. */
export async function upReal(dir: string, sc: Scenario, state: SandboxState, save: () => void): Promise<void> {
  const realSpec = sc.nodes.find((n) => n.name === sc.realNode)!;
  const user = ensureSshUser();
  const b = binaries();
  fs.mkdirSync(path.join(dir, 'bin'), { recursive: true });
  linkOrCopy(b.kubectl, path.join(dir, 'bin', 'kubectl'));
  linkOrCopy(b.kwok, path.join(dir, 'bin', 'kwok'));
  linkOrCopy(b.kubeadm, path.join(dir, 'bin', 'kubeadm')); // the kwok nodes' `kubeadm upgrade plan` etc.
  fs.symlinkSync(path.join(SANDBOX_SRC, '..', '..', 'node_modules', '.bin', 'tsx'), path.join(dir, 'bin', 'tsx'));
  fs.symlinkSync(SANDBOX_SRC, path.join(dir, 'src'));
  const tools = path.join(dir, 'node-tools');
  fs.cpSync(path.join(SANDBOX_SRC, 'node-tools'), tools, { recursive: true });
  const v = pinnedVersions();
  fs.writeFileSync(path.join(dir, 'repo-latest-patch'), [v.K8S_OLD, v.K8S_NEW].map((x) => `${minorOf(x)} ${x.split('.')[2]}`).join('\n') + '\n');
  const realTools = installRealTools(dir);

  const root = nodeRoot(dir, realSpec.name);
  writeRealNodeRoot(root, sc.kubernetesVersion);
  const real = await startRealNode(dir, state.name, realSpec.name, root, sc.kubernetesVersion, realTools);
  state.apiserverPort = 6443;
  save();
  // The admin kubeconfig kubeadm wrote, as the sandbox's kubeconfig (server https://<node ip>:6443).
  fs.copyFileSync(path.join(root, 'etc/kubernetes/admin.conf'), state.kubeconfig);
  fs.chmodSync(state.kubeconfig, 0o600);
  const kubectl = (a: string[], input?: string) => tryRun(b.kubectl, ['--kubeconfig', state.kubeconfig, ...a], input === undefined ? {} : { input });

  log('creating the kwok nodes and scenario objects');
  const others = sc.nodes.filter((n) => n !== realSpec);
  const objs = [...others.map((n) => nodeObject(n, sc.nodes.indexOf(n))), ...sc.objects];
  const created = kubectl(['create', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objs }));
  if (created.code !== 0) throw new Error(`creating nodes: ${created.stderr}`);
  startKwok(dir, state.kubeconfig);
  const kubeconfigText = fs.readFileSync(state.kubeconfig, 'utf8');
  state.nodes = sc.nodes.map((n, i) => ({ name: n.name, role: n.role, sshPort: null, sshdPid: null, root: n === realSpec ? root : writeNodeRoot(dir, n, i, kubeconfigText) }));
  for (const n of others) run('chown', ['-R', `${user.uid}:${user.gid}`, nodeRoot(dir, n.name)]);
  for (const f of ['node-tools', 'bin', 'repo-latest-patch', 'kubeconfig']) tryRun('chown', ['-h', `${user.uid}:${user.gid}`, path.join(dir, f)]);

  ensureClientKey(dir);
  realSshd(dir, real, root, realTools);
  const ports = await freePorts(others.length);
  const known: string[] = [`${real.ip} ${fs.readFileSync(path.join(dir, 'nodes', real.name, 'sshd', 'ssh_host_ed25519_key.pub'), 'utf8').trim().split(' ').slice(0, 2).join(' ')}`];
  for (const [i, n] of others.entries()) {
    const node = state.nodes.find((x) => x.name === n.name)!;
    node.sshPort = ports[i];
    node.sshdPid = startSshd(dir, { name: n.name, port: ports[i], password: n.password, root: node.root, pm: n.packageManager }, user, tools);
    known.push(hostKeyLine(dir, n.name, ports[i]));
    save();
  }
  state.nodes.find((x) => x.name === real.name)!.sshPort = 22;
  fs.writeFileSync(path.join(dir, 'ssh', 'known_hosts'), known.join('\n') + '\n');
  state.sshConfig = path.join(dir, 'ssh_config');
  state.sshUser = user.name;
  const key = path.join(dir, 'ssh', 'id_ed25519');
  const realEntry = [`Host ${real.name}`, `  HostName ${real.ip}`, '  Port 22', '  User root', `  IdentityFile ${key}`, '  IdentitiesOnly yes',
    `  UserKnownHostsFile ${path.join(dir, 'ssh', 'known_hosts')}`, '  StrictHostKeyChecking yes', '  LogLevel ERROR', ''].join('\n');
  fs.writeFileSync(state.sshConfig, `${realEntry}\n${sshConfigText(dir, user.name, others.map((n) => ({ name: n.name, port: state.nodes.find((x) => x.name === n.name)!.sshPort! })))}`);
  save();
  log('waiting for nodes Ready');
  await waitNodesReady(kubectl, 180);
}
