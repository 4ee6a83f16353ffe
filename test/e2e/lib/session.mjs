// The head and tail every Playwright suite shares: a sandbox, code-server with the extension pointed at it, Chromium
// on the workbench; then the suite's tests (a screenshot on each failure), --keep-open, and everything stopped.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { printSummary } from './harness.mjs';
import { buildVsix, cleanup, log, sandboxSettings, setup, startCodeServer, startSandbox } from './launch.mjs';
import { slug } from './drive.mjs';
import { Workbench, openBrowser } from './workbench.mjs';

/**
 * Fills `session` with { sb, cs, browser, wb } (a mutable object: the suite's first test opens it, the tail closes
 * whatever got opened). `between(session)` runs after code-server is up and before the browser opens; `settings(sb)`
 * gives the user settings (default: the extension pointed at the sandbox, ssh executor).
 */
export async function openSession(session, env, { vsix, otherVsixes = [], scenario, name, runDir, shots, extraEnv = {}, settings = (sb) => sandboxSettings(sb, 'ssh'), between }) {
  session.sb = await startSandbox(scenario, name);
  session.cs = await startCodeServer(env, { vsix, otherVsixes, settings: settings(session.sb), runDir, extraEnv });
  if (between) await between(session);
  session.browser = await openBrowser(env);
  session.wb = await Workbench.open(session.browser, session.cs.url, shots);
  return session;
}

/** Runs the suite's tests, then (unless --keep-open) closes the browser, code-server and the sandbox. */
export async function runAndClose(suite, session, { keepOpen = false, stopOnFailure = false } = {}) {
  const results = await suite.run({ stopOnFailure, onFailure: async (name) => { if (session.wb) await session.wb.shot(`failure-${slug(name)}`); } });
  if (keepOpen && session.cs) {
    log(`--keep-open: ${session.cs.url} (Ctrl-C to stop)`);
    await new Promise(() => {});
  }
  await session.browser?.close().catch(() => {});
  await session.cs?.stop();
  session.sb?.down();
  return results;
}

/**
 * `node test/e2e/SUITE.mjs [--vsix F] [--update-media] [--keep-open] [--scenario S]`: runs one suite on its own when
 * its file is the script node was started with. `run({ env, vsix, updateMedia, keepOpen, arg })` returns its results.
 */
export function runIfMain(metaUrl, run) {
  if (metaUrl !== pathToFileURL(path.resolve(process.argv[1])).href) return;
  const arg = (f, d) => { const i = process.argv.indexOf(f); return i > 0 ? process.argv[i + 1] : d; };
  const t0 = Date.now();
  (async () => {
    const env = setup();
    const vsix = arg('--vsix', null) ?? buildVsix();
    const results = await run({ env, vsix, updateMedia: process.argv.includes('--update-media'), keepOpen: process.argv.includes('--keep-open'), arg });
    const s = printSummary(results, Date.now() - t0);
    await cleanup();
    process.exit(s.failed > 0 || s.passed === 0 ? 1 : 0);
  })().catch(async (e) => { console.error(e); await cleanup(); process.exit(1); });
}
