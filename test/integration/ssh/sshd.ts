// A real OpenSSH sshd for the SSH executor's integration tests: 127.0.0.1, a free port, its own host key, a temp
// authorized_keys. Installs Debian's openssh-server/openssh-client/sudo when missing (we run as root in tests).
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export function ensurePackages(): void {
  const need: string[] = [];
  if (!fs.existsSync('/usr/sbin/sshd')) need.push('openssh-server');
  if (!fs.existsSync('/usr/bin/ssh') || !fs.existsSync('/usr/bin/ssh-keygen')) need.push('openssh-client');
  if (!fs.existsSync('/usr/bin/sudo')) need.push('sudo');
  if (need.length === 0) return;
  if (process.getuid?.() !== 0) throw new Error(`missing ${need.join(', ')} and not root: install them first`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update'], { stdio: 'ignore', env });
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...need], { stdio: 'ignore', env });
}

export function tmpDir(prefix: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(d, 0o755); // sshd reads authorized_keys as the login user
  return d;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface KeyPair {
  readonly privateKey: string;
  readonly publicKey: string;
  readonly publicLine: string;
}

export function makeKey(dir: string, name: string, passphrase = '', type = 'ed25519'): KeyPair {
  const privateKey = path.join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', passphrase, '-C', name, '-f', privateKey]);
  return { privateKey, publicKey: `${privateKey}.pub`, publicLine: fs.readFileSync(`${privateKey}.pub`, 'utf8').trim() };
}

/** `SHA256:…` as `ssh-keygen -lf` prints it. */
export function keygenFingerprint(pubFile: string): string {
  const out = execFileSync('ssh-keygen', ['-lf', pubFile], { encoding: 'utf8' });
  return out.split(/\s+/)[1]!;
}

export class Sshd {
  private child: ChildProcess | undefined;
  log = '';
  readonly hostKey: KeyPair;
  readonly authorizedKeys: string;

  private constructor(
    readonly dir: string,
    readonly port: number,
    hostKeyType: 'ed25519' | 'rsa',
  ) {
    // The only host key it has: an `rsa` sshd offers nothing but RSA (the "other key type" test).
    this.hostKey = makeKey(dir, `ssh_host_${hostKeyType}_key`, '', hostKeyType);
    this.authorizedKeys = path.join(dir, 'authorized_keys');
    fs.writeFileSync(this.authorizedKeys, '', { mode: 0o644 });
  }

  static async start(extraConfig: string[] = [], hostKeyType: 'ed25519' | 'rsa' = 'ed25519'): Promise<Sshd> {
    ensurePackages();
    fs.mkdirSync('/run/sshd', { recursive: true, mode: 0o755 }); // privilege separation directory
    const d = new Sshd(tmpDir('kup-sshd-'), await freePort(), hostKeyType);
    d.extra = extraConfig;
    await d.launch();
    return d;
  }

  private extra: string[] = [];

  get pid(): number | undefined {
    return this.child?.pid;
  }

  authorize(key: KeyPair): void {
    fs.appendFileSync(this.authorizedKeys, key.publicLine + '\n');
  }

  private async launch(): Promise<void> {
    const conf = path.join(this.dir, 'sshd_config');
    fs.writeFileSync(
      conf,
      [
        ...this.extra, // sshd keeps the first value of a keyword: extras override the defaults below
        `Port ${this.port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${this.hostKey.privateKey}`,
        `PidFile ${path.join(this.dir, 'sshd.pid')}`,
        `AuthorizedKeysFile ${this.authorizedKeys}`,
        'StrictModes no',
        'UsePAM no',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'PermitRootLogin prohibit-password',
        'AllowTcpForwarding yes',
        'LogLevel VERBOSE',
        '',
      ].join('\n'),
    );
    const child = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    child.stderr!.on('data', (b: Buffer) => (this.log += b.toString()));
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`sshd exited: ${this.log}`);
      if (await canConnect(this.port)) return;
      if (Date.now() > deadline) throw new Error(`sshd did not listen: ${this.log}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Kills the listener and every session process it forked (by pid: only what this helper started). */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const pids = descendants(child.pid!);
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    await exited;
    this.child = undefined;
  }

  async restart(): Promise<void> {
    await this.kill();
    await this.launch();
  }

  async stop(): Promise<void> {
    await this.kill();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

async function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** All descendants of `pid` (from /proc), parents before their children. */
export function descendants(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = parents.get(ppid) ?? [];
      list.push(Number(name));
      parents.set(ppid, list);
    } catch {
      // exited meanwhile
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const c of parents.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

/** A local user with a password, for sudo tests. Returns a cleanup that removes the user and its sudoers rule. */
export function createSudoUser(name: string, password: string): () => void {
  ensurePackages();
  spawnSync('userdel', ['-r', name], { stdio: 'ignore' });
  execFileSync('useradd', ['-m', '-s', '/bin/bash', name]);
  execFileSync('chpasswd', [], { input: `${name}:${password}\n` });
  const rule = `/etc/sudoers.d/kubeadm-upgrade-test-${name}`;
  // Password required every time (no cached credentials between commands).
  fs.writeFileSync(rule, `Defaults:${name} timestamp_timeout=0\n${name} ALL=(ALL:ALL) ALL\n`, { mode: 0o440 });
  execFileSync('visudo', ['-cf', rule]);
  return () => {
    fs.rmSync(rule, { force: true });
    spawnSync('userdel', ['-f', '-r', name], { stdio: 'ignore' });
  };
}

export function runSsh(args: string[]): { status: number | null; stderr: string; stdout: string } {
  const r = spawnSync('ssh', args, { encoding: 'utf8', timeout: 20_000 });
  return { status: r.status, stderr: r.stderr, stdout: r.stdout };
}
