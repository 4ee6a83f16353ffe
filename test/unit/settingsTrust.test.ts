// Settings that choose what runs or where, and settings that weaken safety, are ignored in an untrusted workspace:
// package.json lists them in `restrictedConfigurations` (what VS Code itself honours) and the settings reader drops
// their workspace values too. VS Code's API is a small stand-in here (a workspace with user and workspace values).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import Module from 'node:module';
import * as path from 'node:path';

type Values = Record<string, unknown>;
const world = {
  trusted: false,
  user: {} as Values,
  workspace: {} as Values,
  /** The Kubernetes extension: installed or not, and its `vs-kubernetes` object in user and workspace settings. */
  k8sInstalled: false,
  k8sUser: undefined as Values | undefined,
  k8sWorkspace: undefined as Values | undefined,
};
const fakeVscode = {
  workspace: {
    get isTrusted() {
      return world.trusted;
    },
    getConfiguration: (section?: string) =>
      section === 'vs-kubernetes'
        ? // Its keys have dots in their names; it reads them by indexing the section, as VS Code returns it merged.
          { ...world.k8sUser, ...world.k8sWorkspace }
        : {
            // What VS Code's get() gives when it does not filter: the workspace value over the user value over the default.
            get: (key: string, fallback: unknown) => world.workspace[key] ?? world.user[key] ?? fallback,
            inspect: (key: string) =>
              section === undefined && key === 'vs-kubernetes'
                ? { key, globalValue: world.k8sUser, workspaceValue: world.k8sWorkspace, defaultValue: undefined }
                : { key, globalValue: world.user[key], workspaceValue: world.workspace[key], defaultValue: undefined },
          },
  },
  extensions: { getExtension: (id: string) => (world.k8sInstalled && id === 'ms-kubernetes-tools.vscode-kubernetes-tools' ? { id } : undefined) },
};
const load = (Module as unknown as { _load: (r: string, ...a: unknown[]) => unknown })._load;
(Module as unknown as { _load: (r: string, ...a: unknown[]) => unknown })._load = (request: string, ...rest: unknown[]) => (request === 'vscode' ? fakeVscode : load(request, ...rest));
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the stand-in is in place
const { readSettings, kubeadmSetting, RESTRICTED_SETTINGS } = require('../../src/ui/settings') as typeof import('../../src/ui/settings');

const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
  capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
  contributes: { configuration: { properties: Record<string, unknown> } | { properties: Record<string, unknown> }[] };
};

test('restrictedConfigurations in package.json is the reader\'s list, and names settings that exist', () => {
  const listed = pkg.capabilities.untrustedWorkspaces.restrictedConfigurations;
  assert.deepEqual([...listed].sort(), [...RESTRICTED_SETTINGS].sort());
  const conf = pkg.contributes.configuration;
  const props = Object.assign({}, ...(Array.isArray(conf) ? conf : [conf]).map((c) => c.properties)) as Record<string, unknown>;
  for (const k of listed) assert.ok(k in props, `${k} is a contributed setting`);
  // The ones that weaken safety are there, not only the ones that choose what runs.
  for (const k of ['kubeadm.drain.force', 'kubeadm.drain.disableEviction', 'kubeadm.upgrade.upgradeEtcd', 'kubeadm.upgrade.renewCertificates', 'kubeadm.etcdSnapshot.folder', 'kubeadm.upgrade.maxUnavailable']) {
    assert.ok(listed.includes(k), k);
  }
});

test('untrusted workspace: a workspace that turns on drain --force, --disable-eviction, no etcd upgrade or its own snapshot folder is ignored; user values still apply', () => {
  world.trusted = false;
  world.user = { 'drain.deleteEmptyDirData': true, 'upgrade.readyTimeoutSeconds': 600 };
  world.workspace = { 'drain.force': true, 'drain.disableEviction': true, 'upgrade.upgradeEtcd': false, 'upgrade.renewCertificates': false, 'etcdSnapshot.folder': './snapshots', 'upgrade.maxUnavailable': '100%', 'drain.timeoutSeconds': 60, 'upgrade.readyTimeoutSeconds': 5 };
  const s = readSettings();
  assert.equal(s.upgrade.drain.force, false);
  assert.equal(s.upgrade.drain.disableEviction, false);
  assert.equal(s.upgrade.upgradeEtcd, true);
  assert.equal(s.upgrade.renewCertificates, true);
  assert.equal(s.upgrade.drain.deleteEmptyDirData, true, 'the user value counts');
  assert.equal(s.upgrade.readyTimeoutSeconds, 600, 'the user value wins over the workspace value');
  assert.equal(s.upgrade.drain.timeoutSeconds, 60, 'a setting that does not weaken safety keeps its workspace value');
  assert.equal(kubeadmSetting('etcdSnapshot.folder', ''), '');
  assert.equal(kubeadmSetting('upgrade.maxUnavailable', '1'), '1');
});

test('trusted workspace: the workspace values apply', () => {
  world.trusted = true;
  const s = readSettings();
  assert.equal(s.upgrade.drain.force, true);
  assert.equal(s.upgrade.upgradeEtcd, false);
  assert.equal(kubeadmSetting('etcdSnapshot.folder', ''), './snapshots');
});

test('kubeconfig: the Kubernetes extension\'s vs-kubernetes.kubeconfig is followed when kubeadm.kubeconfig is empty and that extension is installed', () => {
  world.trusted = true;
  world.user = {};
  world.workspace = {};
  world.k8sUser = { 'vs-kubernetes.kubeconfig': '${userHome}/.kube/lab.conf', 'vs-kubernetes.namespace': 'x' };
  world.k8sInstalled = false;
  assert.deepEqual(readSettings().kubeconfig, [], 'not installed: its leftover setting changes nothing');
  world.k8sInstalled = true;
  assert.deepEqual(readSettings().kubeconfig, [`${os.homedir()}/.kube/lab.conf`]);
  world.user = { kubeconfig: '/etc/kubernetes/admin.conf' };
  assert.deepEqual(readSettings().kubeconfig, ['/etc/kubernetes/admin.conf'], 'ours wins when set');
  world.user = {};
  world.k8sWorkspace = { 'vs-kubernetes.kubeconfig': './evil.conf' };
  assert.deepEqual(readSettings().kubeconfig, ['./evil.conf'], 'a trusted workspace value counts, as its own reader takes it');
  world.trusted = false;
  assert.deepEqual(readSettings().kubeconfig, [`${os.homedir()}/.kube/lab.conf`], 'untrusted: only the user value, like kubeadm.kubeconfig');
  world.k8sUser = undefined;
  assert.deepEqual(readSettings().kubeconfig, []);
  world.k8sInstalled = false;
  world.k8sWorkspace = undefined;
});
