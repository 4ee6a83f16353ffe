// The CI examples (#30 item 2) run as a pipeline would run them, against the sandbox's real apiserver and sshd, with
// `kubeadm-upgrade` on PATH (the built CLI): examples/preflight.sh exits as preflight does (1 with blockers, each with
// its fix in the log, else 0) and 2 when the API cannot be reached; examples/upgrade-cluster.sh turns the NDJSON events
// into a readable log and exits 1 when the run is refused (a target two minors away), before any change.
// The JSON each leaves behind validates against schemas/v1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { useSandbox, SANDBOX_TARGET } from '../sandbox';
import { assertValidJsonOutput } from '../../schemas';

const ROOT = path.join(__dirname, '..', '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
let dir: string;
let bin: string;

const sb = useSandbox('apt', {
  setUp: () => {
    if (!fs.existsSync(CLI)) {
      const built = spawnSync(process.execPath, ['esbuild.js'], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(built.status, 0, `node esbuild.js failed: ${built.stderr}`);
    }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kup-examples-'));
    bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    // `kubeadm-upgrade` on PATH, as `npm install -g` puts it there.
    fs.writeFileSync(path.join(bin, 'kubeadm-upgrade'), `#!/bin/sh\nexec '${process.execPath}' '${CLI}' "$@"\n`, { mode: 0o755 });
  },
  tearDown: () => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  },
});

function example(script: string, env: Record<string, string>, ...args: string[]) {
  const r = spawnSync('sh', [path.join(ROOT, 'examples', script), ...args], {
    cwd: dir, encoding: 'utf8', timeout: 600_000,
    env: { ...process.env, PATH: `${bin}:${process.env['PATH']}`, HOME: dir, XDG_STATE_HOME: path.join(dir, 'state'), ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const conn = () => ['--kubeconfig', sb.kubeconfig, '--ssh-config', sb.sshConfig!, '--accept-new-host-keys'];

test('examples/preflight.sh: exits 1 with blockers (each in the log) and 0 without; the report validates', { timeout: 600_000 }, () => {
  const r = example('preflight.sh', { TARGET: SANDBOX_TARGET, REPORT: 'readiness.json' }, ...conn());
  const [doc] = assertValidJsonOutput(fs.readFileSync(path.join(dir, 'readiness.json'), 'utf8'), 'Readiness');
  const checks = doc!['checks'] as { id: string; severity: string; fix: string }[];
  const blockers = checks.filter((c) => c.severity === 'blocker');
  assert.equal(r.code, blockers.length > 0 ? 1 : 0, `${r.out}\n${r.err}`);
  assert.ok(r.out.includes(`Upgrade readiness for ${SANDBOX_TARGET}: ${blockers.length} blocker(s), ${checks.filter((c) => c.severity === 'warning').length} warning(s)`), r.out);
  for (const c of checks.filter((x) => x.severity === 'blocker' || x.severity === 'warning')) assert.ok(r.out.includes(`${c.severity.toUpperCase()} ${c.id}`), `${c.id} in the log:\n${r.out}`);
  assert.match(blockers.length > 0 ? r.err : r.out, blockers.length > 0 ? /NOT ready for/ : /ready for/);
});

test('examples/preflight.sh: exit 2 when the API cannot be reached; the Error document is said', { timeout: 300_000 }, () => {
  const kc = path.join(dir, 'nowhere.conf');
  fs.writeFileSync(kc, 'apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "https://127.0.0.1:1"}\ncontexts:\n- name: c\n  context: {cluster: c, user: u}\ncurrent-context: c\nusers:\n- name: u\n  user: {token: t}\n');
  const r = example('preflight.sh', { TARGET: SANDBOX_TARGET, REPORT: 'unreachable.json' }, '--kubeconfig', kc);
  assert.equal(r.code, 2, `${r.out}\n${r.err}`);
  assertValidJsonOutput(fs.readFileSync(path.join(dir, 'unreachable.json'), 'utf8'), 'Error');
  assert.match(r.out, /preflight could not run: /);
  assert.match(r.err, /could not check/);
});

test('examples/upgrade-cluster.sh: the plan as a log line, refused (a minor skipped: exit 1), nothing changed; events validate', { timeout: 600_000 }, () => {
  const before = sb.kubectl('get', 'nodes', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.status.nodeInfo.kubeletVersion},{.spec.unschedulable};{end}');
  const [major, minor] = SANDBOX_TARGET.slice(1).split('.').map(Number);
  const tooFar = `v${major}.${minor! + 1}.0`; // the cluster is one minor below SANDBOX_TARGET: this skips one
  const r = example('upgrade-cluster.sh', { TARGET: tooFar, EVENTS: 'events.ndjson' }, ...conn());
  assert.equal(r.code, 1, `${r.out}\n${r.err}`);
  const events = assertValidJsonOutput(fs.readFileSync(path.join(dir, 'events.ndjson'), 'utf8'), 'UpgradeClusterEvent');
  const plan = events.find((e) => e['event'] === 'plan') as { cluster: string; refused: string[] } | undefined;
  assert.ok(plan && plan.refused.length > 0, JSON.stringify(events).slice(0, 1000));
  assert.match(r.out, new RegExp(`^\\d\\d:\\d\\d:\\d\\d plan for \\S+ v[\\d.]+ -> ${tooFar.replace(/\./g, '\\.')}: .*; refused: `, 'm'));
  assert.match(r.err, /refused or stopped/);
  assert.equal(sb.kubectl('get', 'nodes', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.status.nodeInfo.kubeletVersion},{.spec.unschedulable};{end}'), before);
});
