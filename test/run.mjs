// Runs node's test runner (with tsx) on every *.test.ts under the given folders (or the given files). Node 20's --test takes no globs.
//   --sandbox-sweep   the tests' sandboxes live in a folder of this run's own; afterwards every sandbox still up
//                     there is taken down and any process still running from it is killed and named. A `before` hook that
//                     times out while its sandbox is coming up never reaches its `after`: this is what stops it.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, mkdirSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const sweep = args.includes('--sandbox-sweep');
const flags = args.filter((a) => a.startsWith('--') && a !== '--sandbox-sweep');
const dirs = args.filter((a) => !a.startsWith('--'));

function find(dir) {
  if (!statSync(dir).isDirectory()) return dir.endsWith('.test.ts') ? [dir] : [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return find(p);
    return p.endsWith('.test.ts') ? [p] : [];
  });
}

const files = dirs.flatMap(find).sort();
if (files.length === 0) {
  console.error(`no *.test.ts under ${dirs.join(', ')}`);
  process.exit(1);
}

const env = { ...process.env };
let runRoot = null;
if (sweep) {
  // Short path (sshd and etcd put sockets in it) that the unprivileged sandbox user can traverse.
  const base = process.env.KUBEADM_UPGRADE_SANDBOX_DIR || join(tmpdir(), 'kubeadm-upgrade-sandbox');
  runRoot = join(base, `run-${process.pid}`);
  mkdirSync(base, { recursive: true, mode: 0o755 });
  mkdirSync(runRoot, { recursive: true, mode: 0o755 });
  env.KUBEADM_UPGRADE_SANDBOX_DIR = runRoot;
}

const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', ...flags, ...files], { stdio: 'inherit', env });
let status = r.status ?? 1;
if (runRoot) status = teardown(runRoot) ? status : 1;
process.exit(status);

/** Takes down what the tests left up; true when nothing of this run is still running afterwards. */
function teardown(root) {
  const left = existsSync(root) ? readdirSync(root).filter((n) => existsSync(join(root, n, 'state.json'))) : [];
  for (const name of left) {
    console.log(`# teardown: sandbox "${name}" was still up after the tests; taking it down`);
    spawnSync(join(REPO, 'node_modules', '.bin', 'tsx'), [join(REPO, 'test', 'sandbox', 'cli.ts'), 'down', '--name', name],
      { stdio: 'inherit', env });
  }
  // Whatever outlived `down` (a test killed mid-way, an sshd child) is killed here and named, so the run never
  // leaves a process behind; only one that survives SIGKILL fails the run.
  const stray = processesUnder(root);
  for (const p of stray) { try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ } }
  if (stray.length) {
    console.log(`# teardown: ${stray.length} process(es) of this test run outlived sandbox down; killed:`);
    for (const p of stray) console.log(`#   pid ${p.pid}: ${p.cmd}`);
  }
  const deadline = Date.now() + 5000;
  let survivors = stray;
  while (survivors.length && Date.now() < deadline) {
    spawnSync('sleep', ['0.2']);
    survivors = processesUnder(root);
  }
  if (survivors.length) console.log(`# teardown: FAILED: still running after SIGKILL: ${survivors.map((p) => p.pid).join(', ')}`);
  rmSync(root, { recursive: true, force: true });
  return survivors.length === 0;
}

function processesUnder(root) {
  const out = [];
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p) || Number(p) === process.pid) continue;
    try {
      const envText = readFileSync(`/proc/${p}/environ`, 'utf8');
      const cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8');
      // Everything started by the tests inherits the run's KUBEADM_UPGRADE_SANDBOX_DIR; sshd and restarted
      // apiservers name a path under it. The runner's own children have all exited by now.
      if (envText.includes(`=${root}\0`) || envText.includes(`=${root}/`) || cmd.includes(`${root}/`)) {
        out.push({ pid: Number(p), cmd: cmd.replace(/\0/g, ' ').trim().slice(0, 200) });
      }
    } catch { /* exited, or not readable */ }
  }
  return out;
}
