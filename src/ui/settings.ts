import * as os from 'node:os';
import * as vscode from 'vscode';
import { KUBERNETES_EXTENSION_ID, followedKubeconfig } from './k8sExtension/explorerTarget';
import { DEFAULT_OPTIONS, type UpgradeOptions } from '../core/upgrade/phases';
import type { SshClusterSetting } from '../core/ssh/perCluster';

/** Typed access to the extension's settings (package.json `contributes.configuration`). */
export interface Settings {
  readonly kubeconfig: string[];
  /** Show every definition of a context name defined in several kubeconfig files, labelled by server (not kubectl's rule). */
  readonly showShadowedContexts: boolean;
  /** kubeadm.ssh.clusters: per cluster (context name or API server URL), its own ssh_config file and host map. */
  readonly sshClusters: Readonly<Record<string, SshClusterSetting>>;
  readonly targetVersion: string;
  readonly kubectlPath: string;
  readonly execution: 'ssh' | 'terminal';
  readonly sshConfigFile: string;
  /** Node name → SSH host (an ssh_config alias or user@host). */
  readonly sshHosts: Readonly<Record<string, string>>;
  readonly upgrade: UpgradeOptions;
  /** kubeadm.upgrade.patchesDir: kubeadm's patches folder on the control planes, by kubeconfig context (`*`: any). */
  readonly patchesDirs: Readonly<Record<string, string>>;
}

/** The upgrade options for one cluster: its patches folder (kubeadm.upgrade.patchesDir[context], else `*`) added. */
export function upgradeOptionsFor(settings: Settings, contextName: string): UpgradeOptions {
  const dir = (settings.patchesDirs[contextName] ?? settings.patchesDirs['*'] ?? '').trim();
  return dir.startsWith('/') ? { ...settings.upgrade, patchesDir: dir } : settings.upgrade;
}

/**
 * Settings whose workspace values are ignored in an untrusted workspace (package.json `restrictedConfigurations`,
 * kept equal by a unit test): those that choose what runs or where (kubeconfig and its exec plugins, kubectl,
 * ssh_config, node hosts, execution mode), and those that weaken safety (drain force, disable-eviction, emptyDir
 * deletion, grace period and eviction concurrency; every upgrade option; the etcd snapshot folder). A workspace's
 * `.vscode/settings.json` someone else wrote must not turn them on: only user (and default) values count there.
 */
export const RESTRICTED_SETTINGS: readonly string[] = [
  'kubeadm.kubeconfig',
  'kubeadm.kubectlPath',
  'kubeadm.execution',
  'kubeadm.ssh.configFile',
  'kubeadm.ssh.hosts',
  'kubeadm.ssh.clusters',
  'kubeadm.drain.force',
  'kubeadm.drain.disableEviction',
  'kubeadm.drain.deleteEmptyDirData',
  'kubeadm.drain.gracePeriodSeconds',
  'kubeadm.drain.evictionConcurrency',
  'kubeadm.upgrade.renewCertificates',
  'kubeadm.upgrade.upgradeEtcd',
  'kubeadm.upgrade.stopApiserverBeforeUpgrade',
  'kubeadm.upgrade.maxUnavailable',
  'kubeadm.upgrade.readyTimeoutSeconds',
  'kubeadm.upgrade.patchesDir',
  'kubeadm.upgrade.prepullImages',
  'kubeadm.upgrade.imagesArchive',
  'kubeadm.etcdSnapshot.folder',
];

/**
 * One `kubeadm.*` setting as the extension may use it. VS Code itself drops the workspace values of the
 * `restrictedConfigurations` in Restricted Mode; this reader does so too (user and default values only), so a
 * restricted setting never takes a workspace value in an untrusted workspace, whatever the host does.
 */
export function kubeadmSetting<T>(key: string, fallback: T, c: vscode.WorkspaceConfiguration = vscode.workspace.getConfiguration('kubeadm')): T {
  if (vscode.workspace.isTrusted || !RESTRICTED_SETTINGS.includes(`kubeadm.${key}`)) return c.get<T>(key, fallback);
  const i = c.inspect<T>(key);
  return i?.globalValue ?? i?.defaultValue ?? fallback;
}

/**
 * The Kubernetes extension's `vs-kubernetes` > `vs-kubernetes.kubeconfig` (read the way it reads it: the key has a dot
 * in its name, so it is indexed, not looked up as a path). Like `kubeadm.kubeconfig`, only the user's value counts in
 * an untrusted workspace.
 */
function kubernetesExtensionKubeconfig(): unknown {
  const section = vscode.workspace.isTrusted
    ? (vscode.workspace.getConfiguration('vs-kubernetes') as unknown as Record<string, unknown>)
    : vscode.workspace.getConfiguration().inspect<Record<string, unknown>>('vs-kubernetes')?.globalValue;
  return section?.['vs-kubernetes.kubeconfig'];
}

export function readSettings(): Settings {
  const conf = vscode.workspace.getConfiguration('kubeadm');
  const c = { get: <T>(key: string, fallback: T): T => kubeadmSetting(key, fallback, conf) };
  const kc = c.get<string | string[]>('kubeconfig', []);
  const d = DEFAULT_OPTIONS;
  const grace = c.get<number>('drain.gracePeriodSeconds', -1);
  const archive = c.get<string>('upgrade.imagesArchive', '').trim();
  return {
    kubeconfig: followedKubeconfig(
      (Array.isArray(kc) ? kc : [kc]).filter((p) => typeof p === 'string' && p.trim() !== ''),
      kubernetesExtensionKubeconfig(),
      vscode.extensions.getExtension(KUBERNETES_EXTENSION_ID) !== undefined,
      os.homedir(),
    ),
    showShadowedContexts: c.get<boolean>('showShadowedContexts', false),
    sshClusters: c.get<Record<string, SshClusterSetting>>('ssh.clusters', {}),
    targetVersion: c.get<string>('targetVersion', '').trim(),
    kubectlPath: c.get<string>('kubectlPath', 'kubectl').trim(),
    execution: c.get<string>('execution', 'ssh') === 'terminal' ? 'terminal' : 'ssh',
    sshConfigFile: c.get<string>('ssh.configFile', '').trim(),
    sshHosts: c.get<Record<string, string>>('ssh.hosts', {}),
    upgrade: {
      renewCertificates: c.get<boolean>('upgrade.renewCertificates', d.renewCertificates),
      upgradeEtcd: c.get<boolean>('upgrade.upgradeEtcd', d.upgradeEtcd),
      stopApiserverFirst: c.get<boolean>('upgrade.stopApiserverBeforeUpgrade', d.stopApiserverFirst),
      readyTimeoutSeconds: c.get<number>('upgrade.readyTimeoutSeconds', d.readyTimeoutSeconds),
      ...(c.get<boolean>('upgrade.prepullImages', false) || archive ? { prepullImages: true } : {}),
      ...(archive ? { imagesArchive: archive } : {}),
      drain: {
        timeoutSeconds: c.get<number>('drain.timeoutSeconds', d.drain.timeoutSeconds),
        ...(grace >= 0 ? { gracePeriodSeconds: grace } : {}),
        deleteEmptyDirData: c.get<boolean>('drain.deleteEmptyDirData', d.drain.deleteEmptyDirData),
        force: c.get<boolean>('drain.force', d.drain.force),
        disableEviction: c.get<boolean>('drain.disableEviction', d.drain.disableEviction),
        evictionConcurrency: c.get<number>('drain.evictionConcurrency', 50),
      },
    },
    patchesDirs: c.get<Record<string, string>>('upgrade.patchesDir', {}),
  };
}
