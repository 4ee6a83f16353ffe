// Extension-host e2e: mocha inside code-server's extension host (the stand-in for @vscode/test-electron, which
// needs a download this machine cannot make). The workbench is opened with a `payload` carrying
// extensionDevelopmentPath (this repo, built) + extensionTestsPath; code-server must run with
// `--vscode-option enable-smoke-test-driver` or the payload is ignored. The exit code comes back through
// window.codeAutomationExit. Meanwhile an autopilot in the page answers the extension's modal dialogs.
//   node test/e2e/exthost.mjs [--scenario mixed-skew|healthy]
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as util from 'node:util';
import { pathToFileURL } from 'node:url';
import { printSummary } from './lib/harness.mjs';
import { REPO, RESULTS, buildVsix, cleanup, log, sandboxSettings, setup, startCodeServer, startSandbox } from './lib/launch.mjs';
import { openBrowser } from './lib/workbench.mjs';

/** Dialogs the extension asks during the tests, and the button the autopilot presses. */
const AUTOPILOT = [
  [/authenticity of host/i, 'Trust and Connect'],
  [/^Kubeadm: continue with/i, 'Continue'],
  [/^Check upgrade readiness of/i, 'Skip'],
  [/^Upgrade \S+ to v/i, 'Start Upgrade'],
  [/^(Change the package repository|Upgrade the control plane|Drain the node)/i, 'Run'],
];

const NOISE = /open-vsx|Failed to load resource|ENOTFOUND|sandbox attribute|socket|connection token|grace time|Service Worker|AgentHost|AccountPolicy|builtin extensions cache|same-origin iframe|Canceled|\[Extension Host\]|punycode|DeprecationWarning|ExperimentalWarning|trace-deprecation|Creation of workbench contribution|GL Driver Message|authentication provider|workbench\.js:\d+/;

export async function exthostSuite({ env, scenario = 'mixed-skew', timeoutMs = 600_000 }) {
  const suiteName = `extension host (mocha in code-server) on sandbox ${scenario}`;
  console.log(`# ${suiteName}`);
  const runDir = path.join(RESULTS, 'e2e', `exthost-${scenario}`);
  fs.rmSync(runDir, { recursive: true, force: true });
  const resultsFile = path.join(runDir, 'mocha-results.json');
  let sb, cs, browser;
  const failed = (name, e) => [{ suite: suiteName, name, status: 'failed', error: e?.stack ?? String(e) }];
  try {
    sb = await startSandbox(scenario, `e2e-x-${scenario}-${process.pid}`);
    cs = await startCodeServer(env, {
      settings: { ...sandboxSettings(sb, 'ssh'), 'terminal.integrated.defaultProfile.linux': 'bash', 'terminal.integrated.shellIntegration.enabled': true },
      runDir,
      smokeTestDriver: true,
      isolateHome: true,
      extraEnv: {
        SHELL: '/bin/bash',
        E2E_MOCHA: path.join(env.DRV_MODULES, 'mocha'),
        E2E_RESULTS: resultsFile,
        E2E_SANDBOX: JSON.stringify({ scenario, kubeconfig: sb.kubeconfig, sshConfig: sb.sshConfig, nodes: sb.nodes.map((n) => ({ name: n.name, role: n.role })), kubectlBin: sb.kubectlBin, repo: REPO }),
      },
    });
    browser = await openBrowser(env);
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    page.on('console', async (m) => {
      let vals = await Promise.all(m.args().map((a) => a.jsonValue().catch(() => '?')));
      if (typeof vals[0] === 'string' && vals[0].includes('%c')) {
        const n = (vals[0].match(/%c/g) || []).length;
        vals = [vals[0].replace(/%c/g, ''), ...vals.slice(1 + n)];
      }
      if (typeof vals[0] === 'string' && /^\s*(INFO|ERR|WARN|TRACE|DEBUG)$/.test(vals[0])) vals = vals.slice(1);
      const t = vals.length ? util.format(...vals) : m.text();
      const lines = t.trimEnd().split('\n').filter((l) => l.trim() && !NOISE.test(l));
      if (lines.length && !NOISE.test(lines[0])) console.log(`    | ${lines.join('\n    | ')}`);
    });
    let done;
    const exited = new Promise((r) => (done = r));
    await page.exposeFunction('codeAutomationExit', (code) => done(code));
    const remote = (p) => `vscode-remote://127.0.0.1:${cs.port}${p}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(REPO)],
      ['extensionTestsPath', remote(path.join(REPO, 'test/e2e/exthost/index.cjs'))],
    ]);
    await page.goto(`${cs.origin}/?${new URLSearchParams({ folder: cs.folder, payload })}`);
    // Autopilot: answer the extension's modal dialogs the way a user would.
    let stop = false;
    const autopilot = (async () => {
      while (!stop) {
        const box = page.locator('.monaco-dialog-box');
        if (await box.isVisible().catch(() => false)) {
          const msg = (await box.locator('.dialog-message-text').innerText().catch(() => '')).trim();
          const rule = AUTOPILOT.find(([re]) => re.test(msg));
          const button = rule ? rule[1] : 'Cancel';
          log(`autopilot: dialog "${msg.split('\n')[0]}" → ${button}`);
          await page.screenshot({ path: path.join(runDir, `dialog-${Date.now()}.png`) }).catch(() => {});
          await box.locator('.dialog-buttons .monaco-button', { hasText: button }).first().click({ timeout: 5000 }).catch((e) => log(`autopilot: ${e.message}`));
        }
        await new Promise((r) => setTimeout(r, 500));
      }
    })();
    let timer;
    const code = await Promise.race([exited, new Promise((_, rej) => { timer = setTimeout(() => rej(new Error(`no result after ${timeoutMs / 1000} s`)), timeoutMs); })])
      .finally(() => { clearTimeout(timer); stop = true; });
    await autopilot;
    await page.screenshot({ path: path.join(runDir, 'end.png') }).catch(() => {});
    log(`extension-host tests exited with ${code}`);
    if (!fs.existsSync(resultsFile)) return failed('the mocha suite ran', new Error(`exit ${code} and no ${resultsFile}: see ${cs.logFile}`));
    const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8')).map((r) => ({ ...r, suite: suiteName }));
    if (code !== 0 && !results.some((r) => r.status === 'failed')) results.push(...failed('the mocha suite exits 0', new Error(`exit ${code}`)));
    return results;
  } catch (e) {
    console.log(`  ✖ ${e.message}`);
    return failed('the extension-host suite ran', e);
  } finally {
    await browser?.close().catch(() => {});
    await cs?.stop();
    sb?.down();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (f, d) => { const i = process.argv.indexOf(f); return i > 0 ? process.argv[i + 1] : d; };
  const t0 = Date.now();
  (async () => {
    const env = setup();
    if (!process.argv.includes('--no-build')) buildVsix(); // builds dist/ too: the development path is this repo
    const results = await exthostSuite({ env, scenario: arg('--scenario', 'mixed-skew') });
    const s = printSummary(results, Date.now() - t0);
    await cleanup();
    process.exit(s.failed ? 1 : 0);
  })().catch(async (e) => { console.error(e); await cleanup(); process.exit(1); });
}
