// Every CLI command against an API server that accepts connections and never answers (#22 items 5 and 6): a TCP
// listener on 127.0.0.1 that reads nothing and writes nothing, as a hung apiserver or a half-dead load balancer
// behaves. Each command must end within 60 s with exit 2 and "cannot reach the API at …" on stderr, and with --json
// stdout must be one JSON object {"kind":"Error","message","exitCode"} (one NDJSON line for the streaming commands).
// parse-plan and explain never call the API: with --json their bad input is the same Error object, exit 2.
// Runs the built CLI (dist/cli.js: `npm test` builds it first; built here when missing).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { assertValidJsonOutput } from '../../schemas';

const CLI = path.join(__dirname, '..', '..', '..', 'dist', 'cli.js');
const LIMIT_MS = 60_000;

let server: net.Server;
const sockets: net.Socket[] = [];
let dir: string;
let kubeconfig: string;
let url: string;

before(async () => {
  // `npm test` builds before the tests; alone it may not have: build it then (as parsePlan.test.ts), never skip.
  if (!fs.existsSync(CLI)) {
    const built = spawnSync(process.execPath, ['esbuild.js'], { cwd: path.join(__dirname, '..', '..', '..'), encoding: 'utf8' });
    assert.equal(built.status, 0, `node esbuild.js failed: ${built.stderr}`);
  }
  server = net.createServer((s) => {
    sockets.push(s); // accepted, never read from, never answered
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `https://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kup-silent-'));
  kubeconfig = path.join(dir, 'config');
  fs.writeFileSync(
    kubeconfig,
    `apiVersion: v1\nkind: Config\nclusters:\n- name: silent\n  cluster: {server: "${url}", insecure-skip-tls-verify: true}\ncontexts:\n- name: silent\n  context: {cluster: silent, user: u}\ncurrent-context: silent\nusers:\n- name: u\n  user: {token: t}\n`,
  );
  // An unfinished cluster run of this context, so `resume` has something to resume and must reach the API.
  const runs = path.join(dir, 'state', 'cluster-runs');
  fs.mkdirSync(runs, { recursive: true });
  fs.writeFileSync(
    path.join(runs, 'run-1.json'),
    JSON.stringify({ kind: 'cluster-run', id: 'run-1', cluster: 'silent', target: { major: 1, minor: 32, patch: 3 }, options: {}, maxUnavailable: '1', skipSnapshot: false, overrides: [], readinessNotes: [], nodes: [], plannedBatches: [], status: 'failed', createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z' }),
  );
});
after(() => {
  for (const s of sockets) s.destroy();
  server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function cli(args: string[], input = ''): Promise<Outcome> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, KUBECONFIG: kubeconfig, HOME: dir }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), LIMIT_MS + 30_000);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr, ms: Date.now() - t0 });
    });
    child.stdin.end(input);
  });
}

const state = () => ['--state-dir', path.join(dir, 'state')];
/** Every command that talks to the API, with the arguments it needs to get that far; `json`: it takes --json. */
const API_COMMANDS: { args: () => string[]; json: boolean }[] = [
  { args: () => ['skew', '--kubeconfig', kubeconfig], json: true },
  { args: () => ['verify', '--to', 'v1.32.3', ...state()], json: true },
  { args: () => ['upgrade-cluster', '--to', 'v1.32.3', '--yes', ...state()], json: true },
  { args: () => ['resume', '--yes', ...state()], json: true },
  { args: () => ['plan'], json: true },
  { args: () => ['preflight', '--to', 'v1.32.3'], json: true },
  { args: () => ['snapshot-etcd', '--out', path.join(dir, 'snapshots')], json: true },
  { args: () => ['upgrade-node', 'cp-1', '--to', 'v1.32.3', '--yes', ...state()], json: false },
  { args: () => ['drain', 'cp-1'], json: false },
  { args: () => ['cordon', 'cp-1'], json: false },
  { args: () => ['uncordon', 'cp-1'], json: false },
];

function assertUnreachable(name: string, r: Outcome): void {
  assert.ok(r.ms < LIMIT_MS, `${name}: ended after ${r.ms} ms`);
  assert.equal(r.code, 2, `${name}: exit ${r.code}\n${r.stderr}`);
  assert.ok(r.stderr.includes(`cannot reach the API at ${url} (context silent): `), `${name}: ${r.stderr}`);
}

test('every command that uses the API: ends within 60 s, exit 2, "cannot reach the API at …"; with --json one Error object on stdout', { timeout: 300_000 }, async () => {
  const runs = await Promise.all(
    API_COMMANDS.flatMap((c) => [
      cli(c.args()).then((r) => ({ name: c.args()[0]!, json: false, r })),
      ...(c.json ? [cli([...c.args(), '--json']).then((r) => ({ name: `${c.args()[0]!} --json`, json: true, r }))] : []),
    ]),
  );
  for (const { name, json, r } of runs) {
    assertUnreachable(name, r);
    if (!json) continue;
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 1, `${name}: one JSON line on stdout, got ${JSON.stringify(r.stdout)}`);
    assertValidJsonOutput(lines[0]!, 'Error'); // its JSON Schema (schemas/v1)
    const e = JSON.parse(lines[0]!) as { apiVersion: string; kind: string; message: string; exitCode: number; reason: string };
    assert.equal(e.kind, 'Error', name);
    assert.equal(e.apiVersion, 'kubeadm-upgrade/v1');
    assert.equal(e.exitCode, 2, name);
    assert.equal(e.reason, 'api-unreachable', name);
    assert.ok(e.message.startsWith(`cannot reach the API at ${url} (context silent): `), `${name}: ${e.message}`);
  }
  const names = new Set(runs.map((x) => x.name.split(' ')[0]));
  assert.equal(names.size, API_COMMANDS.length);
});

test('the offline commands (parse-plan, explain) with --json: bad input is the same Error object, exit 2', async () => {
  for (const command of ['parse-plan', 'explain']) {
    const r = await cli([command, path.join(dir, 'missing.txt'), '--json']);
    assert.equal(r.code, 2, `${command}: ${r.stderr}`);
    assertValidJsonOutput(r.stdout, 'Error');
    const e = JSON.parse(r.stdout) as { kind: string; exitCode: number; reason: string; message: string };
    assert.deepEqual({ kind: e.kind, exitCode: e.exitCode, reason: e.reason }, { kind: 'Error', exitCode: 2, reason: 'usage' });
    assert.match(e.message, /missing\.txt: no such file/);
  }
});

test('a command that fails without printing JSON itself still leaves one Error object on stdout (resume with nothing to resume: exit 1)', async () => {
  const empty = path.join(dir, 'empty-state');
  const r = await cli(['resume', '--json', '--state-dir', empty]);
  assert.equal(r.code, 1, r.stderr);
  assertValidJsonOutput(r.stdout, 'Error');
  const e = JSON.parse(r.stdout) as { kind: string; exitCode: number; message: string };
  assert.equal(e.kind, 'Error');
  assert.equal(e.exitCode, 1);
  assert.match(e.message, /^no unfinished cluster run for silent in /);
});
