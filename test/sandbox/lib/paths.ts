// Where the sandbox keeps things: built binaries in a per-user cache (outside the clone,
// shared by every sandbox and every clone), and one state folder per running sandbox.
import * as os from 'node:os';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SANDBOX_SRC = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

export function cacheRoot(): string {
  if (process.env.KUBEADM_UPGRADE_SANDBOX_CACHE) return process.env.KUBEADM_UPGRADE_SANDBOX_CACHE;
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'kubeadm-upgrade', 'sandbox');
}

/** Root of all sandbox instances; each lives in <root>/<name>/. */
export function instancesRoot(): string {
  return process.env.KUBEADM_UPGRADE_SANDBOX_DIR || path.join(os.tmpdir(), 'kubeadm-upgrade-sandbox');
}

export function instanceDir(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name)) throw new Error(`invalid sandbox name "${name}"`);
  return path.join(instancesRoot(), name);
}

export interface Versions { K8S_OLD: string; K8S_NEW: string; ETCD: string; KWOK: string }

export function pinnedVersions(): Versions {
  const text = fs.readFileSync(path.join(SANDBOX_SRC, 'build', 'versions.env'), 'utf8');
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z0-9_]+)=(\S+)/.exec(line);
    if (m) out[m[1]] = m[2];
  }
  return out as unknown as Versions;
}

export interface Binaries {
  etcd: string; kwok: string; kwokctl: string;
  apiserverOld: string; apiserverNew: string;
  controllerManager: string; scheduler: string;
  kubeadm: string; kubectl: string;
  etcdctl: string; etcdutl: string;
}

export function binaries(v: Versions = pinnedVersions()): Binaries {
  const c = cacheRoot();
  return {
    etcd: path.join(c, `etcd-${v.ETCD}`, 'etcd'),
    kwok: path.join(c, `kwok-${v.KWOK}`, 'kwok'),
    kwokctl: path.join(c, `kwok-${v.KWOK}`, 'kwokctl'),
    apiserverOld: path.join(c, v.K8S_OLD, 'kube-apiserver'),
    apiserverNew: path.join(c, v.K8S_NEW, 'kube-apiserver'),
    controllerManager: path.join(c, v.K8S_OLD, 'kube-controller-manager'),
    scheduler: path.join(c, v.K8S_OLD, 'kube-scheduler'),
    kubeadm: path.join(c, v.K8S_NEW, 'kubeadm'),
    kubectl: path.join(c, v.K8S_NEW, 'kubectl'),
    etcdctl: path.join(c, `etcd-${v.ETCD}`, 'etcdctl'),
    etcdutl: path.join(c, `etcd-${v.ETCD}`, 'etcdutl'),
  };
}
