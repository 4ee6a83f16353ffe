// The extension ships as an esbuild bundle with ssh2's native helpers left out (esbuild.js: external cpu-features and
// sshcrypto.node). Bundle the SSH executor the same way, run it with plain node outside the repo, and log in.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';
import { clientFor, type Client } from './fixture';
import { Sshd, tmpDir } from './sshd';

// The externals of the extension's own build, read from esbuild.js rather than typed again here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { nodeExternals } = require('../../../esbuild.js') as { nodeExternals: string[] };

let sshd: Sshd;
let client: Client;
let out: string;

before(async () => {
  sshd = await Sshd.start();
  client = clientFor(sshd);
  out = tmpDir('kup-bundle-');
});
after(async () => {
  await sshd?.stop();
  client?.cleanup();
  fs.rmSync(out, { recursive: true, force: true });
});

test('bundled like the extension (no native ssh2 helpers), the executor still connects and runs', async () => {
  const outfile = path.join(out, 'bundle.js');
  await build({
    entryPoints: [path.join(__dirname, 'bundleEntry.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'silent',
    external: nodeExternals,
  });
  const r = spawnSync(process.execPath, [outfile], {
    cwd: out,
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, NODE_PATH: '', KUP_BUNDLE_TEST: JSON.stringify({ configFile: client.configFile, home: client.home }) },
  });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { exitCode: 2, stdout: 'bundled\n', stderr: '', native: [] });
});
