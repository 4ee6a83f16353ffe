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
 * The snapshot's folder on the node. Under /var/lib/etcd's parent? No: under /var/lib/etcd itself would be inside
 * the data dir. The extension's own folder is listed by Show Backups (core/backups/paths ETCD_SNAPSHOT_DIR), and for
 * the crictl fallback the snapshot is first written to /var/lib/etcd (the container's host mount) and moved.
 */
export function snapshotSaveCommand(dir: string, file: string): ShellCommand {
  validatePath(dir);
  if (!/^[A-Za-z0-9._-]+$/.test(file)) throw new Error(`bad snapshot file name ${file}`);
  const save = etcdctlCommand(['snapshot', 'save', `/var/lib/etcd/${file}.part`]);
  return raw(
    `set -e; umask 077; mkdir -p ${quote(dir)}; ${save}; mv ${quote(`/var/lib/etcd/${file}.part`)} ${quote(`${dir}/${file}`)}; ` +
      `sha256sum ${quote(`${dir}/${file}`)}`,
  );
}

/**
 * `etcdutl snapshot status` (etcd ≥ 3.5), else the older `etcdctl snapshot status`, as JSON. A kubeadm host usually
 * has neither: then the etcd container's etcdutl reads a copy placed in /var/lib/etcd (its host mount), removed after.
 */
export function snapshotStatusCommand(filePath: string): ShellCommand {
  validatePath(filePath);
  const f = quote(filePath);
  const inContainer = quote(`/var/lib/etcd/${filePath.split('/').pop()!}.verify`);
  return raw(
    `if command -v etcdutl >/dev/null 2>&1; then etcdutl snapshot status ${f} -w json; ` +
      `elif command -v etcdctl >/dev/null 2>&1; then ETCDCTL_API=3 etcdctl snapshot status ${f} -w json; ` +
      `elif ${ETCD_CONTAINER_RUNNING}; then cp ${f} ${inContainer} && crictl exec "$id" etcdutl snapshot status ${inContainer} -w json; rc=$?; rm -f ${inContainer}; [ $rc -eq 0 ]; ` +
      `else ${NO_ETCDCTL}; fi`,
  );
}

/** Lets the login user read the snapshot for the copy (SFTP/cat run without sudo), then nobody else. */
export function handOverCommand(filePath: string): ShellCommand {
  validatePath(filePath);
  return sh`chown "$SUDO_UID:$SUDO_GID" ${filePath} 2>/dev/null || chmod 0644 ${filePath}`;
}

export function base64Command(filePath: string): ShellCommand {
  validatePath(filePath);
  return sh`base64 -w 0 ${filePath}`;
}

/** External etcd is declared in ClusterConfiguration (`etcd.external`); kubeadm neither backs it up nor upgrades it. */
export function isExternalEtcd(clusterConfiguration: string | undefined): boolean {
  return /^etcd:\s*\n(?:[ \t]+.*\n)*?[ \t]+external:/m.test((clusterConfiguration ?? '') + '\n');
}
