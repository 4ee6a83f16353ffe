/**
 * From a node to an SSH destination, and from ssh_config's computed values to the settings a connection uses.
 * Pure: the adapter reads the config file (with the `ssh-config` package) and passes the computed values here.
 */

export interface SshDestination {
  /** What is looked up in ssh_config (`Host` patterns): an alias, a name or an address. */
  readonly host: string;
  readonly user?: string;
  readonly port?: number;
}

/** `host`, `user@host`, `user@host:port`, `[v6addr]:port`, `ssh://user@host:port`. */
export function parseDestination(text: string): SshDestination {
  let s = text.trim();
  if (s.startsWith('ssh://')) s = s.slice(6).replace(/\/$/, '');
  let user: string | undefined;
  const at = s.lastIndexOf('@');
  if (at >= 0) {
    user = s.slice(0, at);
    s = s.slice(at + 1);
  }
  let port: number | undefined;
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (v6) {
    s = v6[1]!;
    if (v6[2]) port = Number(v6[2]);
  } else {
    const hp = /^([^:]+):(\d+)$/.exec(s);
    if (hp) {
      s = hp[1]!;
      port = Number(hp[2]);
    }
  }
  if (s === '' || /[\s'"`$;|&<>\\]/.test(s) || (user !== undefined && (user === '' || /[\s'"`$;|&<>\\:]/.test(user)))) {
    throw new Error(`"${text}" is not an SSH destination ([user@]host[:port])`);
  }
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) throw new Error(`"${text}": bad port`);
  return { host: s, ...(user !== undefined ? { user } : {}), ...(port !== undefined ? { port } : {}) };
}

export type DestinationSource = 'mapping' | 'ssh_config' | 'internalIP' | 'nodeName';

export interface NodeAddressing {
  /** The node's InternalIP from its status, when known. */
  readonly internalIP?: string;
  /** Settings `kubeadm.ssh.hosts`-style mapping: node name → `[user@]host[:port]` or an ssh_config alias. */
  readonly mapping?: Readonly<Record<string, string>>;
  /** `'nodeName'`: ssh to the node name even without an ssh_config entry (DNS); default `'internalIP'`. */
  readonly prefer?: 'nodeName' | 'internalIP';
}

/**
 * Node name → SSH destination: a mapping in settings wins; else the node name when ssh_config has a `Host` entry
 * naming it (not only wildcards); else the InternalIP (or the name, with `prefer: 'nodeName'` or no InternalIP).
 */
export function chooseDestination(
  nodeName: string,
  addressing: NodeAddressing,
  configNamesHost: (name: string) => boolean,
): { destination: SshDestination; source: DestinationSource } {
  const mapped = addressing.mapping?.[nodeName];
  if (mapped !== undefined && mapped.trim() !== '') return { destination: parseDestination(mapped), source: 'mapping' };
  if (configNamesHost(nodeName)) return { destination: { host: nodeName }, source: 'ssh_config' };
  if (addressing.internalIP && addressing.prefer !== 'nodeName') return { destination: { host: addressing.internalIP }, source: 'internalIP' };
  return { destination: { host: nodeName }, source: 'nodeName' };
}

/** Whether a `Host` line's patterns name `host` literally (a non-negated pattern without wildcards equal to it). */
export function hostLineNames(hostPatterns: readonly string[], host: string): boolean {
  const h = host.toLowerCase();
  return hostPatterns.some((p) => !p.startsWith('!') && !/[*?]/.test(p) && p.toLowerCase() === h);
}

/** The settings one connection uses, after ssh_config. */
export interface SshHostConfig {
  /** The destination as given (alias); known_hosts uses `hostKeyAlias ?? hostName`. */
  readonly alias: string;
  readonly hostName: string;
  readonly port: number;
  readonly user: string;
  readonly identityFiles: readonly string[];
  /** IdentityFile came from the config (else OpenSSH's default list, skipped when missing). */
  readonly identityFilesExplicit: boolean;
  readonly identitiesOnly: boolean;
  /** ssh-agent socket: IdentityAgent, else $SSH_AUTH_SOCK; undefined = no agent. */
  readonly identityAgent?: string;
  /** One jump host (`[user@]host[:port]` or an alias). */
  readonly proxyJump?: string;
  readonly proxyCommand?: string;
  readonly userKnownHostsFiles: readonly string[];
  readonly globalKnownHostsFiles: readonly string[];
  readonly hashKnownHosts: boolean;
  readonly hostKeyAlias?: string;
  /** `yes`: unknown hosts are refused without asking. */
  readonly strictHostKeyChecking: 'yes' | 'ask';
  readonly connectTimeoutMs?: number;
  readonly keepaliveIntervalMs?: number;
  readonly keepaliveCountMax?: number;
  readonly passwordAuthentication: boolean;
}

export interface LocalEnv {
  readonly home: string;
  readonly localUser: string;
  /** $SSH_AUTH_SOCK */
  readonly authSock?: string;
}

const DEFAULT_IDENTITIES = ['id_rsa', 'id_ecdsa', 'id_ecdsa_sk', 'id_ed25519', 'id_ed25519_sk'];

/**
 * Computed ssh_config values (keys lower-cased, as `ssh-config`'s `compute(host, {ignoreCase: true})` returns them)
 * → connection settings, with OpenSSH's defaults and `~`/`%` expansion. `override` (from the destination) wins.
 */
export function hostConfigFromComputed(
  destination: SshDestination,
  computed: Readonly<Record<string, string | readonly string[]>>,
  env: LocalEnv,
): SshHostConfig {
  const one = (k: string): string | undefined => {
    const v = computed[k];
    if (v === undefined) return undefined;
    return Array.isArray(v) ? (v[0] as string | undefined) : (v as string);
  };
  const many = (k: string): string[] => {
    const v = computed[k];
    if (v === undefined) return [];
    // ssh-config already splits (and unquotes) multi-value directives; a plain string is one value.
    return (Array.isArray(v) ? (v as string[]) : [v as string]).filter((x) => x !== '');
  };
  const yes = (k: string, dflt: boolean) => {
    const v = one(k)?.toLowerCase();
    return v === undefined ? dflt : v === 'yes' || v === 'true';
  };
  const alias = destination.host;
  const hostName = expandTokens(one('hostname') ?? alias, { h: alias, n: alias, '%': '%' });
  const port = destination.port ?? (one('port') ? Number(one('port')) : 22);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`ssh_config: bad Port for ${alias}`);
  const user = destination.user ?? one('user') ?? env.localUser;
  const tokens = { h: hostName, n: alias, p: String(port), r: user, u: env.localUser, d: env.home, '%': '%' };
  const path = (p: string) => expandTilde(expandTokens(stripQuotes(p), tokens), env.home);
  const idFiles = many('identityfile').filter((f) => f.toLowerCase() !== 'none');
  const agentRaw = one('identityagent');
  let identityAgent: string | undefined = env.authSock;
  if (agentRaw !== undefined) {
    if (agentRaw.toLowerCase() === 'none') identityAgent = undefined;
    else if (agentRaw === 'SSH_AUTH_SOCK') identityAgent = env.authSock;
    else identityAgent = path(agentRaw);
  }
  const jump = one('proxyjump');
  const proxyCommand = one('proxycommand');
  const userKnown = many('userknownhostsfile').map(path);
  const globalKnown = many('globalknownhostsfile').map(path);
  const strict = one('stricthostkeychecking')?.toLowerCase();
  const connectTimeout = one('connecttimeout');
  const aliveInterval = one('serveraliveinterval');
  const aliveCount = one('serveralivecountmax');
  const hostKeyAlias = one('hostkeyalias');
  return {
    alias,
    hostName,
    port,
    user,
    identityFiles: idFiles.length > 0 ? idFiles.map(path) : DEFAULT_IDENTITIES.map((f) => `${env.home}/.ssh/${f}`),
    identityFilesExplicit: idFiles.length > 0,
    identitiesOnly: yes('identitiesonly', false),
    ...(identityAgent ? { identityAgent } : {}),
    ...(jump && jump.toLowerCase() !== 'none' ? { proxyJump: jump } : {}),
    ...(proxyCommand && proxyCommand.toLowerCase() !== 'none' ? { proxyCommand } : {}),
    userKnownHostsFiles: userKnown.length > 0 ? userKnown : [`${env.home}/.ssh/known_hosts`, `${env.home}/.ssh/known_hosts2`],
    globalKnownHostsFiles: globalKnown.length > 0 ? globalKnown : ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'],
    hashKnownHosts: yes('hashknownhosts', false),
    ...(hostKeyAlias ? { hostKeyAlias } : {}),
    strictHostKeyChecking: strict === 'yes' || strict === 'true' ? 'yes' : 'ask',
    ...(connectTimeout && Number(connectTimeout) > 0 ? { connectTimeoutMs: Number(connectTimeout) * 1000 } : {}),
    ...(aliveInterval && Number(aliveInterval) > 0 ? { keepaliveIntervalMs: Number(aliveInterval) * 1000 } : {}),
    ...(aliveCount && Number(aliveCount) > 0 ? { keepaliveCountMax: Number(aliveCount) } : {}),
    passwordAuthentication: yes('passwordauthentication', true),
  };
}

function stripQuotes(s: string): string {
  return s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s;
}

export function expandTilde(p: string, home: string): string {
  if (p === '~') return home;
  if (p.startsWith('~/')) return home + p.slice(1);
  return p;
}

/** `%h`, `%p`, `%r`, `%u`, `%d`, `%n`, `%%`; unknown tokens are left as they are. */
export function expandTokens(s: string, tokens: Readonly<Record<string, string>>): string {
  return s.replace(/%(.)/g, (m, c: string) => tokens[c] ?? m);
}
