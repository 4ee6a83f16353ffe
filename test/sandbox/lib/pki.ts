// Real kubeadm PKI in each control plane's node root, made by the real kubeadm
// (`kubeadm init phase certs` / `kubeconfig`), so `kubeadm certs check-expiration` on a node
// reads real certificates. One set is generated and copied to every control plane (an HA
// cluster shares its CAs); a node's `certDays` regenerates named certificates with a short
// validity (ClusterConfiguration v1beta4 certificateValidityPeriod), e.g. one that expires soon.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { run } from './exec';
import { nodeRoot } from './noderoot';
import type { NodeSpec } from './scenario';

// kubeadm refuses --cert-dir next to --config: the folder goes into ClusterConfiguration.certificatesDir.
function config(dir: string, name: string, k8s: string, endpoint: string, certDir: string, validHours?: number): string {
  const file = path.join(dir, `kubeadm-pki-${name}.yaml`);
  // criSocket is given: kubeadm would otherwise probe the host's runtimes (and refuse several).
  fs.writeFileSync(file, `apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
localAPIEndpoint:
  advertiseAddress: ${endpoint.split(':')[0]}
nodeRegistration:
  name: ${name}
  criSocket: unix:///var/run/containerd/containerd.sock
---
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
kubernetesVersion: ${k8s}
controlPlaneEndpoint: ${endpoint}
certificatesDir: ${certDir}
${validHours ? `certificateValidityPeriod: ${validHours}h\n` : ''}`);
  return file;
}

/** `etcd-server` -> etcd/server, `apiserver` -> apiserver: the files behind a kubeadm cert name. */
function certFiles(pki: string, name: string): string[] {
  const base = name.startsWith('etcd-') ? path.join(pki, 'etcd', name.slice(5)) : path.join(pki, name);
  return [`${base}.crt`, `${base}.key`];
}

export function writePki(dir: string, kubeadm: string, nodes: readonly NodeSpec[], k8s: string, endpoint: string): void {
  const cps = nodes.filter((n) => n.role === 'control-plane');
  if (cps.length === 0) return;
  const shared = path.join(dir, 'pki-shared');
  const kubeconfigs = path.join(dir, 'pki-shared-kubeconfig');
  fs.mkdirSync(kubeconfigs, { recursive: true });
  const cfg = config(dir, cps[0]!.name, k8s, endpoint, shared);
  run(kubeadm, ['init', 'phase', 'certs', 'all', '--config', cfg]);
  for (const k of ['controller-manager', 'scheduler']) {
    run(kubeadm, ['init', 'phase', 'kubeconfig', k, '--kubeconfig-dir', kubeconfigs, '--config', cfg]);
  }
  for (const n of cps) {
    const etc = path.join(nodeRoot(dir, n.name), 'etc', 'kubernetes');
    const pki = path.join(etc, 'pki');
    fs.cpSync(shared, pki, { recursive: true });
    for (const f of fs.readdirSync(kubeconfigs)) fs.copyFileSync(path.join(kubeconfigs, f), path.join(etc, f));
    for (const [cert, days] of Object.entries(n.certDays ?? {})) {
      for (const f of certFiles(pki, cert)) fs.rmSync(f, { force: true });
      run(kubeadm, ['init', 'phase', 'certs', cert, '--config', config(dir, n.name, k8s, endpoint, pki, Math.round(days * 24))]);
    }
  }
  fs.rmSync(shared, { recursive: true, force: true });
  fs.rmSync(kubeconfigs, { recursive: true, force: true });
}
