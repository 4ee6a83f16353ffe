#!/usr/bin/env node
// npm run test:e2e — every e2e layer against fresh sandboxes, in order:
//   1. extension host (mocha inside code-server) on `mixed-skew`, then on `healthy`
//   2. UI (Playwright in Chromium) on `mixed-skew`, then the views of issue #15 on `healthy` (views.mjs), the
//      readiness report (readiness.mjs), Upgrade Cluster with a reload mid-run (clusterUpgrade.mjs), our actions in
//      the real Kubernetes extension's Clusters view (k8sExtension.mjs)
// Installs what it needs first (test/e2e/setup.sh, cached in ~/.cache/kubeadm-upgrade/e2e). Builds the .vsix
// when it is older than the sources. Screenshots and logs: test-results/e2e/. Ends with a node:test-style summary
// and "N passed, N failed"; exits 1 on any failure. Leaves nothing running (also on Ctrl-C).
//   node test/e2e/run.mjs [--only exthost|ui|views|readiness|cluster-upgrade|k8s-extension] [--update-media]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { exthostSuite } from './exthost.mjs';
import { printSummary } from './lib/harness.mjs';
import { RESULTS, buildVsix, cleanup, log, setup } from './lib/launch.mjs';
import { uiSuite } from './ui.mjs';
import { viewsSuite } from './views.mjs';
import { readinessSuite } from './readiness.mjs';
import { clusterUpgradeSuite } from './clusterUpgrade.mjs';
import { k8sExtensionSuite } from './k8sExtension.mjs';

const only = (() => { const i = process.argv.indexOf('--only'); return i > 0 ? process.argv[i + 1] : null; })();
const t0 = Date.now();
const results = [];
try {
  const env = setup();
  log(`setup done (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  const vsix = buildVsix();
  if (!only || only === 'exthost') {
    results.push(...(await exthostSuite({ env, scenario: 'mixed-skew' })));
    results.push(...(await exthostSuite({ env, scenario: 'healthy' })));
  }
  if (!only || only === 'ui') results.push(...(await uiSuite({ env, vsix, updateMedia: process.argv.includes('--update-media') })));
  if (!only || only === 'views') results.push(...(await viewsSuite({ env, vsix, updateMedia: process.argv.includes('--update-media') })));
  if (!only || only === 'readiness') results.push(...(await readinessSuite({ env, vsix, updateMedia: process.argv.includes('--update-media') })));
  if (!only || only === 'cluster-upgrade') results.push(...(await clusterUpgradeSuite({ env, vsix, updateMedia: process.argv.includes('--update-media') })));
  if (!only || only === 'k8s-extension') results.push(...(await k8sExtensionSuite({ env, vsix, updateMedia: process.argv.includes('--update-media') })));
} catch (e) {
  console.log(`  ✖ e2e setup: ${e.stack ?? e}`);
  results.push({ suite: 'e2e', name: 'setup', status: 'failed', error: String(e) });
} finally {
  await cleanup();
}
fs.mkdirSync(path.join(RESULTS, 'e2e'), { recursive: true });
fs.writeFileSync(path.join(RESULTS, 'e2e', 'results.json'), JSON.stringify(results, null, 2));
const s = printSummary(results, Date.now() - t0);
process.exit(s.failed > 0 || s.passed === 0 ? 1 : 0);
