import * as fs from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { ClusterIdentity } from '../../core/identity/clusterIdentity';
import { makeApiClient } from './apiClient';

/**
 * The SHA-256 fingerprint (lowercase hex of the DER) of the first CA certificate the kubeconfig's current cluster
 * trusts (`certificate-authority-data` or the `certificate-authority` file); '' when it names none or it does not parse.
 */
export function caFingerprint(kc: KubeConfig): string {
  const cluster = kc.getCurrentCluster();
  if (!cluster) return '';
  try {
    const pem = cluster.caData ? Buffer.from(cluster.caData, 'base64').toString('utf8') : cluster.caFile ? fs.readFileSync(cluster.caFile, 'utf8') : '';
    const first = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0];
    return first ? new X509Certificate(first).fingerprint256.replace(/:/g, '').toLowerCase() : '';
  } catch {
    return '';
  }
}

/**
 * Reads the identity of the cluster a kubeconfig (its current context) reaches: the server URL and CA from the
 * kubeconfig, the `kube-system` namespace's UID from the API (one GET; throws when the API does not answer).
 */
export function readClusterIdentity(kc: KubeConfig): Promise<ClusterIdentity> {
  return new ClusterIdentityReader(kc).read();
}

/**
 * The cluster reached by one kubeconfig, read once and then re-read on demand (each step's check): server and CA do
 * not change for a KubeConfig object, the namespace UID is asked again each time.
 */
export class ClusterIdentityReader {
  private readonly api: CoreV1Api;
  private readonly ca: string;

  constructor(private readonly kc: KubeConfig) {
    this.api = makeApiClient(kc, CoreV1Api);
    this.ca = caFingerprint(kc);
  }

  async read(): Promise<ClusterIdentity> {
    const server = this.kc.getCurrentCluster()?.server ?? '';
    const uid = (await this.api.readNamespace({ name: 'kube-system' })).metadata?.uid;
    if (!uid) throw new Error(`the API at ${server} returned the kube-system namespace without a uid`);
    return { server, caFingerprint: this.ca, namespaceUid: uid };
  }
}
