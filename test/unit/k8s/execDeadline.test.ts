import { test } from 'node:test';
import { spawn } from 'node:child_process';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import { makeApiClient } from '../../../src/adapters/k8s/apiClient';
import { ExecPluginTimeoutError, withExecDeadline } from '../../../src/adapters/k8s/execDeadline';
import { classifyFailure } from '../../../src/cli/failure';
import { loadContexts } from '../../../src/adapters/k8s/kubeconfig';

/** A kubeconfig whose user's credential comes from `plugin` (an exec plugin), for a server nobody listens on. */
function kubeconfigWith(dir: string, plugin: string): string {
  const file = path.join(dir, 'config');
  fs.writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters: [{ name: c, cluster: { server: "https://127.0.0.1:9" } }]',
      `users: [{ name: u, user: { exec: { apiVersion: client.authentication.k8s.io/v1, command: ${JSON.stringify(plugin)}, args: ["--cluster", "prod"], interactiveMode: Never } } }]`,
      'contexts: [{ name: ctx, context: { cluster: c, user: u } }]',
      'current-context: ctx',
      '',
    ].join('\n'),
  );
  return file;
}

/** A real plugin script that never answers: it records its pid and sleeps for ever (as one waiting for a login). */
function hangingPlugin(dir: string): { script: string; pidFile: string } {
  const pidFile = path.join(dir, 'plugin.pid');
  const script = path.join(dir, 'hanging-plugin');
  fs.writeFileSync(script, `#!/bin/sh\necho $$ > ${JSON.stringify(pidFile)}\nsleep 100000\n`, { mode: 0o755 });
  return { script, pidFile };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test('an exec credential plugin that hangs: the request fails after the deadline naming the plugin command, and the plugin is killed', { timeout: 30_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exec-plugin-'));
  try {
    const { script, pidFile } = hangingPlugin(dir);
    const { contexts } = loadContexts([kubeconfigWith(dir, script)]);
    const kc = withExecDeadline(contexts[0]!.config, 1_500);
    const api = makeApiClient(kc, CoreV1Api);
    const t0 = Date.now();
    await assert.rejects(api.listNamespace(), (e: Error) => {
      assert.equal(e.message, `the kubeconfig's exec credential plugin \`${script} --cluster prod\` gave no credential within 2 s: it was stopped and nothing was sent to the API. Run it yourself to see why (it may be waiting for a login, or for a network that does not answer).`);
      assert.ok(e instanceof ExecPluginTimeoutError, String(e));
      // The CLI: the command cannot use the cluster (exit 2), with this message.
      assert.deepEqual(classifyFailure(e), { exitCode: 2, reason: 'api-access', message: e.message });
      return true;
    });
    const took = Date.now() - t0;
    assert.ok(took >= 1_400 && took < 10_000, `failed after ${took} ms`);
    const pid = Number(fs.readFileSync(pidFile, 'utf8'));
    for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(alive(pid), false, 'the plugin process is gone');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a plugin that answers in time gives its credential as before (the deadline changes nothing else)', { timeout: 30_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exec-plugin-'));
  try {
    const script = path.join(dir, 'quick-plugin');
    fs.writeFileSync(script, `#!/bin/sh\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"t0k3n"}}'\n`, { mode: 0o755 });
    const { contexts } = loadContexts([kubeconfigWith(dir, script)]);
    const opts: { headers?: Record<string, string> } = {};
    await withExecDeadline(contexts[0]!.config, 5_000).applyToHTTPSOptions(opts);
    assert.equal(opts.headers?.['Authorization'], 'Bearer t0k3n');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('every context loaded from a kubeconfig gets the deadline (the default one): its plugin is not client-node\'s bare spawn', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exec-plugin-'));
  try {
    const { contexts } = loadContexts([kubeconfigWith(dir, '/bin/true')]);
    const exec = (contexts[0]!.config as unknown as { authenticators: { execFn?: unknown }[] }).authenticators.filter((a) => 'execFn' in a);
    assert.equal(exec.length, 1);
    assert.notEqual(exec[0]!.execFn, spawn);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
