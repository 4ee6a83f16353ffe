// The CLI on its own (#30 item 3): `npm pack` gives a tarball (its prepack builds the production bundle), and
// `npm install -g` of that tarball, offline, in a clean folder with its own prefix, home and npm cache, gives a `kubeadm-upgrade` that
// runs with Node alone — its version, and a real read of the sandbox's apiserver (the lazily loaded client-node
// bundle) whose JSON validates against the schema the tarball ships.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { useSandboxWithDir } from '../sandbox';
import { assertValidJsonOutput } from '../../schemas';

const ROOT = path.join(__dirname, '..', '..', '..');
const VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const { sb, dir: folder } = useSandboxWithDir('apt', 'kup-packed-');

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: 600_000 });
  return { code: r.status, out: r.stdout ?? '', err: `${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

test('npm pack → npm install -g from the tarball in a clean folder → a kubeadm-upgrade that runs with Node alone', { timeout: 900_000 }, () => {
  const dir = folder();
  const packed = run('npm', ['pack', '--pack-destination', dir, '--json'], ROOT);
  assert.equal(packed.code, 0, packed.err);
  const [info] = JSON.parse(packed.out.slice(packed.out.indexOf('['))) as { filename: string; files: { path: string }[] }[];
  const files = info!.files.map((f) => f.path).sort();
  assert.ok(files.includes('dist/cli.js') && files.includes('dist/vendor/client-node.js') && files.includes('schemas/v1/SkewReport.schema.json'), files.join('\n'));
  assert.deepEqual(files.filter((f) => /^(src|test|node_modules|webview|media)\/|^dist\/(extension|webview)\.js|\.vsix$|\.map$/.test(f)), [], 'only the CLI is packed');

  // The runtime libraries are bundled (devDependencies): the tarball depends on nothing, so it installs offline.
  const manifest = JSON.parse(run('tar', ['-xzOf', path.join(dir, info!.filename), 'package/package.json'], dir).out) as { dependencies?: object };
  assert.deepEqual(manifest.dependencies ?? {}, {}, 'nothing to fetch at install time');

  // A clean folder: its own global prefix, home and empty npm cache, offline; PATH with Node (and npm beside it) only.
  const clean = path.join(dir, 'clean');
  fs.mkdirSync(path.join(clean, 'home'), { recursive: true });
  const env = { PATH: `${path.join(clean, 'prefix', 'bin')}:${path.dirname(process.execPath)}:/usr/bin:/bin`, HOME: path.join(clean, 'home'), npm_config_cache: path.join(clean, 'npm-cache') };
  const installed = run('npm', ['install', '-g', '--prefix', path.join(clean, 'prefix'), '--offline', '--no-audit', '--no-fund', path.join(dir, info!.filename)], clean, env);
  assert.equal(installed.code, 0, installed.err);
  const bin = path.join(clean, 'prefix', 'bin', 'kubeadm-upgrade');
  assert.ok(fs.existsSync(bin), 'npm put kubeadm-upgrade on the prefix\'s bin');

  const version = run(bin, ['--version'], clean, env);
  assert.equal(version.code, 0, version.err);
  assert.equal(version.out.trim(), `kubeadm-upgrade ${VERSION}`);

  const skew = run(bin, ['skew', '--kubeconfig', sb.kubeconfig, '--json'], clean, env);
  assert.ok(skew.code === 0 || skew.code === 1, `exit ${skew.code}: ${skew.err}`);
  const [report] = assertValidJsonOutput(skew.out, 'SkewReport') as unknown as { apiserverVersions: string[] }[];
  const server = (JSON.parse(sb.kubectl('version', '-o', 'json')) as { serverVersion: { gitVersion: string } }).serverVersion.gitVersion;
  assert.deepEqual(report!.apiserverVersions, [server], 'read from the sandbox\'s apiserver');
});
