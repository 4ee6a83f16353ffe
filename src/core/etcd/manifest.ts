import { validatePath } from '../exec/shell';

/**
 * One stacked etcd member as its node's static Pod manifest (/etc/kubernetes/manifests/etcd.yaml) declares it:
 * kubeadm writes every setting as a `- --flag=value` line of the container's command (phases/etcd/local.go
 * getEtcdCommand). A restore must reuse exactly these values, or the restored member advertises etcd's defaults
 * (`http://localhost:2380`) and the next `kubeadm join --control-plane` fails.
 */
export interface EtcdMember {
  readonly node: string;
  /** --name (kubeadm: the node name). */
  readonly name: string;
  /** --initial-advertise-peer-urls (kubeadm: `https://<advertise address>:2380`). */
  readonly peerUrls: string;
  /** --data-dir (kubeadm: /var/lib/etcd unless ClusterConfiguration says otherwise). */
  readonly dataDir: string;
  /** --initial-cluster as this node's manifest has it: only the members that existed when it joined. */
  readonly initialCluster: string;
  /** --initial-cluster-token when the manifest sets one (kubeadm does not: etcd's default then applies). */
  readonly initialClusterToken: string | null;
  /** The etcd image the manifest runs (where etcdutl comes from when etcd is not running). */
  readonly image: string | null;
}

export class ManifestError extends Error {}

/** Reads the etcd member from the manifest's text; throws ManifestError naming what is missing. */
export function parseEtcdManifest(node: string, text: string): EtcdMember {
  const flags = new Map<string, string>();
  for (const m of text.matchAll(/^\s*-\s+["']?--([a-z0-9-]+)=(.*?)["']?\s*$/gm)) flags.set(m[1]!, m[2]!);
  const need = (flag: string): string => {
    const v = flags.get(flag);
    if (!v) throw new ManifestError(`${node}: the etcd manifest has no --${flag} (is this a kubeadm stacked etcd member?)`);
    return v;
  };
  const peerUrls = need('initial-advertise-peer-urls');
  const dataDir = validatePath(need('data-dir'));
  const name = need('name');
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new ManifestError(`${node}: unexpected etcd member name ${JSON.stringify(name)}`);
  for (const u of peerUrls.split(',')) if (!/^https?:\/\/[A-Za-z0-9.:[\]-]+$/.test(u)) throw new ManifestError(`${node}: unexpected peer URL ${JSON.stringify(u)}`);
  const image = /^\s*image:\s*["']?([^\s"']+)/m.exec(text)?.[1] ?? null;
  return { node, name, peerUrls, dataDir, initialCluster: flags.get('initial-cluster') ?? '', initialClusterToken: flags.get('initial-cluster-token') ?? null, image };
}

/**
 * The --initial-cluster of the restored cluster: every member's name and peer URLs. Not any one manifest's value:
 * kubeadm writes each joining member's --initial-cluster with the members that existed at that time, so the first
 * control plane's lists only itself.
 */
export function initialClusterOf(members: readonly EtcdMember[]): string {
  return members.flatMap((m) => m.peerUrls.split(',').map((u) => `${m.name}=${u}`)).join(',');
}
