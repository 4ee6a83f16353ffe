// The launcher shared by `npm run demo` and the e2e tests: installs what is missing (setup.sh), brings a sandbox
// up, builds the .vsix, writes VS Code user settings that point the extension at the sandbox, installs the
// extension into code-server and starts it on a free 127.0.0.1 port. Everything started here is stopped by
// `cleanup()`, which also runs on exit, SIGINT, SIGTERM and SIGHUP: code-server's process group, then the sandbox.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const RESULTS = path.join(REPO, 'test-results');
const t0 = Date.now();
export const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
export const log = (m) => process.stderr.write(`[e2e ${elapsed()}] ${m}\n`);

// ---------------------------------------------------------------------------------------------- cleanup
const cleanups = [];
let cleaning = null;
/** Registers fn to run at cleanup, most recent first. */
export function onCleanup(fn) { cleanups.unshift(fn); }
export async function cleanup() {
  if (cleaning) return cleaning;
  cleaning = (async () => {
    while (cleanups.length) {
      const fn = cleanups.shift();
      try { await fn(); } catch (e) { log(`cleanup: ${e.message}`); }
    }
  })();
  return cleaning;
}
let signalled = false;
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    if (signalled) return; // a second Ctrl-C while stopping: keep stopping
    signalled = true;
    log(`${sig}: stopping everything…`);
    cleanup().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
  });
}
// Last resort if the process exits without awaiting cleanup(): synchronous kills only.
const syncKills = new Set();
process.on('exit', () => {
  for (const fn of syncKills) { try { fn(); } catch { /* best effort */ } }
});

// ---------------------------------------------------------------------------------------------- setup
/** Runs test/e2e/setup.sh; returns { E2E_CACHE, E2E_NODE, CODE_SERVER, CHROMIUM, DRV_MODULES }. */
export function setup() {
  log('setup: Node 24, code-server, chromium, playwright-core, mocha (cached)');
  const r = spawnSync('bash', [path.join(REPO, 'test/e2e/setup.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`test/e2e/setup.sh failed (exit ${r.status})`);
  const env = Object.fromEntries(r.stdout.trim().split('\n').map((l) => l.split(/=(.*)/s).slice(0, 2)));
  return env;
}

/** playwright-core from the e2e cache (not a dependency of the repo). */
export function playwright(env) {
  return createRequire(path.join(env.DRV_MODULES, 'x.js'))('playwright-core');
}

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

// ---------------------------------------------------------------------------------------------- sandbox
/** `npm run sandbox -- up`; returns the sandbox's state.json (kubeconfig, sshConfig, nodes, dir). */
export async function startSandbox(scenario, name = `e2e-${scenario}-${process.pid}`) {
  log(`sandbox: up --scenario ${scenario} --name ${name} (first run builds Kubernetes binaries: see test/sandbox/README.md)`);
  const tsx = path.join(REPO, 'node_modules/.bin/tsx');
  const cli = path.join(REPO, 'test/sandbox/cli.ts');
  let downDone = false;
  const down = () => {
    if (downDone) return;
    downDone = true;
    log(`sandbox: down --name ${name}`);
    spawnSync(tsx, [cli, 'down', '--name', name], { stdio: ['ignore', 'ignore', 'inherit'], cwd: REPO });
    // Safety net: `sandbox down` has been seen leaving an sshd listener behind (parent 1, started with the sandbox).
    const dir = path.join(process.env.KUBEADM_UPGRADE_SANDBOX_DIR || path.join(os.tmpdir(), 'kubeadm-upgrade-sandbox'), name);
    const left = processesMentioning(`${dir}/`);
    if (left.length) {
      const what = left.map((p) => { try { return `${p} ${fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').join(' ').slice(0, 100)}`; } catch { return String(p); } });
      log(`sandbox: ${left.length} process(es) outlived \`sandbox down\`, killing them:\n  ${what.join('\n  ')}`);
      for (const p of left) { try { process.kill(p, 'SIGKILL'); } catch { /* gone */ } }
    }
  };
  onCleanup(down);
  syncKills.add(down);
  const out = await new Promise((resolve, reject) => {
    const p = spawn(tsx, [cli, 'up', '--scenario', scenario, '--name', name], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    p.stdout.on('data', (d) => (text += d));
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`sandbox up failed (exit ${code})`))));
  });
  const kubeconfig = /kubeconfig: (\S+)/.exec(out)?.[1];
  if (!kubeconfig) throw new Error(`sandbox up printed no kubeconfig:\n${out}`);
  const state = JSON.parse(fs.readFileSync(path.join(path.dirname(kubeconfig), 'state.json'), 'utf8'));
  state.kubectlBin = path.join(state.dir, 'bin', 'kubectl');
  state.name = name;
  state.down = down;
  return state;
}

/** kubectl against the sandbox (its own pinned kubectl). */
export function kubectl(sb, ...args) {
  const r = spawnSync(fs.existsSync(sb.kubectlBin) ? sb.kubectlBin : 'kubectl', ['--kubeconfig', sb.kubeconfig, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** `npm run sandbox -- fault NODE STEP KIND` on this sandbox (KIND `none` clears), e.g. ('worker-1', 'kubelet_restart', 'fail'). */
export function sandboxFault(sb, node, step, kind) {
  const r = spawnSync(path.join(REPO, 'node_modules/.bin/tsx'), [path.join(REPO, 'test/sandbox/cli.ts'), 'fault', node, step, kind, '--name', sb.name], { cwd: REPO, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sandbox fault ${node} ${step} ${kind}: ${r.stderr}`);
  log(`sandbox fault: ${r.stdout.trim()}`);
}

/** ssh to a sandbox node through its ssh_config. */
export function ssh(sb, node, command) {
  const r = spawnSync('ssh', ['-F', sb.sshConfig, '-o', 'BatchMode=yes', node, command], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

// ---------------------------------------------------------------------------------------------- extension
/** The .vsix: `npm run package` unless it is newer than every file under src/, webview/ and package.json. */
export function buildVsix({ force = false } = {}) {
  const vsix = path.join(REPO, 'dist/kubeadm-upgrade.vsix');
  const newest = (p) => {
    const st = fs.statSync(p);
    if (!st.isDirectory()) return st.mtimeMs;
    return Math.max(0, ...fs.readdirSync(p).map((n) => newest(path.join(p, n))));
  };
  const fresh = fs.existsSync(vsix) && fs.statSync(vsix).mtimeMs > Math.max(...['src', 'webview', 'package.json', 'media'].map((p) => newest(path.join(REPO, p))));
  if (!force && fresh) { log('extension: dist/kubeadm-upgrade.vsix is up to date'); return vsix; }
  log('extension: npm run package');
  const r = spawnSync('npm', ['run', '--silent', 'package'], { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status === 0) return vsix;
  process.stderr.write(r.stderr);
  // vsce refuses README links it cannot resolve without a repository URL: package anyway (same files) so the e2e
  // tests still run, and say so. Any other failure (the code does not build) stops here.
  if (/Couldn't detect the repository|will be broken in README/.test(r.stderr)) {
    log('WARNING: `npm run package` fails (vsce: README link without a repository URL); packaging with --baseContentUrl for the e2e run');
    const b = spawnSync('node', ['esbuild.js', '--production'], { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] });
    const v = b.status === 0 && spawnSync(path.join(REPO, 'node_modules/.bin/vsce'), ['package', '--no-dependencies', '--baseContentUrl', 'https://example.invalid/kubeadm-upgrade/', '--out', vsix], { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] });
    if (v && v.status === 0) return vsix;
  }
  throw new Error('npm run package failed: the extension does not build');
}

// ---------------------------------------------------------------------------------------------- code-server
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

/** VS Code user settings that point the extension at a sandbox. */
export function sandboxSettings(sb, execution = 'ssh') {
  return {
    'kubeadm.kubeconfig': sb.kubeconfig,
    ...(sb.sshConfig ? { 'kubeadm.ssh.configFile': sb.sshConfig } : {}),
    'kubeadm.execution': execution,
    ...(fs.existsSync(sb.kubectlBin) ? { 'kubeadm.kubectlPath': sb.kubectlBin } : {}),
  };
}

const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'window.commandCenter': false,
  'git.enabled': false,
  'terminal.integrated.enablePersistentSessions': false,
  'workbench.colorTheme': 'Default Dark Modern',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.panel.defaultLocation': 'bottom',
};

/**
 * Installs the .vsix into a fresh code-server profile (user settings = QUIET_SETTINGS + settings) and starts it on
 * 127.0.0.1:<free port> in its own process group. Returns { url, port, runDir, folder, pid, stop() }.
 */
export async function startCodeServer(env, { vsix, otherVsixes = [], settings = {}, folder, runDir, smokeTestDriver = false, port, extraEnv = {}, isolateHome = false } = {}) {
  runDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'kubeadm-upgrade-e2e-'));
  fs.mkdirSync(path.join(runDir, 'user/User'), { recursive: true });
  folder ??= path.join(runDir, 'workspace');
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(runDir, 'user/User/settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...settings }, null, 2));
  // The settings that choose executed files (kubeconfig, kubectl, ssh_config) are machine-scoped: a code-server window
  // is a remote one, where VS Code reads those from the machine's settings, not the user's (as with Remote-SSH).
  fs.mkdirSync(path.join(runDir, 'user/Machine'), { recursive: true });
  fs.writeFileSync(path.join(runDir, 'user/Machine/settings.json'), JSON.stringify(settings, null, 2));
  const csEnv = {
    ...process.env,
    PATH: `${path.dirname(env.E2E_NODE)}:${process.env.PATH}`,
    XDG_CONFIG_HOME: path.join(runDir, 'xdg-config'),
    XDG_DATA_HOME: path.join(runDir, 'xdg-data'),
    XDG_CACHE_HOME: path.join(runDir, 'xdg-cache'),
    XDG_STATE_HOME: path.join(runDir, 'xdg-state'),
    ...extraEnv,
  };
  if (isolateHome) {
    // A HOME of its own (ssh's ControlPath ~/.ssh/… must stay under 108 bytes: keep it short, in /tmp).
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kue2e-'));
    fs.mkdirSync(path.join(home, '.ssh'), { mode: 0o700 });
    csEnv.HOME = home;
    onCleanup(() => fs.rmSync(home, { recursive: true, force: true }));
  }
  for (const k of ['KUBECONFIG', 'npm_config_nodedir', 'NODE_OPTIONS', 'ELECTRON_RUN_AS_NODE', 'VSCODE_IPC_HOOK_CLI']) delete csEnv[k];
  const bin = path.join(env.CODE_SERVER, 'out/node/entry.js');
  const common = ['--auth', 'none', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override', '--ignore-last-opened', '--config', path.join(runDir, 'config.yaml'),
    '--user-data-dir', path.join(runDir, 'user'), '--extensions-dir', path.join(runDir, 'extensions')];
  // Another extension a suite runs ours beside (the Kubernetes extension: test/e2e/k8sExtension.mjs), then ours.
  for (const file of [...otherVsixes, ...(vsix ? [vsix] : [])]) {
    log(`code-server: --install-extension ${path.relative(REPO, file)}`);
    // A reused run folder keeps the last install: --force replaces an extension of the same version.
    const r = spawnSync(env.E2E_NODE, [bin, ...common, '--install-extension', file, '--force'], { env: csEnv, encoding: 'utf8' });
    if (r.status !== 0 || !/successfully installed/.test(r.stdout)) throw new Error(`code-server --install-extension failed:\n${r.stdout}\n${r.stderr}`);
  }
  port ??= await freePort();
  const logFile = path.join(runDir, 'code-server.log');
  const out = fs.openSync(logFile, 'a');
  const args = [bin, ...common, '--bind-addr', `127.0.0.1:${port}`, ...(smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []), folder];
  const child = spawn(env.E2E_NODE, args, { env: csEnv, stdio: ['ignore', out, out], detached: true });
  fs.closeSync(out);
  const pid = child.pid;
  let stopped = false;
  const kill = (sig) => { try { process.kill(-pid, sig); } catch { /* gone */ } };
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    kill('SIGTERM');
    for (let i = 0; i < 50 && groupAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    if (groupAlive(pid)) kill('SIGKILL');
    // The extension host and pty hosts are children that may have left the group: kill what still names runDir.
    for (const p of processesMentioning(runDir)) { try { process.kill(p, 'SIGKILL'); } catch { /* gone */ } }
  };
  onCleanup(stop);
  syncKills.add(() => { if (!stopped) { kill('SIGKILL'); for (const p of processesMentioning(runDir)) { try { process.kill(p, 'SIGKILL'); } catch { /* gone */ } } } });
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`code-server exited (${child.exitCode}); see ${logFile}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.ok) break;
    } catch { /* not yet */ }
    if (i > 600) throw new Error(`code-server did not answer on port ${port}; see ${logFile}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  log(`code-server: ${url} (pid ${pid}, log ${logFile})`);
  return { url, port, runDir, folder, pid, logFile, stop, origin: `http://127.0.0.1:${port}` };
}

function groupAlive(pgid) {
  try { process.kill(-pgid, 0); return true; } catch { return false; }
}

/** PIDs (not ours) whose command line or environment mentions text: code-server's stragglers. */
export function processesMentioning(text) {
  const pids = [];
  for (const p of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(p) || Number(p) === process.pid) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${p}/cmdline`, 'utf8');
      const env = fs.readFileSync(`/proc/${p}/environ`, 'utf8');
      if (cmd.includes(text) || env.includes(text)) pids.push(Number(p));
    } catch { /* exited or not readable */ }
  }
  return pids;
}
