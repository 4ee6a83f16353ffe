import { validateNodeName } from '../../core/exec/shell';
import { SshError } from '../../core/ssh/errors';
import { chooseDestination, parseDestination, type DestinationSource, type LocalEnv, type NodeAddressing, type SshHostConfig } from '../../core/ssh/hostConfig';
import type { SshPrompts } from '../../core/ssh/prompts';
import { SshConnection } from './connection';
import { localEnv, SshConfigFile } from './sshConfigFile';
import { SshExecutor } from './sshExecutor';

export interface SshPoolOptions {
  readonly prompts: SshPrompts;
  /** `kubeadm.ssh.configFile`; undefined: ~/.ssh/config. */
  readonly configFile?: string;
  /** Node name → `[user@]host[:port]` or ssh_config alias (settings). Merged under the per-call mapping. */
  readonly hosts?: Readonly<Record<string, string>>;
  /** Without a mapping or ssh_config entry: InternalIP (default) or the node name. */
  readonly prefer?: 'nodeName' | 'internalIP';
  /** Overrides ssh_config's User when neither the mapping nor ssh_config names one (OpenSSH would use the local user). */
  readonly defaultUser?: string;
  readonly connectTimeoutMs?: number;
  readonly keepaliveIntervalMs?: number;
  readonly keepaliveCountMax?: number;
  /** Tests: home, local user and agent socket instead of the process's. */
  readonly env?: LocalEnv;
  readonly debug?: (line: string) => void;
}

export interface ResolvedNode {
  readonly config: SshHostConfig;
  readonly source: DestinationSource;
}

/**
 * One SSH connection per node, shared by every step: `getExecutor(node)` returns the same executor (and so the same
 * connection) for the same destination. Key passphrases are asked once per pool and kept in memory only.
 */
export class SshPool {
  private readonly executors = new Map<string, SshExecutor>();
  private readonly passphrases = new Map<string, string>();
  private sshConfig: SshConfigFile | undefined;

  constructor(private readonly o: SshPoolOptions) {}

  /** ssh_config as it reads now: re-read on every lookup (a small file), parsed again only when it changed. */
  private config(): SshConfigFile {
    this.sshConfig = SshConfigFile.reload(this.sshConfig, this.o.configFile, this.o.env ?? localEnv());
    return this.sshConfig;
  }

  /** Where a node would be reached, without connecting (for the UI to show). Throws SshError('config'). */
  resolve(nodeName: string, addressing: NodeAddressing = {}): ResolvedNode {
    try {
      validateNodeName(nodeName);
      const cfgFile = this.config();
      const mapping = { ...this.o.hosts, ...addressing.mapping };
      const { destination, source } = chooseDestination(
        nodeName,
        { ...addressing, mapping, ...(addressing.prefer ?? this.o.prefer ? { prefer: addressing.prefer ?? this.o.prefer } : {}) },
        (n) => cfgFile.namesHost(n),
      );
      let config = cfgFile.resolve(destination);
      if (!destination.user && this.o.defaultUser && !this.userFromConfig(destination.host)) config = { ...config, user: this.o.defaultUser };
      return { config, source };
    } catch (e) {
      if (e instanceof SshError) throw e;
      throw new SshError('config', `SSH settings for node ${nodeName}: ${(e as Error).message}`);
    }
  }

  private userFromConfig(host: string): boolean {
    return this.config().configuredUser(host) !== undefined;
  }

  /** The executor for a node: created on first call, then the same one (one connection per node). */
  getExecutor(nodeName: string, addressing: NodeAddressing = {}): SshExecutor {
    const { config } = this.resolve(nodeName, addressing);
    // Keyed by everything that decides how the node is reached, so a changed ssh_config entry (Port, HostName,
    // User, IdentityFile, ProxyJump…) gets a connection of its own instead of the old one.
    const key = JSON.stringify(config);
    let ex = this.executors.get(key);
    if (!ex) {
      ex = new SshExecutor({
        config,
        prompts: namedSudoPrompt(this.o.prompts, nodeName),
        open: (signal) =>
          SshConnection.open({
            config,
            prompts: this.o.prompts,
            passphrases: this.passphrases,
            resolveJump: (d) => this.config().resolve(parseDestination(d)),
            ...(this.o.connectTimeoutMs !== undefined ? { connectTimeoutMs: this.o.connectTimeoutMs } : {}),
            ...(this.o.keepaliveIntervalMs !== undefined ? { keepaliveIntervalMs: this.o.keepaliveIntervalMs } : {}),
            ...(this.o.keepaliveCountMax !== undefined ? { keepaliveCountMax: this.o.keepaliveCountMax } : {}),
            ...(signal ? { signal } : {}),
            ...(this.o.debug ? { debug: this.o.debug } : {}),
          }),
      });
      this.executors.set(key, ex);
    }
    return ex;
  }

  /**
   * The executor for a node as the API lists it: by its name, with its InternalIP as the address when neither the
   * mapping nor ssh_config names one (chooseDestination's order). The one place a cluster node becomes an SSH target.
   */
  executorForNode(node: { readonly name: string; readonly internalIP?: string | undefined }, mapping?: Readonly<Record<string, string>>): SshExecutor {
    return this.getExecutor(node.name, { ...(node.internalIP ? { internalIP: node.internalIP } : {}), ...(mapping ? { mapping } : {}) });
  }

  /** Closes every connection and forgets passphrases and sudo passwords. */
  dispose(): void {
    for (const ex of this.executors.values()) ex.dispose();
    this.executors.clear();
    this.passphrases.clear();
  }
}

/** The sudo prompt names the node (`sudo password for kubeadm@worker-2`), not the address it is reached at. */
function namedSudoPrompt(prompts: SshPrompts, nodeName: string): SshPrompts {
  const named = Object.create(prompts) as SshPrompts & { askSudoPassword: SshPrompts['askSudoPassword'] };
  named.askSudoPassword = (_host, user) => prompts.askSudoPassword(nodeName, user);
  return named;
}
