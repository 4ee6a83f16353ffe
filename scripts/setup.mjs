#!/usr/bin/env node
// One-time set-up that `npm test`, `npm run test:integration` and `npm run demo` run first, before any test
// timeout starts, so a fresh clone on a fresh machine needs nothing but the README's two commands.
// Node built-ins only: it runs before node_modules exists.
//   node scripts/setup.mjs deps       node_modules matches package-lock.json (npm ci otherwise)
//   node scripts/setup.mjs sandbox    + the sandbox's Debian packages and binaries (built from the Go module proxy)
//   node scripts/setup.mjs realcp     + the real-control-plane scenario's packages, binaries, images (as root)
//   node scripts/setup.mjs realha     + the real-ha scenario's Debian root, kubectl 1.N-1, signed package repository
//   node scripts/setup.mjs e2e        + code-server, Node 24, Chromium, playwright-core, the Kubernetes extension's
//                                       .vsix built from its source (test/e2e/setup.sh)
//   node scripts/setup.mjs all        all of the above (npm test)
// Every piece is cached (node_modules, ~/.cache/kubeadm-upgrade/…): a warm run takes about a second.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const t0 = Date.now();
const log = (m) => process.stderr.write(`[setup +${((Date.now() - t0) / 1000).toFixed(0)}s] ${m}\n`);

/** Runs a step with its output shown (progress lines of long builds), failing loudly. */
function step(what, cmd, args, opts = {}) {
  log(what);
  const r = spawnSync(cmd, args, { cwd: REPO, stdio: ['ignore', 'inherit', 'inherit'], ...opts });
  if (r.status !== 0) {
    log(`FAILED: ${what} (${cmd} ${args.join(' ')} exited ${r.status ?? r.signal})`);
    process.exit(1);
  }
}

/** npm ci when node_modules is missing or older than package-lock.json (npm writes .package-lock.json last). */
function ensureDeps() {
  const lock = path.join(REPO, 'package-lock.json');
  const installed = path.join(REPO, 'node_modules', '.package-lock.json');
  if (fs.existsSync(installed) && fs.statSync(installed).mtimeMs >= fs.statSync(lock).mtimeMs) return;
  step('npm ci (node_modules missing or older than package-lock.json)', 'npm', ['ci', '--no-audit', '--no-fund']);
}

function ensureSandbox() {
  // The sandbox CLI's `build`: Debian packages (openssh-server, util-linux) and every binary, one at a time,
  // printing a line per binary. ~15 minutes the first time on 2 cores; instant when cached.
  step('sandbox: packages and binaries (first run on a machine: ~15 min; cached afterwards)',
    path.join(REPO, 'node_modules', '.bin', 'tsx'), [path.join(REPO, 'test', 'sandbox', 'cli.ts'), 'build']);
}

function ensureRealNode() {
  // The real-control-plane scenario (test/realcp): Debian's containerd, runc, CNI plugins, the real node's binaries
  // (~7 min the first time on 2 cores after the sandbox's build, CoreDNS included; 43 min under heavy load) and images. Only as root; otherwise it prints why its
  // tests will be skipped. Cached afterwards.
  step('sandbox: the real control plane (as root; first run on a machine: ~7 min, more on a busy one; cached afterwards)',
    path.join(REPO, 'node_modules', '.bin', 'tsx'), [path.join(REPO, 'test', 'sandbox', 'cli.ts'), 'build', '--real-node']);
}

function ensureRealHa() {
  // The real-ha scenario (test/realha): on top of the real control plane's pieces, one debootstrapped Debian root
  // (~1-4 min the first time, from Debian's mirror), kubectl at K8S_OLD (~3 min) and the signed repository of
  // kubeadm/kubelet/kubectl/cri-tools/kubernetes-cni .debs (seconds). Only as root. Cached afterwards.
  step('sandbox: real HA cluster pieces (as root; first run on a machine: ~5-8 min after the real control plane; cached afterwards)',
    path.join(REPO, 'node_modules', '.bin', 'tsx'), [path.join(REPO, 'test', 'sandbox', 'cli.ts'), 'build', '--real-node', '--real-ha']);
}

function ensureE2e() {
  // stdout carries KEY=VALUE lines for the e2e launcher; here only the progress on stderr matters.
  step('e2e tools: Node 24, code-server, Chromium, playwright-core, the Kubernetes extension .vsix (first run: ~5 min, plus the Kubernetes extension build: 4 CPU-minutes, 17 min measured on a loaded machine; cached afterwards)',
    'bash', [path.join(REPO, 'test', 'e2e', 'setup.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
}

const what = process.argv[2] ?? 'all';
if (!['deps', 'sandbox', 'realcp', 'realha', 'e2e', 'all'].includes(what)) {
  console.error('usage: node scripts/setup.mjs deps|sandbox|realcp|realha|e2e|all');
  process.exit(2);
}
ensureDeps();
if (['sandbox', 'realcp', 'realha', 'all'].includes(what)) ensureSandbox();
if (what === 'realcp') ensureRealNode();
// The real HA cluster's pieces include the real control plane's (one `build --real-node --real-ha`).
if (what === 'realha' || what === 'all') ensureRealHa();
if (what === 'e2e' || what === 'all') ensureE2e();
if (Date.now() - t0 > 3000) log('set-up done');
