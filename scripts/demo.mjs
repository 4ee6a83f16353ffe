#!/usr/bin/env node
// npm run demo [-- --scenario mixed-skew|healthy|... --execution ssh|terminal --port N]
// A sandbox cluster and VS Code (code-server, in your browser) with the extension installed and pointed at it.
// Ctrl-C stops everything: code-server and its extension host, then the sandbox.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO, buildVsix, cleanup, elapsed, log, onCleanup, sandboxSettings, setup, startCodeServer, startSandbox } from '../test/e2e/lib/launch.mjs';

const arg = (flag, def) => { const i = process.argv.indexOf(flag); return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : def; };
const scenario = arg('--scenario', 'mixed-skew');
const execution = arg('--execution', 'ssh');
const port = process.argv.includes('--port') ? Number(arg('--port', '0')) : undefined;

/** Sandboxes left by a demo that was killed with SIGKILL (its pid is gone): take them down first. */
function downStaleDemos() {
  const root = process.env.KUBEADM_UPGRADE_SANDBOX_DIR || path.join(os.tmpdir(), 'kubeadm-upgrade-sandbox');
  if (!fs.existsSync(root)) return;
  for (const name of fs.readdirSync(root)) {
    const m = /^demo-(\d+)$/.exec(name);
    if (!m) continue;
    try { process.kill(Number(m[1]), 0); continue; } catch { /* owner gone */ }
    log(`taking down the stale sandbox ${name} of an earlier demo`);
    spawnSync(path.join(REPO, 'node_modules/.bin/tsx'), [path.join(REPO, 'test/sandbox/cli.ts'), 'down', '--name', name], { stdio: 'inherit', cwd: REPO });
  }
}

async function main() {
  // node_modules, the sandbox's binaries and the e2e tools were set up by scripts/setup.mjs (npm run demo).
  const env = setup();
  downStaleDemos();
  const vsix = buildVsix();
  const sb = await startSandbox(scenario, `demo-${process.pid}`);
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeadm-upgrade-demo-'));
  onCleanup(() => fs.rmSync(runDir, { recursive: true, force: true }));
  const settings = sandboxSettings(sb, execution);
  // An empty workspace (not this repo's sources), with the Kubeadm view expanded and focused when the window opens.
  const cs = await startCodeServer(env, { vsix, settings, runDir, port, extraEnv: { KUBEADM_UPGRADE_FOCUS_VIEW: '1' } });

  // Desktop VS Code: a profile of its own with the same settings, the extension from source (npm run build).
  const code = spawnSync('sh', ['-c', 'command -v code'], { encoding: 'utf8' }).stdout.trim();
  let desktop = '';
  if (code) {
    const profile = path.join(runDir, 'desktop-profile');
    fs.mkdirSync(path.join(profile, 'User'), { recursive: true });
    fs.writeFileSync(path.join(profile, 'User/settings.json'), JSON.stringify(settings, null, 2));
    desktop = `\n  Desktop VS Code, same sandbox (extension from source; run \`npm run build\` first):\n    code --user-data-dir ${profile} --extensionDevelopmentPath=${REPO} ${REPO}\n`;
  }
  const lines = [
    '',
    `  Kubeadm Upgrade demo is up (${elapsed()}): sandbox "${sb.name}", scenario ${scenario}, execution ${execution}`,
    '',
    `  Open in your browser:  ${cs.url}`,
    '  (the "Kubeadm Clusters" view opens focused; right-click a node → Upgrade Node…; F1 → "Kubeadm: Plan Upgrade")',
    '',
    `  kubectl --kubeconfig ${sb.kubeconfig} get nodes -o wide`,
    ...(sb.sshConfig ? [`  ssh -F ${sb.sshConfig} ${sb.nodes[0].name} kubeadm version -o short`] : []),
    desktop,
    '  Press Ctrl-C to stop everything (code-server, its extension host and the sandbox).',
    '',
  ];
  console.log(lines.join('\n'));
  setInterval(() => {}, 1 << 30); // until a signal: launch.mjs's handlers clean up and exit
}

main().catch(async (e) => {
  log(`demo failed: ${e.message}`);
  await cleanup();
  process.exit(1);
});
