// The real control plane: kwokctl's binary runtime runs etcd, kube-apiserver,
// kube-controller-manager, kube-scheduler and kwok-controller as local processes from
// our cached binaries. kwokctl does the process management; we only pick loopback ports
// and keep its work dir inside the sandbox folder (KWOK_WORKDIR) so sandboxes never mix.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { binaries, pinnedVersions, SANDBOX_SRC } from './paths';
import { freePorts } from './ports';
import { run, tryRun, runVisible, type RunAs } from './exec';
import { minorOf } from './versions';

export const CLUSTER_NAME = 'sandbox';

export function kwokEnv(dir: string): NodeJS.ProcessEnv {
  return { ...process.env, KWOK_WORKDIR: path.join(dir, 'kwok') };
}

export function clusterDir(dir: string): string {
  return path.join(dir, 'kwok', 'clusters', CLUSTER_NAME);
}

/** Binaries the sandbox runs, linked into <dir>/bin so the unprivileged sandbox user
 *  (who runs the control plane and the ssh sessions) can execute them. */
export function sandboxBin(dir: string) {
  const v = pinnedVersions();
  const bin = path.join(dir, 'bin');
  return {
    etcd: path.join(bin, 'etcd'), kwok: path.join(bin, 'kwok'), kwokctl: path.join(bin, 'kwokctl'),
    kubectl: path.join(bin, 'kubectl'), kubeadm: path.join(bin, 'kubeadm'),
    etcdctl: path.join(bin, 'etcdctl'), etcdutl: path.join(bin, 'etcdutl'),
    controllerManager: path.join(bin, 'kube-controller-manager'), scheduler: path.join(bin, 'kube-scheduler'),
    apiserver: (version: string) => path.join(bin, `kube-apiserver-${minorOf(version) >= minorOf(v.K8S_NEW) ? v.K8S_NEW : v.K8S_OLD}`),
  };
}

export function linkBinaries(dir: string): void {
  const b = binaries();
  const v = pinnedVersions();
  const sb = sandboxBin(dir);
  fs.mkdirSync(path.join(dir, 'bin'), { recursive: true });
  const pairs: [string, string][] = [
    [b.etcd, sb.etcd], [b.kwok, sb.kwok], [b.kwokctl, sb.kwokctl], [b.kubectl, sb.kubectl], [b.kubeadm, sb.kubeadm],
    [b.controllerManager, sb.controllerManager], [b.scheduler, sb.scheduler],
    [b.apiserverOld, sb.apiserver(v.K8S_OLD)], [b.apiserverNew, sb.apiserver(v.K8S_NEW)],
    [b.etcdctl, sb.etcdctl], [b.etcdutl, sb.etcdutl],
  ];
  for (const [src, dst] of pairs) {
    fs.rmSync(dst, { force: true });
    try { fs.linkSync(src, dst); } catch { fs.copyFileSync(src, dst); } // hard link: no copy, same inode
    fs.chmodSync(dst, 0o755);
  }
}

export async function createCluster(dir: string, k8s: string, as?: RunAs, large = false): Promise<{ kubeconfig: string; apiserverPort: number }> {
  const b = sandboxBin(dir);
  const apiserver = b.apiserver(k8s);
  const [apiPort, etcdPort, etcdPeer, kcmPort, schedPort, kwokPort] = await freePorts(6);
  const configPath = path.join(dir, 'kwokctl.yaml');
  // bindAddress defaults to 0.0.0.0 in kwokctl: the sandbox must listen on loopback only.
  fs.writeFileSync(configPath, `apiVersion: config.kwok.x-k8s.io/v1alpha1
kind: KwokctlConfiguration
options:
  runtime: binary
  bindAddress: 127.0.0.1
  kubeApiserverPort: ${apiPort}
  etcdPort: ${etcdPort}
  etcdPeerPort: ${etcdPeer}
  kubeControllerManagerPort: ${kcmPort}
  kubeSchedulerPort: ${schedPort}
  kwokControllerPort: ${kwokPort}
  quietPull: true
  # large: lift client QPS limits so kwok keeps up with 50,000 pods on 2 cores, and give
  # node heartbeats slack (5,000 leases) so a busy machine does not turn nodes NotReady.
  disableQPSLimits: ${large}
  nodeLeaseDurationSeconds: ${large ? 600 : 40}
  kubeControllerManagerNodeMonitorGracePeriodMilliseconds: ${large ? 1800000 : 40000}
---
apiVersion: config.kwok.x-k8s.io/v1alpha1
kind: KwokConfiguration
options:
  # kwok plays stages 4 at a time by default: too few to keep up with 50,000 pods (large).
  podPlayStageParallelism: ${large ? 32 : 4}
  nodePlayStageParallelism: ${large ? 16 : 4}
  nodeLeaseParallelism: ${large ? 16 : 4}
---
${fs.readFileSync(path.join(SANDBOX_SRC, 'stages', 'stages.yaml'), 'utf8')}`);
  const kubeconfig = path.join(dir, 'kubeconfig');
  await runVisible(b.kwokctl, [
    '-v', 'WARN', 'create', 'cluster', '--name', CLUSTER_NAME, '--config', configPath, '--kubeconfig', kubeconfig,
    '--runtime', 'binary',
    '--etcd-binary', b.etcd, '--kube-apiserver-binary', apiserver,
    '--kube-controller-manager-binary', b.controllerManager, '--kube-scheduler-binary', b.scheduler,
    '--kwok-controller-binary', b.kwok,
    // A kubeadm upgrade restarts the apiserver. A real controller-manager or scheduler that loses its leader lease
    // exits and the kubelet restarts its static pod; here nothing would, so they run without leader election and
    // simply reconnect, as the restarted static pods would.
    '--extra-args', 'kube-controller-manager=leader-elect=false',
    '--extra-args', 'kube-scheduler=leader-elect=false',
    '--wait', '60s',
  ], { ...kwokEnv(dir), ...(as ? { HOME: dir } : {}) }, as);
  return { kubeconfig, apiserverPort: apiPort };
}

export function deleteCluster(dir: string): void {
  const b = sandboxBin(dir);
  if (!fs.existsSync(b.kwokctl)) return;
  if (!fs.existsSync(clusterDir(dir))) return;
  const r = tryRun(b.kwokctl, ['delete', 'cluster', '--name', CLUSTER_NAME, '--kubeconfig', path.join(dir, 'kubeconfig')], { env: kwokEnv(dir) });
  if (r.code !== 0) process.stderr.write(r.stderr);
}

/** PIDs kwokctl recorded for its components (for status and for leak checks). */
export function componentPids(dir: string): Record<string, number> {
  const pidDir = path.join(clusterDir(dir), 'pids');
  const out: Record<string, number> = {};
  if (!fs.existsSync(pidDir)) return out;
  for (const f of fs.readdirSync(pidDir)) {
    const pid = Number(fs.readFileSync(path.join(pidDir, f), 'utf8').trim());
    if (pid) out[f.replace(/\.pid$/, '')] = pid;
  }
  return out;
}

export function kubectl(kubeconfig: string, args: string[], input?: string): string {
  return run(binaries().kubectl, ['--kubeconfig', kubeconfig, ...args], { input });
}
