/**
 * SSH settings per cluster (kubeadm.ssh.clusters): two clusters reached from one window (two admin.conf files, both
 * `kubernetes-admin@kubernetes`, shown side by side) each have nodes named cp-1: each needs its own ssh_config and host
 * map. Keyed by the context name as the tree shows it, or by the API server URL (which stays right when a context is
 * renamed or shown under its server label).
 */
export interface SshClusterSetting {
  readonly configFile?: string;
  /** Node name → SSH destination, as kubeadm.ssh.hosts. */
  readonly hosts?: Readonly<Record<string, string>>;
}

export interface SshSettings {
  readonly sshConfigFile: string;
  readonly sshHosts: Readonly<Record<string, string>>;
}

/**
 * The SSH settings for one cluster: its entry by context name, else by server URL (trailing slashes ignored), over the
 * global ones (a field the entry leaves out keeps the global value; its hosts are merged over the global map).
 */
export function sshSettingsFor(global: SshSettings, clusters: Readonly<Record<string, SshClusterSetting>>, context: string, server: string | undefined): SshSettings {
  const norm = (u: string) => u.trim().replace(/\/+$/, '');
  const entry = clusters[context] ?? (server ? Object.entries(clusters).find(([k]) => /^https?:\/\//.test(k) && norm(k) === norm(server))?.[1] : undefined);
  if (!entry) return global;
  return {
    sshConfigFile: entry.configFile?.trim() || global.sshConfigFile,
    sshHosts: { ...global.sshHosts, ...(entry.hosts ?? {}) },
  };
}
