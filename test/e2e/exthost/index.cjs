/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: the extension host require()s extensionTestsPath */
// extensionTestsPath for code-server's extension host: runs the mocha suite, writes a JSON result file for the
// driver (test/e2e/exthost.mjs) and resolves/rejects so the workbench reports the exit code.
// mocha comes from the e2e cache (E2E_MOCHA), not from the repo's dependencies.
const path = require('node:path');
const fs = require('node:fs');

exports.run = async function run() {
  const Mocha = require(process.env.E2E_MOCHA);
  const mocha = new Mocha({ ui: 'bdd', timeout: 240_000, color: false, reporter: 'spec' });
  mocha.addFile(path.join(__dirname, 'extension.test.cjs'));
  const results = [];
  await new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      if (process.env.E2E_RESULTS) fs.writeFileSync(process.env.E2E_RESULTS, JSON.stringify(results, null, 2));
      if (failures) reject(new Error(`${failures} test(s) failed`));
      else resolve();
    });
    runner.on('pass', (t) => results.push({ name: t.fullTitle(), status: 'passed', ms: t.duration }));
    runner.on('fail', (t, err) => results.push({ name: t.fullTitle(), status: 'failed', error: String(err && (err.stack || err)) }));
    runner.on('pending', (t) => results.push({ name: t.fullTitle(), status: 'skipped' }));
  });
};
