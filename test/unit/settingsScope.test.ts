// Settings that choose an executed binary or a file the extension reads credentials from are machine-scoped, so a
// workspace's .vscode/settings.json cannot redirect them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

test('kubectlPath, kubeconfig and every kubeadm.ssh.* setting have "scope": "machine"', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { contributes: { configuration: unknown } };
  const conf = pkg.contributes.configuration;
  const props: Record<string, { scope?: string }> = Object.assign({}, ...(Array.isArray(conf) ? conf : [conf]).map((c: { properties: object }) => c.properties));
  const sensitive = Object.keys(props).filter((k) => k === 'kubeadm.kubectlPath' || k === 'kubeadm.kubeconfig' || k.startsWith('kubeadm.ssh.'));
  assert.ok(sensitive.length >= 4, sensitive.join());
  for (const k of sensitive) assert.equal(props[k]!.scope, 'machine', k);
});

test('no setting is named inside another (VS Code reads `a.b` and `a.b.c` as one object: `a.b.c` is then never read)', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { contributes: { configuration: unknown } };
  const conf = pkg.contributes.configuration;
  const keys = Object.keys(Object.assign({}, ...(Array.isArray(conf) ? conf : [conf]).map((c: { properties: object }) => c.properties)));
  assert.ok(keys.length > 10);
  // Found in code-server: kubeadm.kubeconfig.showShadowedContexts under the array kubeadm.kubeconfig was never applied.
  assert.deepEqual(keys.flatMap((a) => keys.filter((b) => b.startsWith(`${a}.`)).map((b) => `${b} is inside ${a}`)), []);
});
