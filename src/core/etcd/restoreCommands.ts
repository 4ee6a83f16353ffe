import { quote, raw, sh, validatePath, type ShellCommand } from '../exec/shell';
import { ADMIN_CONF, MANIFESTS_DIR } from '../nodePaths';
import { etcdctlCommand } from './commands';
import type { EtcdMember } from './manifest';

/**
 * The shell commands of an etcd restore on a kubeadm control plane (src/core/etcd/restorePlan.ts orders them). Each
 * is idempotent where it can be and ends with a bounded wait: nothing is assumed to have happened because a file
 * moved — `crictl ps` must show it.
 *
 * etcdutl: a kubeadm host has none on PATH and the etcd container is stopped during a restore, so it is taken out of
 * the etcd image first, while etcd still runs: the host's etcdutl if there is one, else the running etcd container's
 * own binary read through /proc/<pid>/root (the container's root file system as the host sees it; etcd's binaries are
 * static Go), else the manifest's image mounted read-only with containerd's `ctr images mount`.
 */

/** Everything a restore keeps on the node: parked manifests, the etcdutl it runs. Root-only. */
export const RESTORE_ROOT = '/var/lib/kubeadm-upgrade/restore';
/** etcd's documented bump for restores under Kubernetes (op-guide/recovery: "1,000,000,000 revisions"). */
export const BUMP_REVISION = 1_000_000_000;
/** Seconds each wait allows before it fails with what is still (not) running. */
export const STOP_WAIT_S = 120;
export const START_WAIT_S = 180;
export const HEALTH_WAIT_S = 180;
export const API_WAIT_S = 240;

export const restoreDir = (stamp: string) => `${RESTORE_ROOT}/${stamp}`;
export const parkedDir = (stamp: string) => `${restoreDir(stamp)}/manifests`;
export const etcdutlPath = (stamp: string) => `${restoreDir(stamp)}/etcdutl`;

const pattern = (components: readonly string[]) => `^(${components.join('|')})$`;

/** Fails when crictl cannot answer: "no container listed" must never be mistaken for "stopped". */
function running(components: readonly string[]): string {
  return `ids=$(crictl ps -q --state running --name ${quote(pattern(components))}) || { echo 'crictl ps failed: cannot tell what runs' >&2; exit 1; }`;
}

/** `until` loop with an end: `done` is the test, `seconds` the bound, `what` the message when it runs out. */
function waitFor(test: string, seconds: number, what: string, diagnose: string): string {
  const tries = Math.ceil(seconds / 2);
  return `i=0; while :; do ${test} && break; i=$((i+1)); if [ $i -ge ${tries} ]; then echo ${quote(`${what} after ${seconds} s`)} >&2; ${diagnose} >&2; exit 1; fi; sleep 2; done`;
}

/** etcdutl into the restore's folder, then proves it runs. Exit 127 when there is no way to get one. */
export function prepareEtcdutlCommand(member: EtcdMember, stamp: string): ShellCommand {
  const dir = restoreDir(stamp);
  const out = etcdutlPath(stamp);
  const mnt = `${dir}/etcd-image`;
  const fromImage = member.image
    ? `elif command -v ctr >/dev/null 2>&1 && mkdir -p ${quote(mnt)} && ctr -n k8s.io images mount ${quote(member.image)} ${quote(mnt)} >/dev/null; then ` +
      `cp ${quote(`${mnt}/usr/local/bin/etcdutl`)} ${quote(out)}; rc=$?; ctr -n k8s.io images unmount ${quote(mnt)} >/dev/null 2>&1; rmdir ${quote(mnt)} 2>/dev/null; [ $rc -eq 0 ]; `
    : '';
  return raw(
    `set -e; umask 077; mkdir -p ${quote(dir)}; ` +
      `if command -v etcdutl >/dev/null 2>&1; then cp "$(command -v etcdutl)" ${quote(out)}; ` +
      `elif command -v crictl >/dev/null 2>&1 && id=$(crictl ps -q --name '^etcd$' --state running | head -n 1) && [ -n "$id" ] && ` +
      `pid=$(crictl inspect -o go-template --template '{{.info.pid}}' "$id") && [ -f "/proc/$pid/root/usr/local/bin/etcdutl" ]; then ` +
      `cp "/proc/$pid/root/usr/local/bin/etcdutl" ${quote(out)}; ` +
      fromImage +
      `else echo ${quote('no etcdutl: none on PATH, no running etcd container to take it from, and no ctr to mount the etcd image. Install etcdutl (etcd release tarball, same minor as the cluster\'s etcd) and run again.')} >&2; exit 127; fi; ` +
      `chmod 0700 ${quote(out)}; ${quote(out)} version`,
  );
}

/** The snapshot on this node is the one chosen (sha256), and etcdutl reads it (hash, revision, keys). */
export function verifySnapshotCommand(snapshotPath: string, sha256: string, stamp: string): ShellCommand {
  validatePath(snapshotPath);
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`bad sha256 ${sha256}`);
  return raw(`set -e; echo ${quote(`${sha256}  ${snapshotPath}`)} | sha256sum -c - && ${quote(etcdutlPath(stamp))} snapshot status ${quote(snapshotPath)} -w json`);
}

/** Is the snapshot there with this sha256? Exit 0 yes, 3 missing or different (the runner copies it then). */
export function snapshotPresentCommand(snapshotPath: string, sha256: string): ShellCommand {
  validatePath(snapshotPath);
  return raw(`[ -f ${quote(snapshotPath)} ] && echo ${quote(`${sha256}  ${snapshotPath}`)} | sha256sum -c --status - || { echo 'not on this node (or a different file)'; exit 3; }`);
}

/** Moves the components' manifests out (the kubelet stops their static pods) and waits until crictl shows none running. */
export function stopCommand(components: readonly string[], stamp: string): ShellCommand {
  const parked = parkedDir(stamp);
  // A manifest an earlier restore parked and never put back (it stopped halfway) comes into this restore's folder, so
  // the start step finds it.
  const moves = components
    .map((c) => {
      const live = quote(`${MANIFESTS_DIR}/${c}.yaml`);
      const here = quote(`${parked}/${c}.yaml`);
      return `if [ -f ${live} ]; then mv ${live} ${here}; elif [ ! -f ${here} ] && old=$(ls -t ${RESTORE_ROOT}/*/manifests/${c}.yaml 2>/dev/null | head -n 1) && [ -n "$old" ]; then mv "$old" ${here}; fi`;
    })
    .join('; ');
  const none = `${running(components)}; [ -z "$ids" ]`;
  return raw(
    `set -e; umask 077; mkdir -p ${quote(parked)}; ${moves}; ` +
      waitFor(none, STOP_WAIT_S, `${components.join(' and ')} still running (is the kubelet running? it stops static pods whose manifest left ${MANIFESTS_DIR})`, `crictl ps --name ${quote(pattern(components))}`),
  );
}

/** Puts the parked manifests back and waits until each component runs again. */
export function startCommand(components: readonly string[], stamp: string): ShellCommand {
  const parked = parkedDir(stamp);
  const moves = components.map((c) => `if [ -f ${quote(`${parked}/${c}.yaml`)} ]; then mv ${quote(`${parked}/${c}.yaml`)} ${quote(`${MANIFESTS_DIR}/${c}.yaml`)}; fi; [ -f ${quote(`${MANIFESTS_DIR}/${c}.yaml`)} ]`).join('; ');
  const all = components.map((c) => `[ -n "$(crictl ps -q --state running --name ${quote(pattern([c]))})" ]`).join(' && ');
  return raw(`set -e; ${moves}; ` + waitFor(all, START_WAIT_S, `${components.join(' and ')} not running`, `crictl ps -a --name ${quote(pattern(components))}`));
}

/**
 * Restores this member from the snapshot into a fresh folder INSIDE its data dir, then swaps the `member` folders by
 * rename: the data dir is often a mount point (a disk of its own, as etcd's hardware guide advises; a bind mount on the
 * sandbox's real node), which cannot itself be renamed (EBUSY), and a rename within it is atomic and copies nothing.
 * The previous member data is kept as `<data-dir>/.before-restore-<stamp>/member` (etcd only warns about an unknown
 * entry in its data dir). Refuses while etcd runs. etcdutl options: the member's own name/peer URLs/data dir from its
 * manifest, the whole cluster's --initial-cluster, one token for all members, and the revision bump with the old
 * revisions marked compacted, so watchers (the apiservers' caches, informers) relist instead of seeing revisions go
 * backwards.
 */
export function restoreMemberCommand(member: EtcdMember, snapshotPath: string, initialCluster: string, token: string, stamp: string): ShellCommand {
  validatePath(snapshotPath);
  const fresh = `${member.dataDir}/.restore-${stamp}`;
  const before = keptDataOf(member, stamp);
  const restore = sh`${etcdutlPath(stamp)} snapshot restore ${snapshotPath} --name ${member.name} --initial-cluster ${initialCluster} --initial-cluster-token ${token} --initial-advertise-peer-urls ${member.peerUrls} --data-dir ${fresh} --bump-revision ${String(BUMP_REVISION)} --mark-compacted`;
  return raw(
    `set -e; umask 077; ${running(['etcd'])}; if [ -n "$ids" ]; then echo 'etcd is still running on this node: not restoring' >&2; exit 1; fi; ` +
      `mkdir -p ${quote(member.dataDir)}; rm -rf ${quote(fresh)}; ${restore}; ` +
      `mkdir -p ${quote(before)}; if [ -e ${quote(`${member.dataDir}/member`)} ]; then mv ${quote(`${member.dataDir}/member`)} ${quote(`${before}/member`)}; fi; ` +
      `mv ${quote(`${fresh}/member`)} ${quote(`${member.dataDir}/member`)}; rmdir ${quote(fresh)}; ` +
      `echo ${quote(`restored ${member.name} into ${member.dataDir}; the previous member data is in ${before}/member`)}`,
  );
}

/** Where a restore keeps a member's previous data (inside its data dir: same file system, a rename). */
export const keptDataOf = (member: { readonly dataDir: string }, stamp: string) => `${member.dataDir}/.before-restore-${stamp}`;

/** Waits until every member is healthy, then prints `endpoint status --cluster -w json` for the runner to check. */
export function etcdHealthyCommand(): ShellCommand {
  const health = `${etcdctlCommand(['endpoint', 'health', '--cluster'])} >/dev/null 2>&1`;
  return raw(`${waitFor(health, HEALTH_WAIT_S, 'etcd not healthy on every member', etcdctlCommand(['endpoint', 'health', '--cluster']))}; ${etcdctlCommand(['endpoint', 'status', '--cluster', '-w', 'json'])}`);
}

/** Restarts the controller-manager and the scheduler (their containers; the kubelet starts them again) and the kubelet. */
export function restartComponentsCommand(): ShellCommand {
  const cs = ['kube-controller-manager', 'kube-scheduler'];
  return raw(
    `set -e; ids=$(crictl ps -q --state running --name ${quote(pattern(cs))}); if [ -n "$ids" ]; then crictl stop $ids >/dev/null; fi; systemctl restart kubelet; ` +
      waitFor(cs.map((c) => `[ -n "$(crictl ps -q --state running --name ${quote(pattern([c]))})" ]`).join(' && '), START_WAIT_S, `${cs.join(' and ')} not running again`, `crictl ps -a --name ${quote(pattern(cs))}`),
  );
}

export const RESTART_KUBELET: ShellCommand = raw('systemctl restart kubelet');

/** The API answers through this node's apiserver (`kubectl get nodes` with admin.conf), bounded. */
export function apiServesCommand(): ShellCommand {
  const get = `kubectl --kubeconfig ${quote(ADMIN_CONF)} get nodes`;
  return raw(`${waitFor(`${get} >/dev/null 2>&1`, API_WAIT_S, 'the API does not answer', get)}; ${get}`);
}
