import { quote, raw, sh, validatePath, type ShellCommand } from '../exec/shell';

/**
 * etcdctl on a kubeadm control plane, with kubeadm's etcd client certificate. The host's etcdctl when there is one;
 * otherwise `crictl exec` into the running etcd static pod's container (kubeadm's etcd image ships etcdctl and mounts
 * /etc/kubernetes/pki/etcd and /var/lib/etcd from the host); otherwise exit 127 with how to get one.
 */
export const ETCD_PKI = '/etc/kubernetes/pki/etcd';
export const ETCD_ENDPOINT = 'https://127.0.0.1:2379';
export const NO_ETCDCTL_EXIT = 127;
export const NO_ETCDCTL_HELP =
  'No etcdctl on the node and no running etcd container reachable with crictl. Install etcdctl (the etcd release tarball from https://github.com/etcd-io/etcd/releases, same minor as the cluster\'s etcd) or make crictl available, then run again.';

const TLS_FLAGS = [
  `--endpoints=${ETCD_ENDPOINT}`,
  `--cacert=${ETCD_PKI}/ca.crt`,
  `--cert=${ETCD_PKI}/healthcheck-client.crt`,
  `--key=${ETCD_PKI}/healthcheck-client.key`,
];

/** True, with the container's id in $id, when crictl can reach a running etcd static pod container. */
const ETCD_CONTAINER_RUNNING = `command -v crictl >/dev/null 2>&1 && id=$(crictl ps -q --name '^etcd$' --state running 2>/dev/null | head -n 1) && [ -n "$id" ]`;
const NO_ETCDCTL = `echo ${quote(NO_ETCDCTL_HELP)} >&2; exit ${NO_ETCDCTL_EXIT}`;

/** Runs `etcdctl <args>` (args are quoted); needs root for the client key. */
export function etcdctlCommand(args: readonly string[]): ShellCommand {
  const argv = [...TLS_FLAGS, ...args].map(quote).join(' ');
  return raw(
    `if command -v etcdctl >/dev/null 2>&1; then ETCDCTL_API=3 etcdctl ${argv}; ` +
      `elif ${ETCD_CONTAINER_RUNNING}; then crictl exec "$id" etcdctl ${argv}; ` +
      `else ${NO_ETCDCTL}; fi`,
  );
}

export const ENDPOINT_STATUS = etcdctlCommand(['endpoint', 'status', '--cluster', '-w', 'json']);
export const ENDPOINT_HEALTH = etcdctlCommand(['endpoint', 'health', '--cluster', '-w', 'json']);

/**
 * Sets $bin to etcd's own `name` binary, runnable on the host: the host's when on PATH, else the running etcd
 * container's, read through /proc/<pid>/root (the container's root file system as the host sees it; etcd's binaries
 * are static Go, so they run on the host). On the host they can write where the container cannot see: a private
 * folder outside /var/lib/etcd.
 */
function etcdBinary(name: 'etcdctl' | 'etcdutl'): string {
  const inImage = `/usr/local/bin/${name}`;
  return (
    `bin=; if command -v ${name} >/dev/null 2>&1; then bin=$(command -v ${name}); ` +
    `elif ${ETCD_CONTAINER_RUNNING}; then pid=$(crictl inspect -o go-template --template '{{.info.pid}}' "$id" 2>/dev/null || crictl inspect "$id" | sed -n 's/^ *"pid": *\\([0-9]*\\).*/\\1/p' | head -n 1); ` +
    `if [ -n "$pid" ] && [ -x "/proc/$pid/root${inImage}" ]; then bin=/proc/$pid/root${inImage}; fi; fi`
  );
}

/** The node's private staging folder: partial snapshots live here, never in /var/lib/etcd, and go on failure. */
export const stagingDir = (dir: string) => `${dir}/.staging`;

/**
 * `etcdctl snapshot save` into `<dir>/.staging/<file>.part` (root-only), moved to `<dir>/<file>` when complete; a
 * failed save leaves nothing (trap). Prints the file's sha256 and its size (`size N`). Where etcdctl can only run in
 * the container (no /proc view of it), the container writes into its /var/lib/etcd mount under a unique name that
 * the trap removes too.
 */
export function snapshotSaveCommand(dir: string, file: string): ShellCommand {
  validatePath(dir);
  if (!/^[A-Za-z0-9._-]+$/.test(file)) throw new Error(`bad snapshot file name ${file}`);
  const part = `${stagingDir(dir)}/${file}.part`;
  const inEtcd = `/var/lib/etcd/.kubeadm-upgrade-${file}.part`;
  const tls = TLS_FLAGS.map(quote).join(' ');
  const final = `${dir}/${file}`;
  return raw(
    `set -e; umask 077; mkdir -p ${quote(stagingDir(dir))}; chmod 0700 ${quote(dir)} ${quote(stagingDir(dir))}; ` +
      `trap 'rm -f ${quote(part)} ${quote(`${part}.part`)} ${quote(inEtcd)} ${quote(`${inEtcd}.part`)}' EXIT; ` +
      `${etcdBinary('etcdctl')}; ` +
      `if [ -n "$bin" ]; then ETCDCTL_API=3 "$bin" ${tls} snapshot save ${quote(part)}; ` +
      `elif ${ETCD_CONTAINER_RUNNING}; then crictl exec "$id" etcdctl ${tls} snapshot save ${quote(inEtcd)}; mv ${quote(inEtcd)} ${quote(part)}; ` +
      `else ${NO_ETCDCTL}; fi; ` +
      `mv ${quote(part)} ${quote(final)}; sha256sum ${quote(final)}; echo "size $(stat -c %s ${quote(final)})"`,
  );
}

/**
 * `etcdutl snapshot status -w json` (etcd >= 3.5) on the host — the host's etcdutl or the etcd container's through
 * /proc — else the older `etcdctl snapshot status`, else exit 127.
 */
export function snapshotStatusCommand(filePath: string): ShellCommand {
  validatePath(filePath);
  const f = quote(filePath);
  return raw(
    `${etcdBinary('etcdutl')}; if [ -n "$bin" ]; then "$bin" snapshot status ${f} -w json; ` +
      `elif command -v etcdctl >/dev/null 2>&1; then ETCDCTL_API=3 etcdctl snapshot status ${f} -w json; ` +
      `else ${NO_ETCDCTL}; fi`,
  );
}

/** Removes a snapshot that failed verification or copying from the node, and its staging leftovers. */
export function removeSnapshotCommand(dir: string, file: string): ShellCommand {
  validatePath(dir);
  return sh`rm -f ${`${dir}/${file}`} ${`${stagingDir(dir)}/${file}.part`}`;
}

/** One chunk of a file as base64, for executors that cannot stream bytes (a terminal): bounded by `length`. */
export function base64ChunkCommand(filePath: string, offset: number, length: number): ShellCommand {
  validatePath(filePath);
  if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length <= 0) throw new Error('bad chunk');
  return raw(`tail -c +${offset + 1} ${quote(filePath)} | head -c ${length} | base64 -w 0`);
}

/** A file's bytes from `offset` to its end, on stdout (a stream: the executor hands the bytes on as they come). */
export function readFromCommand(filePath: string, offset: number): ShellCommand {
  validatePath(filePath);
  if (!Number.isSafeInteger(offset) || offset < 0) throw new Error('bad offset');
  return raw(`tail -c +${offset + 1} ${quote(filePath)}`);
}

/** External etcd is declared in ClusterConfiguration (`etcd.external`); kubeadm neither backs it up nor upgrades it. */
export function isExternalEtcd(clusterConfiguration: string | undefined): boolean {
  return /^etcd:\s*\n(?:[ \t]+.*\n)*?[ \t]+external:/m.test((clusterConfiguration ?? '') + '\n');
}
