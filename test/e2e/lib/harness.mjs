// A tiny sequential test harness for the e2e layers (each test needs the state the previous one left: one browser
// page, one sandbox). Prints node:test-like lines and a closing summary.
export class Suite {
  constructor(name) {
    this.name = name;
    this.tests = [];
    this.results = [];
  }

  test(name, fn, { skip = false } = {}) {
    this.tests.push({ name, fn, skip });
  }

  /** Runs the tests in order; onFailure(name, error) runs after a failing test (e.g. a screenshot). */
  async run({ onFailure, stopOnFailure = false } = {}) {
    console.log(`# ${this.name}`);
    let stop = false;
    for (const t of this.tests) {
      if (t.skip || stop) {
        this.results.push({ suite: this.name, name: t.name, status: 'skipped', reason: stop ? 'an earlier test failed' : String(t.skip) });
        console.log(`  - ${t.name} (skipped${stop ? ': an earlier test failed' : typeof t.skip === 'string' ? `: ${t.skip}` : ''})`);
        continue;
      }
      const t0 = Date.now();
      try {
        await t.fn();
        const ms = Date.now() - t0;
        this.results.push({ suite: this.name, name: t.name, status: 'passed', ms });
        console.log(`  ✔ ${t.name} (${ms} ms)`);
      } catch (e) {
        const ms = Date.now() - t0;
        this.results.push({ suite: this.name, name: t.name, status: 'failed', ms, error: e?.stack ?? String(e) });
        console.log(`  ✖ ${t.name} (${ms} ms)\n${indent(e?.stack ?? String(e))}`);
        if (onFailure) await onFailure(t.name, e).catch(() => {});
        if (stopOnFailure) stop = true;
      }
    }
    return this.results;
  }
}

const indent = (s) => String(s).split('\n').slice(0, 20).map((l) => `      ${l}`).join('\n');

export function summary(results) {
  const n = (s) => results.filter((r) => r.status === s).length;
  return { passed: n('passed'), failed: n('failed'), skipped: n('skipped'), total: results.length };
}

export function printSummary(results, ms) {
  const s = summary(results);
  for (const r of results.filter((x) => x.status === 'failed')) console.log(`  failed: ${r.suite} › ${r.name}`);
  console.log(`# tests ${s.total}\n# pass ${s.passed}\n# fail ${s.failed}\n# skipped ${s.skipped}\n# duration_ms ${ms}`);
  console.log(`${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped`);
  return s;
}

export function assert(cond, msg) {
  if (!cond) throw new Error(`assertion failed: ${msg}`);
}

/** An error that stops waitUntil at once instead of retrying. */
export const fatal = (msg) => Object.assign(new Error(msg), { fatal: true });

export async function waitUntil(what, fn, timeoutMs = 30_000, everyMs = 250) {
  const end = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      if (e?.fatal) throw e;
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last.message}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
