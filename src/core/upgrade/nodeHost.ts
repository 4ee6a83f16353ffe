import { succeeded, type NodeExecutor } from '../exec/executor';
import { raw } from '../exec/shell';

/**
 * Is the host we reached (over SSH, a terminal or the local shell) the Node being upgraded? An ssh_config entry that
 * points cp-2 at cp-3's address is an ordinary mistake, and without this check it upgrades cp-3 under cp-2's name.
 * The Node's kubelet reports its host's machine id (status.nodeInfo.machineID, read by cAdvisor from /etc/machine-id,
 * else /var/lib/dbus/machine-id); the host says its own. Where either has none, the host name is compared with the
 * node name (kubelet's default node name is the host name, lowercased) and the Node's Hostname address.
 */

/** What the API says about the Node's host. */
export interface NodeHostFacts {
  /** status.nodeInfo.machineID; '' when the kubelet reported none. */
  readonly machineID: string;
  /** The Node's `Hostname` address; '' when it has none. */
  readonly hostname: string;
}

/** What the host says about itself. */
export interface HostSelf {
  readonly machineId: string;
  readonly hostname: string;
}

/** Prints both facts on marked lines (the same files cAdvisor reads), whatever else a login prints. */
export const HOST_FACTS_COMMAND = raw(
  `printf 'kubeadm-upgrade-machine-id=%s\\nkubeadm-upgrade-hostname=%s\\n' "$(cat /etc/machine-id 2>/dev/null || cat /var/lib/dbus/machine-id 2>/dev/null)" "$(hostname 2>/dev/null || cat /proc/sys/kernel/hostname)"`,
);

export function parseHostSelf(stdout: string): HostSelf | undefined {
  const get = (key: string) => new RegExp(`^kubeadm-upgrade-${key}=(.*)$`, 'm').exec(stdout)?.[1]?.trim();
  const machineId = get('machine-id');
  const hostname = get('hostname');
  if (machineId === undefined || hostname === undefined) return undefined;
  return { machineId, hostname };
}

const short = (h: string) => h.trim().toLowerCase().split('.')[0] ?? '';

/** Why the host reached is not `node`, naming both sides; undefined when it is. */
export function hostMismatch(node: string, api: NodeHostFacts, self: HostSelf, where: string): string | undefined {
  const fix = `Check the SSH mapping of ${node} (ssh_config Host ${node} / HostName, or the setting kubeadm.ssh.hosts): nothing was changed on that host.`;
  if (api.machineID && self.machineId) {
    if (api.machineID.trim().toLowerCase() === self.machineId.trim().toLowerCase()) return undefined;
    return `The host reached for ${node} (${where}) is not ${node}: its machine id is ${self.machineId} (hostname ${self.hostname || 'unknown'}), but the Node ${node} reports machine id ${api.machineID}. ${fix}`;
  }
  const names = [node, api.hostname].filter(Boolean).map(short);
  if (self.hostname && names.includes(short(self.hostname))) return undefined;
  const why = api.machineID ? 'the host has no /etc/machine-id' : `the Node ${node} reports no machine id`;
  return `The host reached for ${node} (${where}) is not ${node}: ${why}, and its hostname ${self.hostname ? `"${self.hostname}"` : '(none)'} is not the node name${api.hostname && short(api.hostname) !== short(node) ? ` or the Node's Hostname address ${api.hostname}` : ''}. ${fix}`;
}

/**
 * Asks the host and compares. Returns the refusal, or undefined when the host is the Node. A host that cannot be asked
 * is refused too: nothing is run on a host that has not been confirmed.
 */
export async function confirmNodeHost(executor: NodeExecutor, node: string, api: NodeHostFacts): Promise<{ problem?: string; exitCode: number | null; durationMs: number; failure?: string }> {
  const started = Date.now();
  const r = await executor.run(HOST_FACTS_COMMAND, { sudo: false, timeoutMs: 60_000 });
  const durationMs = Date.now() - started;
  const self = succeeded(r) ? parseHostSelf(r.stdout) : undefined;
  if (!self) {
    const why = r.failure ?? (succeeded(r) ? 'its answer had no machine id or hostname line' : `exit code ${r.exitCode}: ${r.stderr.trim().slice(0, 300)}`);
    return { problem: `Could not confirm that the host reached for ${node} (${executor.description}) is ${node}: ${why}.`, exitCode: r.exitCode, durationMs, ...(r.failure ? { failure: r.failure } : {}) };
  }
  const problem = hostMismatch(node, api, self, executor.description);
  return { ...(problem ? { problem } : {}), exitCode: r.exitCode, durationMs };
}
