// Against the sandbox's real kube-apiserver and etcd: the tree's watches survive an etcd compaction and an apiserver
// restart with a bounded number of requests; two contexts on one cluster give unique tree ids; a KUBECONFIG list
// picks the current-context of the file that sets it; cordon and the drain preview are audited / shown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { ApiClusterOps } from '../../../src/adapters/k8s/clusterOps';
import { KubeDrainApi } from '../../../src/adapters/k8s/drain';
import { ApiClusterSource } from '../../../src/adapters/k8s/apiClusterSource';
import { loadContexts } from '../../../src/adapters/k8s/kubeconfig';
import { main } from '../../../src/cli';
import { ClusterStore } from '../../../src/core/clusterStore';
import { drainPreviewLines } from '../../../src/core/upgrade/drainPreview';
import { DEFAULT_OPTIONS } from '../../../src/core/upgrade/phases';
import { children, parentOf, type TreeElement } from '../../../src/ui/tree/elements';
import { present } from '../../../src/ui/tree/present';
import { useSandbox, waitFor } from '../sandbox';
import { compactEtcd } from './etcd';

let tmp: string;
const sb = useSandbox('mixed-skew', {
  setUp: () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'resilience-'));
  },
  tearDown: () => {
    fs.rmSync(tmp, { recursive: true, force: true });
  },
});

type Kubeconfig = { contexts: { name: string; context: Record<string, string> }[]; 'current-context'?: string };
const kubeconfigDoc = (): Kubeconfig => parse(fs.readFileSync(sb.kubeconfig, 'utf8')) as Kubeconfig;
/** Written next to the sandbox's kubeconfig, so relative certificate paths still resolve. */
function writeKubeconfig(name: string, doc: unknown): string {
  const p = path.join(path.dirname(sb.kubeconfig), name);
  fs.writeFileSync(p, stringify(doc), { mode: 0o600 });
  return p;
}
const workerName = () => (JSON.parse(sb.kubectl('get', 'nodes', '-o', 'json')) as { items: { metadata: { name: string; labels: Record<string, string> } }[] }).items.find((n) => !('node-role.kubernetes.io/control-plane' in n.metadata.labels))!.metadata.name;
const cordoned = (store: ClusterStore, node: string) => store.list()[0]!.snapshot?.nodes.find((n) => n.name === node)?.unschedulable;

test('watches survive an etcd compaction and an apiserver restart: a later cordon still arrives, requests stay bounded', async (t) => {
  const ctx = loadContexts([sb.kubeconfig]).contexts[0]!;
  const src = new ApiClusterSource(ctx.name, ctx.config, 100, 200);
  const store = new ClusterStore();
  try {
    await store.setSources([src]);
    assert.equal(store.list()[0]!.status, 'ready');
    const worker = workerName();
    // Move the cluster on, so the watches' resourceVersions are history, then compact that history away.
    for (let i = 0; i < 3; i++) sb.kubectl('label', 'configmap', '-n', 'kube-system', 'kubeadm-config', `resilience=${i}`, '--overwrite');
    const revision = await compactEtcd(sb.name);
    assert.ok(revision > 0);
    const beforeRestart = { ...src.requests };
    await sb.restartApiserver(0, 2000);
    await waitFor('apiserver back', async () => (await sb.api('GET', '/readyz').catch(() => ({ status: 0 }))).status === 200 || undefined, 120_000);
    sb.kubectl('cordon', worker);
    await waitFor('cordon through the watch after the restart', () => cordoned(store, worker) || undefined, 120_000);
    const made = { watches: src.requests.watches - beforeRestart.watches, lists: src.requests.lists - beforeRestart.lists, fetches: src.requests.fetches - beforeRestart.fetches };
    t.diagnostic(`requests from the restart to the cordon: ${JSON.stringify(made)}`);
    // 5 watched paths: each reconnects with backoff, relists once after its 410, and the snapshot is read again.
    assert.ok(made.lists >= 1, `no relist after the restart: ${JSON.stringify(made)}`);
    assert.ok(made.watches + made.lists + made.fetches < 150, `too many requests: ${JSON.stringify(made)}`);
    // Quiet afterwards: no reconnect storm once the apiserver is back.
    const settled = { ...src.requests };
    sb.kubectl('uncordon', worker);
    await waitFor('uncordon through the watch', () => (cordoned(store, worker) === false ? true : undefined), 60_000);
    assert.ok(src.requests.watches - settled.watches <= 5, `watches restarted after recovery: ${src.requests.watches - settled.watches}`);
  } finally {
    store.dispose();
  }
});

test('two contexts on the same cluster: both load, every tree id is unique, getParent leads back', async () => {
  const doc = kubeconfigDoc();
  const first = doc.contexts[0]!;
  doc.contexts.push({ name: `${first.name}-again`, context: { ...first.context } });
  const file = writeKubeconfig('two-contexts.yaml', doc);
  const { contexts } = loadContexts([file]);
  assert.equal(contexts.length, 2);
  const store = new ClusterStore();
  try {
    await store.setSources(contexts.map((c) => new ApiClusterSource(c.name, c.config, 100, 200)));
    assert.deepEqual(store.list().map((s) => s.status), ['ready', 'ready']);
    const ids = new Set<string>();
    const walk = (el: TreeElement | undefined) => {
      for (const c of children(el, store.list())) {
        const id = present(c).id;
        assert.ok(!ids.has(id), `duplicate id ${id}`);
        ids.add(id);
        assert.equal(parentOf(c), el);
        walk(c);
      }
    };
    walk(undefined);
    assert.ok([...ids].some((id) => id.startsWith(`${first.name}-again/node/`)));
  } finally {
    store.dispose();
  }
});

test('KUBECONFIG=a:b where only b sets current-context: the CLI uses it; cordon and uncordon are audited', async () => {
  const doc = kubeconfigDoc();
  const name = doc['current-context'] ?? doc.contexts[0]!.name;
  delete doc['current-context'];
  // a: every definition plus a decoy context, no current-context; b: only current-context.
  doc.contexts.unshift({ name: 'decoy', context: { ...doc.contexts[0]!.context, namespace: 'nowhere' } });
  const a = writeKubeconfig('a.yaml', doc);
  const b = writeKubeconfig('b.yaml', { apiVersion: 'v1', kind: 'Config', 'current-context': name });
  const worker = workerName();
  const saved = { KUBECONFIG: process.env['KUBECONFIG'], XDG_STATE_HOME: process.env['XDG_STATE_HOME'] };
  process.env['KUBECONFIG'] = [a, b].join(path.delimiter);
  process.env['XDG_STATE_HOME'] = tmp;
  const err: string[] = [];
  try {
    assert.equal(await main(['cordon', worker], () => {}, (s) => err.push(s)), 0, err.join('\n'));
    assert.match(sb.kubectl('get', 'node', worker, '-o', 'jsonpath={.spec.unschedulable}'), /true/);
    assert.equal(await main(['uncordon', worker], () => {}, (s) => err.push(s)), 0, err.join('\n'));
    // A typo'd current-context in b: exit 2, nothing done.
    fs.writeFileSync(b, stringify({ apiVersion: 'v1', kind: 'Config', 'current-context': `${name}x` }));
    assert.equal(await main(['cordon', worker], () => {}, (s) => err.push(s)), 2);
    assert.match(err.at(-1)!, /does not exist/);
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  const lines = fs.readFileSync(path.join(tmp, 'kubeadm-upgrade', 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { phase: string; command: string; exitCode: number; node: string });
  // Each change is written when it starts (no exit code yet) and when it ends.
  assert.deepEqual(lines.map((l) => `${l.phase} ${l.command} ${l.exitCode}`), [
    `cordon PATCH node/${worker} spec.unschedulable=true null`,
    `cordon PATCH node/${worker} spec.unschedulable=true 0`,
    `uncordon PATCH node/${worker} spec.unschedulable=false null`,
    `uncordon PATCH node/${worker} spec.unschedulable=false 0`,
  ]);
});

test('the upgrade\'s drain question lists the pods to evict (and any PDB that will block) without cordoning', async () => {
  const pods = JSON.parse(sb.kubectl('get', 'pods', '-n', 'default', '-l', 'app=web', '-o', 'json')) as { items: { metadata: { name: string }; spec: { nodeName?: string } }[] };
  const onNode = pods.items.find((p) => p.spec.nodeName);
  assert.ok(onNode, 'a web pod is scheduled');
  const node = onNode.spec.nodeName!;
  const ctx = loadContexts([sb.kubeconfig]).contexts[0]!;
  const ops = new ApiClusterOps(ctx.config, new KubeDrainApi(ctx.config));
  const preview = await ops.previewDrain(node, DEFAULT_OPTIONS.drain);
  const text = drainPreviewLines(preview, node, DEFAULT_OPTIONS.drain).join('\n');
  assert.match(text, new RegExp(`default/${onNode.metadata.name}`));
  assert.equal(sb.kubectl('get', 'node', node, '-o', 'jsonpath={.spec.unschedulable}').trim(), '', 'the preview does not cordon');
});

test('upgrade-node --to MINOR takes the newest patch of it the node\'s repository offers, and says so', async (t) => {
  if (!sb.sshConfig) return t.skip('scenario without ssh');
  const kubelet = sb.kubectl('get', 'node', 'worker-1', '-o', 'jsonpath={.status.nodeInfo.kubeletVersion}').trim();
  const minor = /^v(\d+\.\d+)\./.exec(kubelet)![1]!;
  const err: string[] = [];
  const out: string[] = [];
  await main(['upgrade-node', 'worker-1', '--to', minor, '--kubeconfig', sb.kubeconfig, '--ssh-config', sb.sshConfig, '--dry-run', '--state-dir', tmp], (s) => out.push(s), (s) => err.push(s));
  t.diagnostic(err.join('\n'));
  assert.match(err.join('\n'), new RegExp(`--to ${minor.replace('.', '\\.')}: (using v${minor.replace('.', '\\.')}\\.\\d+, the newest ${minor.replace('.', '\\.')} patch the package repository on worker-1 offers|the package repository on worker-1 offers no ${minor.replace('.', '\\.')} release)`));
  // the facts gathered on the node are in the audit log
  const audit = fs.readFileSync(path.join(tmp, 'audit.jsonl'), 'utf8');
  assert.match(audit, /"node":"worker-1","phase":"command"/);
});
