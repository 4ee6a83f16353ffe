import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli';

const DUMPS = path.join(__dirname, '..', '..', 'fixtures', 'dumps');
const dump = (name: string) => fs.readdirSync(path.join(DUMPS, name)).flatMap((f) => ['--from-file', path.join(DUMPS, name, f)]);

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, (s) => out.push(s), (s) => err.push(s));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function skewJson(args: string[]) {
  const r = await run(['skew', ...args, '--json']);
  const parsed = JSON.parse(r.out) as { apiserverVersions: string[]; findings: Record<string, unknown>[] };
  return { ...r, ...parsed, rules: parsed.findings.map((f) => `${f['rule']}@${f['node'] ?? '-'}`).sort() };
}

test('healthy dump: no findings, exit 0, the documented JSON shape', async () => {
  const r = await skewJson(dump('healthy'));
  assert.equal(r.code, 0);
  assert.deepEqual(r.apiserverVersions, ['v1.31.2']);
  assert.deepEqual(r.findings, []);
  assert.deepEqual(Object.keys(JSON.parse(r.out)), ['apiVersion', 'kind', 'apiserverVersions', 'findings']);
  assert.equal(JSON.parse(r.out).kind, 'SkewReport');
  assert.equal(JSON.parse(r.out).apiVersion, 'kubeadm-upgrade/v1');
});

test('mixed-skew dump: every finding with its node, exit 1', async () => {
  const r = await skewJson(dump('mixed-skew'));
  assert.equal(r.code, 1);
  assert.deepEqual(r.apiserverVersions, ['v1.30.6', 'v1.31.2']);
  assert.deepEqual(r.rules, [
    'apiserver-mixed-versions@cp-2',
    'kube-controller-manager-behind-apiserver@cp-2',
    'kube-proxy-kubelet-skew@worker-proxy',
    'kube-proxy-newer-than-apiserver@cp-1',
    'kube-proxy-newer-than-apiserver@cp-3',
    'kube-proxy-newer-than-apiserver@worker-new',
    'kube-proxy-too-old@worker-old',
    'kube-proxy-too-old@worker-proxy',
    'kube-scheduler-too-old@cp-3',
    'kubectl-skew@-',
    'kubelet-at-skew-limit@worker-edge',
    'kubelet-newer-than-apiserver@cp-1',
    'kubelet-newer-than-apiserver@cp-3',
    'kubelet-newer-than-apiserver@worker-new',
    'kubelet-newer-than-apiserver@worker-proxy',
    'kubelet-too-old@worker-old',
  ]);
  const f = r.findings.find((x) => x['rule'] === 'kubelet-too-old')!;
  assert.deepEqual(Object.keys(f), ['severity', 'component', 'node', 'version', 'rule', 'message']);
  assert.equal(f['severity'], 'error');
  assert.equal(f['component'], 'kubelet');
  assert.equal(f['version'], 'v1.27.16');
  assert.match(String(f['message']), /mixed apiserver versions narrow the range/);
  const cluster = r.findings.find((x) => x['rule'] === 'kubectl-skew')!;
  assert.equal(cluster['node'], null);
});

test('ha-skew dump: apiservers two minors apart', async () => {
  const r = await skewJson(dump('ha-skew'));
  assert.equal(r.code, 1);
  assert.ok(r.rules.includes('apiserver-ha-skew@cp-b'), r.rules.join());
});

test('legacy dump: the two-minor window below 1.25 and kube-proxy against its kubelet', async () => {
  const r = await skewJson(dump('legacy'));
  assert.deepEqual(r.rules, [
    'kube-proxy-at-skew-limit@node-124',
    'kube-proxy-kubelet-skew@node-proxy',
    'kube-proxy-newer-than-apiserver@node-newproxy',
    'kube-proxy-too-old@node-proxy',
    'kubelet-at-skew-limit@node-124',
  ]);
});

test('--target: next minor is fine, a skipped minor or a downgrade is an error', async () => {
  assert.equal((await skewJson([...dump('healthy'), '--target', 'v1.32.0'])).code, 0);
  const skip = await skewJson([...dump('healthy'), '--target', 'v1.33.0']);
  assert.equal(skip.code, 1);
  assert.deepEqual(skip.rules, ['upgrade-skips-minor@-']);
  const down = await skewJson([...dump('healthy'), '--target', '1.30.9']);
  assert.deepEqual(down.rules, ['upgrade-target-older@-']);
});

test('--target: what becomes unsupported, and kubeadm <= 1.28 refusing old kubelets', async () => {
  const r = await skewJson([...dump('legacy'), '--target', 'v1.27.3']);
  assert.ok(r.rules.includes('upgrade-kubelet-becomes-unsupported@node-124'), r.rules.join());
  assert.ok(r.rules.includes('upgrade-blocked-by-old-kubelets@node-124'), r.rules.join());
  assert.ok(r.rules.includes('upgrade-blocked-by-old-kubelets@node-newproxy'), r.rules.join());
  // mixed-skew's oldest apiserver is v1.30.6: v1.32 would skip v1.31 for it.
  const mixed = await skewJson([...dump('mixed-skew'), '--target', 'v1.32.0']);
  assert.ok(mixed.rules.includes('upgrade-skips-minor@-'), mixed.rules.join());
});

test('--kubeadm-version NODE=V adds kubeadm findings', async () => {
  const r = await skewJson([...dump('healthy'), '--kubeadm-version', 'cp-1=v1.30.0', '--kubeadm-version', 'worker-3=v1.33.0']);
  assert.deepEqual(r.rules, [
    'kubeadm-kubelet-newer@cp-1',
    'kubeadm-kubelet-too-old@worker-3', // kubelet v1.29.10 is four minors behind kubeadm v1.33
    'kubeadm-older-than-control-plane@cp-1',
    'kubeadm-too-new-for-control-plane@worker-3',
  ]);
});

test('a single object (kubectl get node NAME -o json) is accepted', async () => {
  const list = JSON.parse(fs.readFileSync(path.join(DUMPS, 'healthy', 'nodes.json'), 'utf8')) as { items: unknown[] };
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kubeadm-upgrade-')), 'node.json');
  fs.writeFileSync(file, JSON.stringify(list.items[0]));
  const r = await skewJson(['--from-file', file, '--from-file', path.join(DUMPS, 'healthy', 'kube-system-pods.json')]);
  assert.equal(r.code, 0);
  assert.deepEqual(r.apiserverVersions, ['v1.31.2']);
});

test('text output names the rule and the node', async () => {
  const r = await run(['skew', ...dump('legacy')]);
  assert.equal(r.code, 1);
  assert.match(r.out, /kube-apiserver: v1\.26\.15 · 4 node\(s\)/);
  assert.match(r.out, /ERROR\s+node-proxy\s+kube-proxy v1\.23\.17 \[kube-proxy-kubelet-skew\]/);
});

test('bad input: exit 2 with one line on stderr', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeadm-upgrade-'));
  const notJson = path.join(dir, 'x.txt');
  fs.writeFileSync(notJson, 'NAME STATUS\nnode1 Ready');
  const noNodes = path.join(dir, 'empty.json');
  fs.writeFileSync(noNodes, JSON.stringify({ kind: 'List', items: [] }));
  const cases: [string[], RegExp][] = [
    [['skew', '--from-file', path.join(dir, 'missing.json')], /missing\.json: no such file/],
    [['skew', '--from-file', notJson], /not JSON/],
    [['skew', '--from-file', noNodes], /no Node objects/],
    [['skew'], /give --kubeconfig or --from-file/],
    [['skew', '--from-file', noNodes, '--kubeconfig', 'x'], /either --kubeconfig or --from-file/],
    [['skew', ...dump('healthy'), '--target', 'latest'], /not a Kubernetes version/],
    [['skew', '--bogus'], /Unknown option/],
    [['nope'], /unknown command/],
  ];
  for (const [args, message] of cases) {
    const r = await run(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.err, message);
    assert.equal(r.err.split('\n')[0]!.startsWith('kubeadm-upgrade'), true);
    assert.equal(r.out, '');
  }
});

test('an unreachable API server: exit 2 and a clear reason', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeadm-upgrade-'));
  const kc = path.join(dir, 'config');
  fs.writeFileSync(
    kc,
    'apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "https://127.0.0.1:9"}\ncontexts:\n- name: ctx\n  context: {cluster: c, user: u}\ncurrent-context: ctx\nusers:\n- name: u\n  user: {token: t}\n',
  );
  const r = await run(['skew', '--kubeconfig', kc]);
  assert.equal(r.code, 2);
  assert.match(r.err, /cannot reach the API at https:\/\/127\.0\.0\.1:9 \(context ctx\): connect ECONNREFUSED/);
});
