// One real OpenSSH sshd per node on 127.0.0.1:<free port>, each with its own host key.
// Logins land in a shell whose PATH starts with the node-side tools and whose environment
// names the node (sshd_config SetEnv), so `ssh -F ssh_config cp-1 kubeadm version` acts on cp-1.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as os from 'node:os';
import { run, tryRun, pidAlive } from './exec';
import { SANDBOX_PASSWORD } from './noderoot';

export const SSH_USER_NAME = 'kubeadm-sandbox';
const SSHD = '/usr/sbin/sshd';

export interface SshUser { name: string; uid: number; gid: number; home: string; isRootRun: boolean }

/** As root: a dedicated login (key auth, plus a password for the password node).
 *  Otherwise sshd runs as the current user, who is the only one it can log in. */
export function ensureSshUser(): SshUser {
  if (process.getuid?.() !== 0) {
    const u = os.userInfo();
    return { name: u.username, uid: u.uid, gid: u.gid, home: u.homedir, isRootRun: false };
  }
  if (tryRun('id', ['-u', SSH_USER_NAME]).code !== 0) {
    run('useradd', ['--create-home', '--shell', '/bin/bash', '--comment', 'kubeadm-upgrade sandbox login', SSH_USER_NAME]);
  }
  run('chpasswd', [], { input: `${SSH_USER_NAME}:${SANDBOX_PASSWORD}\n` });
  const uid = Number(run('id', ['-u', SSH_USER_NAME]).trim());
  const gid = Number(run('id', ['-g', SSH_USER_NAME]).trim());
  const home = run('getent', ['passwd', SSH_USER_NAME]).split(':')[5];
  // Debian's /etc/profile resets PATH for login shells: restore the node's PATH after it.
  const restore = '[ -n "$SANDBOX_PATH" ] && PATH="$SANDBOX_PATH" && export PATH\n';
  for (const f of ['.bash_profile', '.bashrc']) fs.writeFileSync(path.join(home, f), restore);
  fs.mkdirSync('/run/sshd', { recursive: true }); // sshd's privilege separation directory
  // Mount points for the node root inside each session's private namespace (empty unless
  // the host is itself a kubeadm node; the host's own copies are never touched).
  for (const d of ['/etc/kubernetes', '/var/lib/etcd', '/var/lib/kubelet', '/etc/apt/sources.list.d', '/etc/yum.repos.d', '/var/lib/kubeadm-upgrade']) {
    fs.mkdirSync(d, { recursive: true });
  }
  return { name: SSH_USER_NAME, uid, gid, home, isRootRun: true };
}

export function ensureClientKey(dir: string): string {
  const key = path.join(dir, 'ssh', 'id_ed25519');
  fs.mkdirSync(path.dirname(key), { recursive: true });
  if (!fs.existsSync(key)) run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'kubeadm-upgrade-sandbox', '-f', key]);
  fs.copyFileSync(`${key}.pub`, path.join(dir, 'ssh', 'authorized_keys'));
  return key;
}

export interface SshdNode { name: string; port: number; password: boolean; root: string; pm: 'apt' | 'yum' }

export function startSshd(dir: string, node: SshdNode, user: SshUser, toolsPath: string): number {
  const nd = path.join(dir, 'nodes', node.name, 'sshd');
  fs.mkdirSync(nd, { recursive: true });
  const hostKey = path.join(nd, 'ssh_host_ed25519_key');
  if (!fs.existsSync(hostKey)) run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `${node.name}-host`, '-f', hostKey]);
  const pidFile = path.join(nd, 'sshd.pid');
  // Only the node's own package manager is on its PATH (apt-get is "command not found" on yum nodes).
  const pathVar = `${toolsPath}/pm-${node.pm}:${toolsPath}:/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin`;
  const config = [
    `Port ${node.port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${hostKey}`,
    `PidFile ${pidFile}`,
    `AuthorizedKeysFile ${path.join(dir, 'ssh', 'authorized_keys')}`,
    'PubkeyAuthentication yes',
    `PasswordAuthentication ${node.password && user.isRootRun ? 'yes' : 'no'}`,
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'PermitRootLogin no',
    `AllowUsers ${user.name}`,
    'StrictModes no', // key files live in the sandbox folder, not in ~/.ssh
    'PrintMotd no',
    'PrintLastLog no',
    'X11Forwarding no',
    // Sessions (exec, shell and sftp) enter the node's namespace: see node-tools/_node-session.
    `ForceCommand ${toolsPath}/_node-session`,
    'Subsystem sftp /usr/lib/openssh/sftp-server',
    'LogLevel INFO',
    `SetEnv SANDBOX_NODE=${node.name} SANDBOX_NODE_ROOT=${node.root} SANDBOX_DIR=${dir} PATH=${pathVar} SANDBOX_PATH=${pathVar}`,
  ].join('\n') + '\n';
  const cfg = path.join(nd, 'sshd_config');
  fs.writeFileSync(cfg, config);
  run(SSHD, ['-f', cfg, '-E', path.join(nd, 'sshd.log')]); // daemonizes after binding the port
  // sshd creates the pid file before writing the pid: wait for the number itself.
  const readPid = () => (fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8').trim()) : 0);
  for (let i = 0; i < 50 && !readPid(); i++) run('sleep', ['0.1']);
  const pid = readPid();
  if (!pid) throw new Error(`sshd for ${node.name} did not start (see ${path.join(nd, 'sshd.log')})`);
  return pid;
}

export function hostKeyLine(dir: string, node: string, port: number): string {
  const pub = fs.readFileSync(path.join(dir, 'nodes', node, 'sshd', 'ssh_host_ed25519_key.pub'), 'utf8').trim().split(' ');
  return `[127.0.0.1]:${port} ${pub[0]} ${pub[1]}`;
}

export function sshConfigText(dir: string, user: string, nodes: { name: string; port: number }[]): string {
  const key = path.join(dir, 'ssh', 'id_ed25519');
  const kh = path.join(dir, 'ssh', 'known_hosts');
  return nodes.map((n) => [
    `Host ${n.name}`,
    '  HostName 127.0.0.1',
    `  Port ${n.port}`,
    `  User ${user}`,
    `  IdentityFile ${key}`,
    '  IdentitiesOnly yes',
    `  UserKnownHostsFile ${kh}`,
    '  StrictHostKeyChecking yes',
    '  LogLevel ERROR',
    '',
  ].join('\n')).join('\n');
}

/** Stops an sshd and the sessions it forked (they share its process group only loosely, so kill children too). */
export function stopSshd(pid: number): void {
  if (!pid || !pidAlive(pid)) return;
  const children = tryRun('pgrep', ['-P', String(pid)]).stdout.split('\n').filter(Boolean).map(Number);
  for (const p of [pid, ...children]) { try { process.kill(p, 'SIGTERM'); } catch { /* gone */ } }
}
