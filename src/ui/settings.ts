import * as vscode from 'vscode';
import { DEFAULT_OPTIONS, type UpgradeOptions } from '../core/upgrade/phases';

/** Typed access to the extension's settings (package.json `contributes.configuration`). */
export interface Settings {
  readonly kubeconfig: string[];
  readonly targetVersion: string;
  readonly kubectlPath: string;
  readonly execution: 'ssh' | 'terminal';
  readonly sshConfigFile: string;
  /** Node name → SSH host (an ssh_config alias or user@host). */
  readonly sshHosts: Readonly<Record<string, string>>;
  readonly upgrade: UpgradeOptions;
}

export function readSettings(): Settings {
  const c = vscode.workspace.getConfiguration('kubeadm');
  const kc = c.get<string | string[]>('kubeconfig', []);
  const d = DEFAULT_OPTIONS;
  const grace = c.get<number>('drain.gracePeriodSeconds', -1);
  return {
    kubeconfig: (Array.isArray(kc) ? kc : [kc]).filter((p) => typeof p === 'string' && p.trim() !== ''),
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
      drain: {
        timeoutSeconds: c.get<number>('drain.timeoutSeconds', d.drain.timeoutSeconds),
        ...(grace >= 0 ? { gracePeriodSeconds: grace } : {}),
        deleteEmptyDirData: c.get<boolean>('drain.deleteEmptyDirData', d.drain.deleteEmptyDirData),
        force: c.get<boolean>('drain.force', d.drain.force),
        disableEviction: c.get<boolean>('drain.disableEviction', d.drain.disableEviction),
        evictionConcurrency: c.get<number>('drain.evictionConcurrency', 50),
      },
    },
  };
}
