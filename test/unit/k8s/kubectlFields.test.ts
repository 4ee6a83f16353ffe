// kubectl's reading of a kubeconfig (client-go's ResolveLocalPaths and exec rules) where client-node differs: which
// paths are resolved against the kubeconfig's own folder, and what the exec plugin is given. The requests themselves
// are proven against the sandbox's apiserver in test/integration/cli/kubeconfigForms.test.ts.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadContexts } from '../../../src/adapters/k8s/kubeconfig';
import { TokenFileAuth, type UserWithTokenFile } from '../../../src/adapters/k8s/kubectlFields';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubectl-fields-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function load(yaml: string) {
  const sub = fs.mkdtempSync(path.join(dir, 'k-'));
  const file = path.join(sub, 'config');
  fs.writeFileSync(file, yaml);
  const loaded = loadContexts([file]);
  assert.deepEqual(loaded.errors, []);
  return { sub, kc: loaded.contexts[0]!.config };
}

const config = (cluster: string, user: string) =>
  `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: ${cluster}\nusers:\n- name: u\n  user: ${user}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\n`;

test('an http:// server is allowed without insecure-skip-tls-verify; https keeps verification', () => {
  assert.equal(load(config('{server: "http://127.0.0.1:8001"}', '{}')).kc.getCurrentCluster()!.skipTLSVerify, true);
  assert.equal(load(config('{server: "https://127.0.0.1:6443"}', '{}')).kc.getCurrentCluster()!.skipTLSVerify, false);
});

test('exec: a command with a slash is resolved against the kubeconfig folder, a bare name is left for PATH', () => {
  const rel = load(config('{server: "https://h"}', '{exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: ./bin/plugin, env: [{name: A, value: b}]}}'));
  const exec = rel.kc.getCurrentUser()!.exec as { command: string; env: { name: string; value: string }[] };
  assert.equal(exec.command, path.join(rel.sub, 'bin', 'plugin'));
  assert.equal(exec.env[0]!.name, 'A');
  assert.deepEqual(JSON.parse(exec.env.find((e) => e.name === 'KUBERNETES_EXEC_INFO')!.value), { apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', spec: { interactive: false } });
  const bare = load(config('{server: "https://h"}', '{exec: {apiVersion: client.authentication.k8s.io/v1, command: gke-gcloud-auth-plugin}}'));
  assert.equal((bare.kc.getCurrentUser()!.exec as { command: string }).command, 'gke-gcloud-auth-plugin');
  const abs = load(config('{server: "https://h"}', '{exec: {apiVersion: client.authentication.k8s.io/v1, command: /usr/bin/plugin}}'));
  assert.equal((abs.kc.getCurrentUser()!.exec as { command: string }).command, '/usr/bin/plugin');
});

test('tokenFile is resolved against the kubeconfig folder, trimmed, and an inline token wins', async () => {
  const { sub, kc } = load(config('{server: "https://h"}', '{tokenFile: tok}'));
  fs.writeFileSync(path.join(sub, 'tok'), 'abc\n');
  const user = kc.getCurrentUser() as UserWithTokenFile;
  assert.equal(user.tokenFile, path.join(sub, 'tok'));
  const opts: { headers?: Record<string, string> } = {};
  await kc.applyToHTTPSOptions(opts as never);
  assert.equal(opts.headers?.['Authorization'], 'Bearer abc');
  const inline = load(config('{server: "https://h"}', '{token: inline, tokenFile: tok}')).kc;
  const o2: { headers?: Record<string, string> } = {};
  await inline.applyToHTTPSOptions(o2 as never);
  assert.equal(o2.headers?.['Authorization'], 'Bearer inline');
});

test('a tokenFile that cannot be read names the user and the file', async () => {
  const auth = new TokenFileAuth();
  await assert.rejects(auth.applyAuthentication({ name: 'u', tokenFile: path.join(dir, 'missing') }, {}), /tokenFile of user "u" \(.*missing\): ENOENT/);
});
