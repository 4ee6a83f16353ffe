// The one way integration tests use the sandbox: start a scenario under a unique name,
// talk to its real apiserver / ssh nodes, and always tear it down.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before } from 'node:test';
import { up, down } from '../sandbox/lib/sandbox';
import { setFault } from '../sandbox/lib/noderoot';
import { restartApiserver, currentApiserverBinary } from '../sandbox/lib/apiserver-restart';
import { binaries, instanceDir, pinnedVersions } from '../sandbox/lib/paths';
import { apiFromKubeconfig } from '../sandbox/lib/api';
import { SshPool } from '../../src/adapters/ssh';

/** The version the sandbox's stand-in repositories offer to upgrade to (`K8S_NEW` in test/sandbox/build/versions.env). */
export const SANDBOX_TARGET: string = pinnedVersions().K8S_NEW;

export interface Sandbox {
  name: string;
  kubeconfig: string;
  sshConfig: string | null;
  nodes: { name: string; role: string; sshPort: number | null }[];
  /** Real HTTP request to the sandbox apiserver with the admin credentials. */
  api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  kubectl(...args: string[]): string;
  ssh(node: string, command: string): { code: number; stdout: string; stderr: string };
  /** The node's sshd log (LogLevel INFO: one `Accepted publickey … port N` line per login), '' before the first line. */
  sshdLog(node: string): string;
  /** Fault on demand for a node step (README "Faults"); kind '' clears it. */
  setFault(node: string, step: string, kind: 'fail' | 'hang' | 'drop' | 'never-ready' | ''): void;
  /** Restarts the real apiserver (same binary) after delayMs, down for downMs: a restart mid-drain. */
  restartApiserver(delayMs?: number, downMs?: number): Promise<void>;
  /** Loopback ports this sandbox listens on (apiserver + sshd), for leak checks after down(). */
  ports: number[];
  down(): Promise<void>;
}

export async function startSandbox(scenario: string): Promise<Sandbox> {
  const name = `it-${process.pid}-${Math.random().toString(36).slice(2, 7)}`;
  const st = await up(name, scenario);
  const client = apiFromKubeconfig(st.kubeconfig);
  let isDown = false;
  return {
    name,
    kubeconfig: st.kubeconfig,
    sshConfig: st.sshConfig,
    nodes: st.nodes,
    api: (method, path, body) => client.request(method, path, body),
    kubectl: (...args) => {
      const r = spawnSync(binaries().kubectl, ['--kubeconfig', st.kubeconfig, ...args], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
      return r.stdout;
    },
    ssh: (node, command) => {
      if (!st.sshConfig) throw new Error(`scenario ${scenario} has no ssh`);
      const r = spawnSync('ssh', ['-F', st.sshConfig, '-o', 'BatchMode=yes', node, command], { encoding: 'utf8', timeout: 120_000 });
      return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
    },
    sshdLog: (node) => {
      const file = path.join(instanceDir(name), 'nodes', node, 'sshd', 'sshd.log');
      return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    },
    setFault: (node, step, kind) => setFault(instanceDir(name), node, step, kind),
    restartApiserver: async (delayMs = 0, downMs = 2000) => {
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      await restartApiserver(instanceDir(name), currentApiserverBinary(instanceDir(name)), downMs);
    },
    ports: [st.apiserverPort, ...st.nodes.map((n) => n.sshPort).filter((p): p is number => p !== null)],
    down: async () => { if (!isDown) { isDown = true; await down(name); } },
  };
}

export interface SandboxHooks {
  /** Runs after the sandbox is up (clients, temp folders, faults the whole file needs). */
  setUp?: () => void | Promise<void>;
  /** Runs before the sandbox goes down, even when set-up failed part way. */
  tearDown?: () => void | Promise<void>;
}

/**
 * The before/after every sandbox test file needs: starts `scenario` before the file's tests (the binaries are built by
 * `scripts/setup.mjs` beforehand, so the timeout only covers `up`) and always takes it down after, whatever failed.
 * Returns the sandbox, usable inside hooks and tests once it is up.
 */
export function useSandbox(scenario: string, hooks: SandboxHooks = {}): Sandbox {
  let started: Sandbox | undefined;
  before(async () => {
    started = await startSandbox(scenario);
    await hooks.setUp?.();
  }, { timeout: 900_000 });
  after(async () => {
    try {
      await hooks.tearDown?.();
    } finally {
      await started?.down();
    }
  });
  return new Proxy({} as Sandbox, {
    get(_target, key) {
      if (!started) throw new Error(`the ${scenario} sandbox is not up (its set-up failed or has not run)`);
      return started[key as keyof Sandbox];
    },
  });
}

/**
 * A sandbox and a private temporary folder (a state dir, a pack destination) made once it is up and removed before it
 * goes down. `dir()` is usable inside tests.
 */
export function useSandboxWithDir(scenario: string, prefix: string): { sb: Sandbox; dir: () => string } {
  let made: string | undefined;
  const sb = useSandbox(scenario, {
    setUp: () => {
      made = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    },
    tearDown: () => {
      if (made) fs.rmSync(made, { recursive: true, force: true });
    },
  });
  return {
    sb,
    dir: () => {
      if (!made) throw new Error(`the ${scenario} sandbox's folder is not made (its set-up failed or has not run)`);
      return made;
    },
  };
}

/** The SSH pool tests reach the sandbox's nodes with: its ssh_config, unknown hosts refused, sudo password "sandbox". */
export function sandboxSshPool(sb: Sandbox): SshPool {
  return new SshPool({ configFile: sb.sshConfig!, prompts: { confirmUnknownHost: async () => false, askPassphrase: async () => undefined, askSudoPassword: async () => 'sandbox' } });
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v as T;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}
