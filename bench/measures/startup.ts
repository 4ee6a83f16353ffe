// Start-up costs, from the production bundles: `require('dist/extension.js')` with a stand-in `vscode` module (the
// part of activation the bundle decides), the activation bundle's size, and `kubeadm-upgrade --help`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { childReport, timeProcess } from '../lib/proc';
import { row, type Row } from '../lib/report';
import { alternate, summarize } from '../lib/stats';

const ROOT = path.resolve(__dirname, '..', '..');
const STUB = path.join(ROOT, 'bench', 'lib', 'vscode-stub.cjs');
const dist = (f: string) => path.join(ROOT, 'dist', f);
const REQUIRE_TIMED = `const t=process.hrtime.bigint();require(${JSON.stringify(dist('extension.js'))});console.log(JSON.stringify({ms:Number(process.hrtime.bigint()-t)/1e6}))`;
const EMPTY_TIMED = `const t=process.hrtime.bigint();console.log(JSON.stringify({ms:Number(process.hrtime.bigint()-t)/1e6}))`;

export async function startup(runs: number): Promise<Row[]> {
  const rows: Row[] = [];
  // Activation: the require inside the process, and the whole process against `node -e 0` (both with the stub).
  const requireMs: number[] = [];
  const [withExt, bare] = await alternate(
    runs,
    async () => {
      const t0 = process.hrtime.bigint();
      requireMs.push(childReport<{ ms: number }>(process.execPath, ['-r', STUB, '-e', REQUIRE_TIMED]).ms);
      return Number(process.hrtime.bigint() - t0) / 1e6;
    },
    async () => {
      const t0 = process.hrtime.bigint();
      childReport<{ ms: number }>(process.execPath, ['-r', STUB, '-e', EMPTY_TIMED]);
      return Number(process.hrtime.bigint() - t0) / 1e6;
    },
  );
  const req = summarize(requireMs, 'ms');
  rows.push(
    row({
      id: 'activation-require',
      measure: 'activation: require(dist/extension.js), in-process',
      ours: req,
      goal: '≤ 100 ms',
      pass: req.median <= 100,
      note: 'the time the require itself takes inside the child; ssh2, client-node and yaml load on first use (dist/vendor/)',
    }),
    row({
      id: 'activation-process',
      measure: 'activation: node + require(dist/extension.js) vs node -e 0',
      ours: summarize(withExt, 'ms'),
      baseline: summarize(bare, 'ms'),
      baselineName: 'node -e 0',
      goal: 'informational',
    }),
  );
  const size = fs.statSync(dist('extension.js')).size / 1e6;
  const vendors = fs.existsSync(dist('vendor')) ? fs.readdirSync(dist('vendor')).reduce((n, f) => n + fs.statSync(path.join(dist('vendor'), f)).size, 0) / 1e6 : 0;
  rows.push(
    row({
      id: 'activation-size',
      measure: 'activation bundle size (dist/extension.js)',
      ours: summarize([size], 'MB'),
      baseline: summarize([size + vendors], 'MB'),
      baselineName: 'everything in one bundle',
      goal: '≤ 1.5 MB',
      pass: size <= 1.5,
    }),
  );
  // CLI start: `--help` against `node -e 0`, both whole processes.
  const [cli, node0] = await alternate(
    runs,
    () => timeProcess(process.execPath, [dist('cli.js'), '--help']),
    () => timeProcess(process.execPath, ['-e', '0']),
  );
  const c = summarize(cli, 'ms');
  const n = summarize(node0, 'ms');
  rows.push(row({ id: 'cli-help', measure: 'CLI start: kubeadm-upgrade --help', ours: c, baseline: n, baselineName: 'node -e 0', goal: '≤ 1.5×', pass: c.median / n.median <= 1.5 }));
  return rows;
}
