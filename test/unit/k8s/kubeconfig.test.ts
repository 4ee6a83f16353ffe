// kubectl's merge rules for a KUBECONFIG list, and the CLI's refusal to guess a context (exit 2, no fallback).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadContexts, resolveContext, shadowedNote, shadowedText } from '../../../src/adapters/k8s/kubeconfig';
import { main } from '../../../src/cli';
import { contextFor } from '../../../src/cli/kubeContext';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeconfig-test-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}

const A = file('a', `apiVersion: v1
kind: Config
clusters:
- name: one
  cluster: {server: "https://127.0.0.1:1"}
- name: two
  cluster: {server: "https://127.0.0.1:2"}
users:
- name: admin
  user: {token: t}
contexts:
- name: first
  context: {cluster: one, user: admin}
- name: second
  context: {cluster: two, user: admin}
`);
// Sets only current-context, and redefines "first" (the earlier file's definition must win).
const B = file('b', `apiVersion: v1
kind: Config
current-context: second
clusters:
- name: one
  cluster: {server: "https://127.0.0.1:9"}
contexts:
- name: first
  context: {cluster: one, user: admin}
`);
const TYPO = file('typo', `apiVersion: v1
kind: Config
current-context: secnod
`);

test('KUBECONFIG=a:b where only b sets current-context: b\'s current-context wins, a\'s definitions win', () => {
  const loaded = loadContexts([A, B]);
  assert.deepEqual(loaded.errors, []);
  assert.deepEqual(loaded.currentContext, { name: 'second', file: B });
  const ctx = resolveContext(loaded);
  assert.equal(ctx.name, 'second');
  assert.equal(ctx.server, 'https://127.0.0.1:2');
  assert.equal(loaded.contexts.find((c) => c.name === 'first')!.server, 'https://127.0.0.1:1');
  assert.equal(ctx.config.getCurrentUser()?.name, 'admin');
});

test('a context name defined in two files is said, with each file and its own server (never hidden silently)', () => {
  const loaded = loadContexts([A, B]);
  assert.deepEqual(loaded.shadowed, [{ name: 'first', definitions: [{ file: A, server: 'https://127.0.0.1:1' }, { file: B, server: 'https://127.0.0.1:9' }] }]);
  assert.equal(
    shadowedText(loaded.shadowed![0]!),
    `first is defined in 2 files; showing ${A} (https://127.0.0.1:1) — hidden by kubectl's merge rule: ${B} (https://127.0.0.1:9). Give each a context name of its own to see both.`,
  );
  assert.equal(loadContexts([A]).shadowed, undefined);
  // #25 item 3: the tree's line on the shown context names both files and their servers.
  assert.equal(shadowedNote(loaded.shadowed![0]!), `defined in 2 files: showing ${A} (https://127.0.0.1:1); hidden: ${B} (https://127.0.0.1:9)`);
});

test('the CLI on a shadowed context name: kubectl\'s pick (the first file), said on stderr with the way to the hidden one', () => {
  const said: string[] = [];
  const ctx = contextFor(undefined, 'first', { KUBECONFIG: `${A}:${B}` }, (l) => said.push(l));
  assert.equal(ctx.server, 'https://127.0.0.1:1');
  assert.equal(said.length, 1);
  assert.match(said[0]!, /^warning: first is defined in 2 files; showing .* To use another: --kubeconfig .*\/b\.$/);
  // The hidden one, reached as the warning says: its own file alone, its own server, nothing said.
  const other = contextFor(B, 'first', {}, (l) => said.push(l));
  assert.equal(other.server, 'https://127.0.0.1:9');
  assert.equal(said.length, 1);
});

test('a context defined in one file can use the cluster and user of another (one merged config)', () => {
  const c = file('c', `apiVersion: v1
kind: Config
contexts:
- name: cross
  context: {cluster: two, user: admin}
current-context: cross
`);
  const ctx = resolveContext(loadContexts([c, A]));
  assert.equal(ctx.server, 'https://127.0.0.1:2');
  assert.equal(ctx.config.getCurrentUser()?.token, 't');
});

test('a typo\'d current-context is an error naming it and the file, never another context', () => {
  assert.throws(() => resolveContext(loadContexts([TYPO, A])), /context "secnod" \(current-context in .*typo\) does not exist .*contexts: first, second/);
});

test('no current-context anywhere is an error, not the first context', () => {
  assert.throws(() => resolveContext(loadContexts([A])), /no current-context is set/);
});

test('a file that is not a kubeconfig: its path and the parse error', () => {
  const list = file('list.yaml', '- a\n- b\n');
  const broken = file('broken.yaml', 'clusters: [\n');
  const nul = file('null.yaml', 'null\n');
  const other = file('pod.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n');
  const loaded = loadContexts([list, broken, nul, other, A]);
  assert.deepEqual(loaded.errors.map((e) => e.file), [list, broken, other]);
  assert.match(loaded.errors[0]!.message, /not a kubeconfig/);
  assert.match(loaded.errors[2]!.message, /kind: Pod/);
  assert.equal(loaded.contexts.length, 2);
});

async function cli(args: string[], kubeconfigEnv: string) {
  const saved = process.env['KUBECONFIG'];
  process.env['KUBECONFIG'] = kubeconfigEnv;
  const err: string[] = [];
  try {
    const code = await main(args, () => {}, (s) => err.push(s));
    return { code, err: err.join('\n') };
  } finally {
    if (saved === undefined) delete process.env['KUBECONFIG'];
    else process.env['KUBECONFIG'] = saved;
  }
}

test('CLI: exit 2 with a clear message for a typo\'d current-context, a missing --context, or a non-kubeconfig', async () => {
  const typo = await cli(['cordon', 'n1'], [TYPO, A].join(path.delimiter));
  assert.equal(typo.code, 2);
  assert.match(typo.err, /context "secnod" .* does not exist/);
  const none = await cli(['cordon', 'n1'], A);
  assert.equal(none.code, 2);
  assert.match(none.err, /no current-context is set/);
  const wrong = await cli(['cordon', 'n1', '--context', 'nope'], A);
  assert.equal(wrong.code, 2);
  assert.match(wrong.err, /context "nope" \(--context\)/);
  const notKc = await cli(['cordon', 'n1', '--kubeconfig', file('x.yaml', '"just text"\n')], A);
  assert.equal(notKc.code, 2);
  assert.match(notKc.err, /x\.yaml: not a kubeconfig/);
});

test('#25 item 3: on request, the hidden definition is a cluster of its own, from its own file, labelled by its server', () => {
  const loaded = loadContexts([A, B], { showShadowed: true });
  const names = loaded.contexts.map((c) => c.name);
  assert.ok(names.includes('first') && names.includes('first (https://127.0.0.1:9)'), names.join(', '));
  const hidden = loaded.contexts.find((c) => c.name === 'first (https://127.0.0.1:9)')!;
  assert.equal(hidden.file, B);
  assert.equal(hidden.config.getCurrentCluster()?.server, 'https://127.0.0.1:9', "its own file's cluster, not the merged one's");
  assert.equal(loaded.contexts.find((c) => c.name === 'first')!.config.getCurrentCluster()?.server, 'https://127.0.0.1:1');
  assert.equal(loadContexts([A, B]).contexts.filter((c) => c.name.startsWith('first')).length, 1, "off: kubectl's rule");
});
