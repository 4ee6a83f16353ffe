// Kubeconfigs as kubectl reads them (#30 item 4), each against the sandbox's real apiserver through the built CLI:
// - `server: http://…` through a real `kubectl proxy` (client-node alone refuses plain HTTP without skipTLSVerify),
//   read (skew) and written (cordon/uncordon);
// - an exec credential plugin named by a path relative to the kubeconfig's folder, which gets KUBERNETES_EXEC_INFO;
// - `tokenFile:` relative to the kubeconfig's folder (and a wrong token in it is refused: the token is really sent);
// - client-certificate / client-key / certificate-authority files relative to the kubeconfig's folder.
// Every CLI run has its working folder elsewhere, so a path resolved against it would not be found.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { useSandbox } from '../sandbox';
import { binaries } from '../../sandbox/lib/paths';

const CLI = path.join(__dirname, '..', '..', '..', 'dist', 'cli.js');
let dir: string;
let elsewhere: string;
let proxy: ChildProcess | undefined;
let proxyUrl: string;
let token: string;
let admin: { ca: string; cert: string; key: string; server: string };

const sb = useSandbox('apt', {
  setUp: async () => {
    if (!fs.existsSync(CLI)) {
      const built = spawnSync(process.execPath, ['esbuild.js'], { cwd: path.join(__dirname, '..', '..', '..'), encoding: 'utf8' });
      assert.equal(built.status, 0, `node esbuild.js failed: ${built.stderr}`);
    }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kup-kcforms-'));
    elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'kup-kcforms-cwd-'));
    const doc = parseYaml(fs.readFileSync(sb.kubeconfig, 'utf8')) as { clusters: { cluster: Record<string, string> }[]; users: { user: Record<string, string> }[] };
    const b64 = (s: string | undefined) => Buffer.from(s ?? '', 'base64').toString('utf8');
    admin = { ca: b64(doc.clusters[0]!.cluster['certificate-authority-data']), cert: b64(doc.users[0]!.user['client-certificate-data']), key: b64(doc.users[0]!.user['client-key-data']), server: doc.clusters[0]!.cluster['server']! };
    sb.kubectl('create', 'serviceaccount', 'kcforms', '-n', 'default');
    sb.kubectl('create', 'clusterrolebinding', 'kcforms', '--clusterrole=cluster-admin', '--serviceaccount=default:kcforms');
    token = sb.kubectl('create', 'token', 'kcforms', '-n', 'default', '--duration=1h').trim();
    proxyUrl = await startProxy();
  },
  tearDown: () => {
    proxy?.kill('SIGTERM');
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    if (elsewhere) fs.rmSync(elsewhere, { recursive: true, force: true });
  },
});

/** A real `kubectl proxy` on a free loopback port with the sandbox's admin kubeconfig; its URL. */
function startProxy(): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(binaries().kubectl, ['--kubeconfig', sb.kubeconfig, 'proxy', '--address=127.0.0.1', '--port=0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    proxy = child;
    let out = '';
    const timer = setTimeout(() => reject(new Error(`kubectl proxy did not start in 30 s: ${out}`)), 30_000);
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /Starting to serve on (127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(`http://${m[1]}`);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`kubectl proxy exited ${code}: ${out}`)));
  });
}

/** A kubeconfig in a folder of its own under `dir`, with the files beside it; its path. */
function kubeconfigIn(name: string, cluster: string, user: string, files: Record<string, { text: string; mode?: number }> = {}): string {
  const home = path.join(dir, name);
  fs.mkdirSync(home, { recursive: true });
  for (const [rel, f] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(home, rel)), { recursive: true });
    fs.writeFileSync(path.join(home, rel), f.text, { mode: f.mode ?? 0o600 });
  }
  const file = path.join(home, 'config');
  fs.writeFileSync(file, `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n${cluster}\ncontexts:\n- name: ctx\n  context: {cluster: c, user: u}\ncurrent-context: ctx\nusers:\n- name: u\n  user:\n${user}\n`);
  return file;
}

function cli(kubeconfig: string, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args, '--kubeconfig', kubeconfig], { cwd: elsewhere, encoding: 'utf8', timeout: 120_000, env: { ...process.env, HOME: elsewhere } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `skew --json` read the real apiserver: its version is the sandbox's. */
function assertReadsCluster(kubeconfig: string): void {
  const r = cli(kubeconfig, 'skew', '--json');
  assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
  const report = JSON.parse(r.stdout) as { kind: string; apiserverVersions: string[] };
  assert.equal(report.kind, 'SkewReport');
  const version = sb.kubectl('version', '-o', 'json');
  assert.deepEqual(report.apiserverVersions, [(JSON.parse(version) as { serverVersion: { gitVersion: string } }).serverVersion.gitVersion]);
}

test('server: http://… through kubectl proxy reads and writes as kubectl does', () => {
  const kc = kubeconfigIn('proxy', `    server: ${proxyUrl}`, '    {}');
  assertReadsCluster(kc);
  const cordon = cli(kc, 'cordon', 'worker-1');
  assert.equal(cordon.code, 0, cordon.stderr);
  assert.equal(sb.kubectl('get', 'node', 'worker-1', '-o', 'jsonpath={.spec.unschedulable}'), 'true');
  const uncordon = cli(kc, 'uncordon', 'worker-1');
  assert.equal(uncordon.code, 0, uncordon.stderr);
  assert.equal(sb.kubectl('get', 'node', 'worker-1', '-o', 'jsonpath={.spec.unschedulable}'), '');
});

test('an exec credential plugin at a path relative to the kubeconfig runs, with KUBERNETES_EXEC_INFO', () => {
  const credential = JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token } });
  const infoFile = path.join(dir, 'exec-info.json');
  const plugin = `#!/bin/sh\nprintf '%s' "$KUBERNETES_EXEC_INFO" > '${infoFile}'\ncat <<'EOF'\n${credential}\nEOF\n`;
  const kc = kubeconfigIn('exec', `    server: ${admin.server}\n    certificate-authority: ca.crt`, '      exec:\n        apiVersion: client.authentication.k8s.io/v1\n        command: ./bin/get-token\n        interactiveMode: Never', {
    'ca.crt': { text: admin.ca },
    'bin/get-token': { text: plugin, mode: 0o700 },
  });
  assertReadsCluster(kc);
  const info = JSON.parse(fs.readFileSync(infoFile, 'utf8')) as { apiVersion: string; kind: string; spec: { interactive: boolean } };
  assert.deepEqual(info, { apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', spec: { interactive: false } });
});

test('tokenFile relative to the kubeconfig is read and sent', () => {
  const kc = kubeconfigIn('tokenfile', `    server: ${admin.server}\n    certificate-authority: ca.crt`, '    tokenFile: secrets/token', {
    'ca.crt': { text: admin.ca },
    'secrets/token': { text: `${token}\n` },
  });
  assertReadsCluster(kc);
  // The same kubeconfig with a token the apiserver does not know: refused (401), so the file's token is what was sent.
  fs.writeFileSync(path.join(path.dirname(kc), 'secrets', 'token'), 'not-a-token\n');
  const r = cli(kc, 'skew', '--json');
  assert.equal(r.code, 2, r.stdout);
  assert.match(r.stderr, /Unauthorized \(401\)/);
});

test('client-certificate, client-key and certificate-authority relative to the kubeconfig', () => {
  const kc = kubeconfigIn('certs', `    server: ${admin.server}\n    certificate-authority: pki/ca.crt`, '    client-certificate: pki/admin.crt\n    client-key: pki/admin.key', {
    'pki/ca.crt': { text: admin.ca },
    'pki/admin.crt': { text: admin.cert },
    'pki/admin.key': { text: admin.key },
  });
  assertReadsCluster(kc);
});
