// Container images for the real control-plane node, made locally (no registry, no network):
// one layer per image holding the cached binary at /usr/local/bin/<name>, written as a
// docker-archive tarball that `ctr -n k8s.io images import` reads. Built once into the cache.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '../lib/exec';
import { cacheRoot, pinnedVersions } from '../lib/paths';
import { addonsFor } from '../lib/versions';

/** The node's kubeadm imageRepository: nothing is ever pulled from it (the host is not resolvable). */
export const IMAGE_REPO = 'sandbox.local/k8s';

export interface ImageSpec { name: string; tag: string; files: [string, string][]; entrypoint: string[] }

const sha256 = (b: Buffer | string) => crypto.createHash('sha256').update(b).digest('hex');

export function imagesDir(): string {
  return path.join(cacheRoot(), 'realnode', 'images');
}

/** kube-proxy (iptables mode) runs iptables: the host's nft-based iptables and the libraries it loads go in its layer.
 *  Worked out once per process with one `ldd` over every file (one ldd per file, for both versions, each time the
 *  image list was read, was ~500 processes: 50-60 s of every warm set-up and `up` on a busy 2-core machine). */
let iptablesFilesMemo: [string, string][] | undefined;
function iptablesFiles(): [string, string][] {
  iptablesFilesMemo ??= readIptablesFiles();
  return iptablesFilesMemo;
}
function readIptablesFiles(): [string, string][] {
  const multi = '/usr/sbin/xtables-nft-multi';
  const xt = '/usr/lib/x86_64-linux-gnu/xtables';
  const exts = fs.existsSync(xt) ? fs.readdirSync(xt).map((f) => path.join(xt, f)) : [];
  // The extensions' own libraries too: libxt_statistic.so needs libm.so.6, which iptables itself does not load.
  // Without it kube-proxy's iptables-restore fails as soon as a Service has two endpoints (`-m statistic`), and no
  // Service rule is written at all (seen on real-ha: kubernetes' ClusterIP unreachable, CoreDNS never Ready).
  // ldd prints a "FILE:" header per file (not indented) and each library indented: only the indented lines count.
  const libs = [...new Set(run('ldd', [multi, ...exts]).split('\n').filter((l) => /^\s/.test(l)).map((l) => /=> (\/\S+)/.exec(l)?.[1] ?? /^\s+(\/\S+)/.exec(l)?.[1]).filter((x): x is string => Boolean(x)))];
  const out: [string, string][] = [...libs, ...exts, multi].map((f) => [fs.realpathSync(f), f]);
  for (const n of ['iptables', 'iptables-save', 'iptables-restore', 'ip6tables', 'ip6tables-save', 'ip6tables-restore']) out.push([`->xtables-nft-multi`, `/usr/sbin/${n}`]);
  return out;
}

/** Every image kubeadm K8S_OLD and K8S_NEW name for this node (`kubeadm config images list`). */
export function imageSpecs(): ImageSpec[] {
  const v = pinnedVersions() as ReturnType<typeof pinnedVersions> & { ETCD_OLD: string };
  const c = cacheRoot();
  const bin = (p: string, name: string): [string, string][] => [[p, `/usr/local/bin/${name}`]];
  const specs: ImageSpec[] = [];
  for (const k of [v.K8S_OLD, v.K8S_NEW]) {
    for (const comp of ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler']) {
      specs.push({ name: comp, tag: k, files: bin(path.join(c, k, comp), comp), entrypoint: [`/usr/local/bin/${comp}`] });
    }
    specs.push({ name: 'kube-proxy', tag: k, files: [...bin(path.join(c, k, 'kube-proxy'), 'kube-proxy'), ...iptablesFiles()], entrypoint: ['/usr/local/bin/kube-proxy'] });
    const a = addonsFor(k);
    // Our own pause (realnode/pause), under the tag each kubeadm version names.
    specs.push({ name: 'pause', tag: a.pause, files: [[path.join(c, 'realnode', 'pause'), '/pause']], entrypoint: ['/pause'] });
  }
  // CoreDNS at each kubeadm's default; kubeadm names it <imageRepository>/coredns (images.GetDNSImage: the
  // extra /coredns path is only for registry.k8s.io). Like the real image: the binary is /coredns, its entrypoint.
  for (const k of [v.K8S_OLD, v.K8S_NEW]) {
    const tag = addonsFor(k).coredns;
    specs.push({ name: 'coredns', tag, files: [[corednsBinary(tag), '/coredns']], entrypoint: ['/coredns'] });
  }
  for (const [etcd, k] of [[v.ETCD_OLD, v.K8S_OLD], [v.ETCD, v.K8S_NEW]]) {
    // Like registry.k8s.io/etcd: etcdctl and etcdutl beside etcd (`crictl exec <etcd> etcdctl` on a kubeadm host).
    const files = ['etcd', 'etcdctl', 'etcdutl'].flatMap((b) => bin(path.join(c, `etcd-${etcd}`, b), b));
    specs.push({ name: 'etcd', tag: addonsFor(k).etcd, files, entrypoint: ['/usr/local/bin/etcd'] });
  }
  return specs;
}

/** Where build-realnode.sh puts CoreDNS of this version (gomod/coredns: its coremain with the Corefile's plugins). */
export const corednsBinary = (tag: string) => path.join(cacheRoot(), 'realnode', `coredns-${tag}`, 'coredns');

export const imageRef = (s: { name: string; tag: string }) => `${IMAGE_REPO}/${s.name}:${s.tag}`;
export const imageFile = (s: { name: string; tag: string }) => path.join(imagesDir(), `${s.name}_${s.tag}.tar`);

/** Writes one docker-archive tarball (manifest.json, config, one layer). */
export function writeImage(s: ImageSpec, out: string): void {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-image-'));
  try {
    const rootfs = path.join(tmp, 'rootfs');
    for (const [src, dst] of s.files) {
      const to = path.join(rootfs, dst);
      fs.mkdirSync(path.dirname(to), { recursive: true });
      if (src.startsWith('->')) fs.symlinkSync(src.slice(2), to);
      else { fs.copyFileSync(src, to); fs.chmodSync(to, 0o755); }
    }
    const layer = path.join(tmp, 'layer.tar');
    run('tar', ['--sort=name', '--owner=0', '--group=0', '--numeric-owner', '--mtime=@0', '-C', rootfs, '-cf', layer, '.']);
    const layerSha = sha256(fs.readFileSync(layer));
    const config = JSON.stringify({
      architecture: 'amd64', os: 'linux', created: '1970-01-01T00:00:00Z',
      config: { Env: ['PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin'], Entrypoint: s.entrypoint },
      rootfs: { type: 'layers', diff_ids: [`sha256:${layerSha}`] },
      history: [{ created: '1970-01-01T00:00:00Z', created_by: 'kubeadm-upgrade sandbox (test/sandbox/realnode/images.ts)' }],
    });
    const configName = `${sha256(config)}.json`;
    const img = path.join(tmp, 'img');
    fs.mkdirSync(path.join(img, layerSha), { recursive: true });
    fs.renameSync(layer, path.join(img, layerSha, 'layer.tar'));
    fs.writeFileSync(path.join(img, configName), config);
    fs.writeFileSync(path.join(img, 'manifest.json'), JSON.stringify([{ Config: configName, RepoTags: [imageRef(s)], Layers: [`${layerSha}/layer.tar`] }]));
    fs.mkdirSync(path.dirname(out), { recursive: true });
    run('tar', ['--sort=name', '--owner=0', '--group=0', '--numeric-owner', '-C', img, '-cf', `${out}.tmp`, '.']);
    fs.renameSync(`${out}.tmp`, out);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** What an image is made of: each file's place in the image and its source's size and modification time. */
function contentsList(s: ImageSpec): string {
  return s.files.map(([src, dst]) => {
    if (src.startsWith('->')) return `${dst} ${src}\n`;
    const st = fs.statSync(src);
    return `${dst} ${st.size} ${st.mtimeMs}\n`;
  }).join('');
}

/** Builds the image tarballs that are missing from the cache or out of date; returns all of them. */
export function ensureImages(log: (m: string) => void): string[] {
  return imageSpecs().flatMap((s) => {
    const f = imageFile(s);
    // kube-proxy is built last: without it the node still comes up and upgrades; its pod waits for the image.
    const missing = s.files.map(([src]) => src).find((src) => !src.startsWith('->') && !fs.existsSync(src));
    if (missing) {
      if (fs.existsSync(f)) return [f];
      log(`no ${imageRef(s)}: ${missing} not built yet`);
      return [];
    }
    // Rebuilt when what goes in it changed (a file added to the spec, a binary rebuilt): its contents list says.
    const contents = contentsList(s);
    const listFile = `${f}.contents`;
    if (!fs.existsSync(f) || !fs.existsSync(listFile) || fs.readFileSync(listFile, 'utf8') !== contents) {
      log(`image ${imageRef(s)}`);
      writeImage(s, f);
      fs.writeFileSync(listFile, contents);
    }
    return [f];
  });
}

/** An image whose every binary exits 1 at once (pause refuses to run under another name):
 *  imported over a real image to make a static pod crash for real (a fault). */
export function brokenImage(name: string, tag: string): string {
  const f = path.join(imagesDir(), `broken-${name}_${tag}.tar`);
  if (!fs.existsSync(f)) {
    writeImage({ name, tag, files: [[path.join(cacheRoot(), 'realnode', 'pause'), `/usr/local/bin/${name}`]], entrypoint: [`/usr/local/bin/${name}`] }, f);
  }
  return f;
}
