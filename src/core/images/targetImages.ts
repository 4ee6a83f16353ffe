import { parse as parseYaml } from 'yaml';
import { quote, raw, sh, validatePath, validateVersion, type ShellCommand } from '../exec/shell';

/**
 * The target's images on a control plane: `kubeadm config images list` (what `kubeadm upgrade apply/node` will run)
 * against the node's container runtime (`crictl images`), and how to bring the missing ones there before the
 * downtime: `kubeadm config images pull`, or `ctr -n k8s.io images import` from an archive the admin names.
 * Every command names the version (`--kubernetes-version`), so kubeadm never looks up "stable" online.
 */

/** `imageRepository` of the cluster's ClusterConfiguration (kubeadm-config ConfigMap), when it sets one. */
export function imageRepositoryOf(clusterConfiguration: string | undefined): string | undefined {
  if (!clusterConfiguration) return undefined;
  try {
    const repo = (parseYaml(clusterConfiguration) as { imageRepository?: unknown } | null)?.imageRepository;
    return typeof repo === 'string' && /^[A-Za-z0-9][A-Za-z0-9._:/-]*$/.test(repo) ? repo : undefined;
  } catch {
    return undefined;
  }
}

const repoFlag = (repo: string | undefined) => (repo ? ` --image-repository ${quote(repo)}` : '');

/** `kubeadm config images list --kubernetes-version vX.Y.Z [--image-repository R] -o json`. */
export function imagesListCommand(target: string, repo?: string): ShellCommand {
  return raw(`${sh`kubeadm config images list --kubernetes-version ${validateVersion(target)}`}${repoFlag(repo)} -o json`);
}

export const CRICTL_IMAGES = raw('crictl images -o json');

/** kubeadm's `Images` object (`output.kubeadm.k8s.io/v1alpha3`), or its plain one-image-per-line text. */
export function parseImagesList(output: string): string[] {
  const start = output.indexOf('{');
  if (start >= 0) {
    try {
      const o = JSON.parse(output.slice(start, output.lastIndexOf('}') + 1)) as { images?: unknown };
      if (Array.isArray(o.images)) return o.images.filter((x): x is string => typeof x === 'string');
    } catch { /* not JSON: the text form below */ }
  }
  return output.split('\n').map((l) => l.trim()).filter((l) => /^[a-z0-9.-]+(:\d+)?\/\S+:\S+$/i.test(l));
}

/** Every `repo:tag` the runtime holds, from `crictl images -o json`. */
export function parseCrictlImages(output: string): Set<string> {
  const o = JSON.parse(output) as { images?: { repoTags?: string[] }[] };
  return new Set((o.images ?? []).flatMap((i) => i.repoTags ?? []));
}

/** The listed images the runtime does not hold (`registry.k8s.io/x:t` and `docker.io/…` compared as crictl names them). */
export function missingImages(listed: readonly string[], present: ReadonlySet<string>): string[] {
  return listed.filter((i) => !present.has(i) && !present.has(`docker.io/${i}`) && !present.has(`docker.io/library/${i}`));
}

/** The registry host of an image reference (docker.io when it names none). */
export function registryOf(image: string): string {
  const first = image.split('/')[0]!;
  return image.includes('/') && /[.:]/.test(first) ? first : 'docker.io';
}

/** Can the node open a TCP connection to the registry's HTTPS port within 5 s (DNS included)? Exit 0 when it can. */
export function registryReachableCommand(host: string): ShellCommand {
  const [name, port] = host.split(':');
  if (!/^[A-Za-z0-9.-]+$/.test(name!) || (port !== undefined && !/^\d+$/.test(port))) throw new Error(`"${host}" is not a registry host`);
  return sh`timeout 5 bash -c ${`exec 3<>/dev/tcp/${name}/${port ?? '443'}`}`;
}

/** Exit 0 when the image archive is a readable file on the node. */
export function archiveReadableCommand(archive: string): ShellCommand {
  return sh`test -f ${validatePath(archive)} -a -r ${archive}`;
}

export interface PrepullOptions {
  readonly target: string;
  /** Default: the repository of the image in the node's kube-apiserver manifest (what kubeadm last wrote there). */
  readonly imageRepository?: string;
  /** An image archive on the node (`docker save`/`ctr export` tarball): imported instead of pulled. */
  readonly archive?: string;
}

/**
 * Brings the target's images onto the node and fails unless every one is there afterwards. First each listed image
 * is looked up in the runtime (`crictl inspecti`, as kubeadm's own preflight does): when all are there, nothing is
 * pulled (kubeadm's `config images pull` would pull every one again, and fail on an air-gapped node that has them).
 * Otherwise pull (kubeadm's own `config images pull`) or import the archive into containerd's k8s.io namespace, then
 * look each image up again. Run before `kubeadm upgrade apply/node`, so they never pull while a control plane is down.
 */
export function prepullCommand(o: PrepullOptions): ShellCommand {
  const v = validateVersion(o.target);
  const repo = o.imageRepository ? repoFlag(o.imageRepository) : ' ${repo:+--image-repository "$repo"}';
  const findRepo = o.imageRepository ? '' : `repo=$(sed -n 's#^ *image: *\\(.*\\)/kube-apiserver:.*#\\1#p' /etc/kubernetes/manifests/kube-apiserver.yaml | head -n 1); `;
  const bring = o.archive
    ? sh`ctr -n k8s.io images import ${validatePath(o.archive)}`
    : raw(`${sh`kubeadm config images pull --kubernetes-version ${v}`}${repo}`);
  const list = `list=$(${sh`kubeadm config images list --kubernetes-version ${v}`}${repo}) && [ -n "$list" ] || { echo "kubeadm config images list named no image of ${v}" >&2; exit 1; }`;
  const lookUp = 'missing=\'\'; for i in $list; do crictl inspecti "$i" >/dev/null 2>&1 || missing="$missing $i"; done';
  const check = `${lookUp}; if [ -n "$missing" ]; then echo "still missing after the ${o.archive ? 'import' : 'pull'}:$missing" >&2; exit 1; fi; echo "all images of ${v} are on $(hostname)"`;
  return raw(`${findRepo}${list}; ${lookUp}; if [ -z "$missing" ]; then echo "all images of ${v} are on $(hostname) already: nothing to ${o.archive ? 'import' : 'pull'}"; else echo "not on $(hostname) yet:$missing"; ${bring} && { ${check}; }; fi`);
}
