// `kubeadm upgrade apply vX` / `kubeadm upgrade node` on a sandbox node. The real ones need
// a kubelet and a container runtime on the host; this follows their observable behaviour:
// version policy errors (skipped minor, target above kubeadm), the confirmation prompt,
// output lines as kubeadm 1.36 prints them, manifests rewritten with backups under
// /etc/kubernetes/tmp, mirror pods replaced with the new images, kubeadm-config updated
// on the first control plane, kube-proxy / CoreDNS updated by the LAST control plane to be
// upgraded (kubeadm >= 1.28: cmd/kubeadm/app/cmd/phases/upgrade/addons.go, checked against the
// real kubeadm in the real-control-plane scenario), and the real apiserver restarted on the
// newer binary.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline/promises';
import { spawnSync } from 'node:child_process';
import { parse, stringify } from 'yaml';
import { restartApiserver } from './lib/apiserver-restart';
import { sandboxBin } from './lib/cluster';
import { addonsFor, minorOf } from './lib/versions';

const NODE = process.env.SANDBOX_NODE!;
const ROOT = process.env.SANDBOX_NODE_ROOT!;
const DIR = process.env.SANDBOX_DIR!;
const KDIR = path.join(ROOT, 'etc/kubernetes');
const shown = (p: string) => p.replace(ROOT, ''); // paths as the node sees them

function kubectl(args: string[], input?: string): string {
  const r = spawnSync(path.join(DIR, 'bin/kubectl'), ['--kubeconfig', path.join(DIR, 'kubeconfig'), ...args], { encoding: 'utf8', input });
  if (r.status !== 0) throw new Error(r.stderr.trim());
  return r.stdout;
}
function kubectlRetry(args: string[], input?: string, tries = 60): string {
  for (let i = 0; ; i++) {
    try { return kubectl(args, input); } catch (e) { if (i >= tries) throw e; spawnSync('sleep', ['1']); }
  }
}
const fail = (msg: string): never => { process.stderr.write(`error: ${msg}\nTo see the stack trace of this error execute with --v=5 or higher\n`); process.exit(1); };

type V = [number, number, number];
const parseV = (s: string): V => { const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(s); if (!m) fail(`couldn't parse version "${s}"`); return [+m![1], +m![2], +m![3]]; };
const cmpV = (a: V, b: V) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
const vstr = (v: V) => `v${v.join('.')}`;

function installedKubeadm(): string {
  const line = fs.readFileSync(path.join(ROOT, 'var/lib/sandbox/packages'), 'utf8').split('\n').find((l) => l.startsWith('kubeadm '));
  return `v${line!.split(' ')[1].replace(/-.*/, '')}`;
}

// Go's os.MkdirTemp suffix: a run of decimal digits.
const randomDigits = () => String(Math.floor(Math.random() * 4e9));

function timestamp(): string { // node local time, as kubeadm names its backup folders
  const d = new Date(); const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}-${p(d.getHours())}-${p(d.getMinutes())}-${p(d.getSeconds())}`;
}

/** klog's header time: MMDD HH:MM:SS.micros (node local time). */
function klogTime(): string {
  const d = new Date(); const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getMonth() + 1)}${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds() * 1000, 6)}`;
}

const COMPONENTS = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler'];
const CERTS: Record<string, string[]> = {
  etcd: ['etcd-server', 'etcd-peer', 'etcd-healthcheck-client'],
  'kube-apiserver': ['apiserver', 'apiserver-kubelet-client', 'front-proxy-client', 'apiserver-etcd-client'],
  'kube-controller-manager': ['controller-manager.conf'],
  'kube-scheduler': ['scheduler.conf'],
};

function imageVersion(c: string, target: string): string { return c === 'etcd' ? addonsFor(target).etcd : target; }

/** Replaces the node's mirror pod for a component with one running the new image. */
function replaceMirrorPod(c: string, image: string): void {
  const name = `${c}-${NODE}`;
  const pod = JSON.parse(kubectlRetry(['get', 'pod', '-n', 'kube-system', name, '-o', 'json']));
  pod.spec.containers[0].image = image;
  const md = pod.metadata;
  for (const k of ['uid', 'resourceVersion', 'creationTimestamp', 'managedFields', 'generation']) delete md[k];
  delete pod.status;
  md.annotations['kubernetes.io/config.seen'] = new Date().toISOString();
  const hash = Math.random().toString(16).slice(2, 18).padEnd(16, '0') + Math.random().toString(16).slice(2, 18).padEnd(16, '0');
  md.annotations['kubernetes.io/config.hash'] = hash; md.annotations['kubernetes.io/config.mirror'] = hash;
  kubectlRetry(['delete', 'pod', '-n', 'kube-system', name, '--wait=false', '--ignore-not-found']);
  kubectlRetry(['create', '-f', '-'], JSON.stringify(pod));
  console.log(`[apiclient] Found 1 Pods for label selector component=${c}`);
}

function upgradeStaticPods(target: string, etcdUpgrade: boolean, renewCerts: boolean): void {
  const ts = timestamp();
  const backup = path.join(KDIR, 'tmp', `kubeadm-backup-manifests-${ts}`);
  const backupEtcd = path.join(KDIR, 'tmp', `kubeadm-backup-etcd-${ts}`);
  const tmp = path.join(KDIR, 'tmp', `kubeadm-upgraded-manifests${randomDigits()}`);
  fs.mkdirSync(tmp, { mode: 0o700 });
  fs.mkdirSync(backup, { mode: 0o700 });
  console.log(`[upgrade/staticpods] Writing new Static Pod manifests to "${shown(tmp)}"`);
  const imageOf = (c: string) => parse(fs.readFileSync(path.join(KDIR, 'manifests', `${c}.yaml`), 'utf8')).spec.containers[0].image as string;
  const newImage = (c: string) => `registry.k8s.io/${c}:${imageVersion(c, target)}`;
  // etcd's manifest equal but kube-apiserver's not: kubeadm still moves etcd's (to restart it with renewed
  // certificates), saying "Restarting the etcd static pod" (staticpods.go upgradeComponent; seen in test/realcp).
  const apiServerUpgrade = imageOf('kube-apiserver') !== newImage('kube-apiserver');
  for (const c of COMPONENTS) {
    if (c === 'etcd' && !etcdUpgrade) continue;
    const manifestPath = path.join(KDIR, 'manifests', `${c}.yaml`);
    const manifest = parse(fs.readFileSync(manifestPath, 'utf8'));
    const image = newImage(c);
    if (c === 'etcd') {
      // kubeadm copies the etcd data dir before anything else, whatever the versions: <backup-etcd>/etcd/member/...
      // (performEtcdStaticPodUpgrade).
      fs.mkdirSync(backupEtcd, { mode: 0o700 });
      fs.cpSync(path.join(ROOT, 'var/lib/etcd'), path.join(backupEtcd, 'etcd'), { recursive: true });
    }
    console.log(`[upgrade/staticpods] Preparing for "${c}" upgrade`);
    const equal = manifest.spec.containers[0].image === image;
    if (equal && !(c === 'etcd' && apiServerUpgrade)) {
      console.log(`[upgrade/staticpods] Current and new manifests of ${c} are equal, skipping upgrade`);
      continue;
    }
    if (renewCerts) for (const cert of CERTS[c]) console.log(`[upgrade/staticpods] Renewing ${cert} certificate`);
    manifest.spec.containers[0].image = image;
    fs.writeFileSync(path.join(tmp, `${c}.yaml`), stringify(manifest));
    if (equal && renewCerts) console.log(`[upgrade/staticpods] Restarting the ${c} static pod and backing up its manifest to "${shown(path.join(backup, `${c}.yaml`))}"`);
    else console.log(`[upgrade/staticpods] Moving new manifest to "${shown(manifestPath)}" and backing up old manifest to "${shown(path.join(backup, `${c}.yaml`))}"`);
    fs.copyFileSync(manifestPath, path.join(backup, `${c}.yaml`));
    fs.renameSync(path.join(tmp, `${c}.yaml`), manifestPath);
    console.log('[upgrade/staticpods] Waiting for the kubelet to restart the component');
    console.log('[upgrade/staticpods] This can take up to 5m0s');
    replaceMirrorPod(c, image);
    console.log(`[upgrade/staticpods] Component "${c}" upgraded successfully!`);
    if (c === 'etcd') console.log('[upgrade/etcd] Waiting for etcd to become available');
  }
  fs.rmSync(tmp, { recursive: true, force: true });
}

function kubeletConfigPhase(): void {
  // kubeadm 1.36 (postupgrade.go WriteKubeletConfigFiles): a timestamped folder, announced by a klog warning on stderr.
  const dir = path.join(KDIR, 'tmp', `kubeadm-kubelet-config-${timestamp()}`);
  fs.mkdirSync(dir, { mode: 0o700 });
  process.stderr.write(`W${klogTime()} ${String(process.pid).padStart(7)} postupgrade.go:105] Using temporary directory ${shown(dir)} for kubelet config. To override it set the environment variable KUBEADM_UPGRADE_DRYRUN_DIR\n`);
  fs.copyFileSync(path.join(ROOT, 'var/lib/kubelet/config.yaml'), path.join(dir, 'config.yaml'));
  console.log(`[upgrade] Backing up kubelet config file to ${shown(dir)}/config.yaml`);
  console.log('[kubelet-start] Writing kubelet configuration to file "/var/lib/kubelet/config.yaml"');
}

/** Control planes whose kube-apiserver mirror pod runs another image than this node's
 *  (kubeadm's UnupgradedControlPlaneInstances, sorted). */
function unupgradedControlPlanes(): string[] {
  const pods = JSON.parse(kubectlRetry(['get', 'pods', '-n', 'kube-system', '-l', 'component=kube-apiserver', '-o', 'json'])).items as { spec: { nodeName: string; containers: { name: string; image: string }[] } }[];
  const image = new Map(pods.map((p) => [p.spec.nodeName, p.spec.containers.find((c) => c.name === 'kube-apiserver')?.image]));
  const mine = image.get(NODE);
  return [...image].filter(([, img]) => img !== mine).map(([n]) => n).sort();
}

/** kubeadm's addon phase (shared by `upgrade apply` and `upgrade node`): CoreDNS then kube-proxy,
 *  each skipped unless every control plane runs this node's kube-apiserver image. */
function addonPhase(target: string, controlPlane: boolean): void {
  for (const addon of ['coredns', 'kube-proxy']) {
    if (!controlPlane) { console.log(`[upgrade/addon] Skipping the addon/${addon} phase. Not a control plane node.`); continue; }
    const behind = unupgradedControlPlanes();
    if (behind.length) { console.log(`[upgrade/addon] Skipping upgrade of addons because control plane instances [${behind.join(' ')}] have not been upgraded`); continue; }
    if (addon === 'coredns') {
      kubectlRetry(['set', 'image', '-n', 'kube-system', 'deployment/coredns', `coredns=registry.k8s.io/coredns/coredns:${addonsFor(target).coredns}`]);
      console.log('[addons] Applied essential addon: CoreDNS');
    } else {
      kubectlRetry(['set', 'image', '-n', 'kube-system', 'daemonset/kube-proxy', `kube-proxy=registry.k8s.io/kube-proxy:${target}`]);
      console.log('[addons] Applied essential addon: kube-proxy');
    }
  }
}

function readClusterConfig(): { cm: Record<string, unknown>; cfg: Record<string, unknown> } {
  console.log('[upgrade] Reading configuration from the "kubeadm-config" ConfigMap in namespace "kube-system"...');
  console.log("[upgrade] Use 'kubeadm init phase upload-config kubeadm --config your-config-file' to re-upload it.");
  const cm = JSON.parse(kubectlRetry(['get', 'cm', '-n', 'kube-system', 'kubeadm-config', '-o', 'json']));
  return { cm, cfg: parse(cm.data.ClusterConfiguration) };
}

async function confirm(): Promise<void> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  const a = await rl.question('[upgrade] Are you sure you want to proceed? [y/N]: ');
  rl.close();
  if (!/^y(es)?$/i.test(a.trim())) fail("won't proceed; the user didn't answer (Y|y) in order to continue");
}

async function apply(args: string[]): Promise<void> {
  const flags = new Set(args.filter((a) => a.startsWith('-')));
  const target = args.find((a) => /^v?\d+\.\d+\.\d+$/.test(a));
  if (!target) fail('[upgrade] FATAL: missing one or more required arguments. Required arguments: [version]');
  const etcdUpgrade = !flags.has('--etcd-upgrade=false');
  const renewCerts = !flags.has('--certificate-renewal=false');
  const force = flags.has('--force') || flags.has('-f');
  const { cm, cfg } = readClusterConfig();
  console.log('[upgrade/preflight] Running preflight checks');
  if (!fs.existsSync(path.join(KDIR, 'manifests', 'kube-apiserver.yaml'))) {
    fail('[upgrade/preflight] FATAL: [preflight] Some fatal errors occurred:\n\t[ERROR ControlPlaneNode]: this command must be run on a control plane node');
  }
  console.log('[upgrade] Running cluster health checks');
  const t = parseV(target!);
  console.log(`[upgrade/preflight] You have chosen to upgrade the cluster version to "${vstr(t)}"`);
  const clusterV = parseV(JSON.parse(kubectlRetry(['version', '-o', 'json'])).serverVersion.gitVersion);
  const kubeadmV = parseV(installedKubeadm());
  console.log(`[upgrade/versions] Cluster version: ${vstr(clusterV)}`);
  console.log(`[upgrade/versions] kubeadm version: ${vstr(kubeadmV)}`);
  const mandatory: string[] = []; const skippable: string[] = [];
  if (t[1] > clusterV[1] + 1) mandatory.push(`Specified version to upgrade to "${vstr(t)}" is too high; kubeadm can upgrade only 1 minor version at a time`);
  if (t[1] < clusterV[1] - 1) mandatory.push(`Specified version to downgrade to "${vstr(t)}" is too low; kubeadm can downgrade only 1 minor version at a time`);
  if (cmpV(kubeadmV, t) < 0) {
    if (t[1] > kubeadmV[1]) mandatory.push(`Specified version to upgrade to "${vstr(t)}" is at least one minor release higher than the kubeadm minor release (${t[1]} > ${kubeadmV[1]}). Such an upgrade is not supported`);
    else skippable.push(`Specified version to upgrade to "${vstr(t)}" is higher than the kubeadm version "${vstr(kubeadmV)}". Upgrade kubeadm first using the tool you used to install kubeadm`);
  }
  if (kubeadmV[1] > t[1]) skippable.push(`Kubeadm version ${vstr(kubeadmV)} can only be used to upgrade to Kubernetes version 1.${kubeadmV[1]}`);
  const fmt = (e: string[]) => e.map((x) => `\t- ${x}\n`).join('');
  if (mandatory.length) fail(`[upgrade] FATAL: the version argument is invalid due to these fatal errors:\n\n${fmt(mandatory)}\nPlease fix the misalignments highlighted above and try upgrading again`);
  if (skippable.length && !force) fail(`[upgrade] FATAL: the version argument is invalid due to these errors:\n\n${fmt(skippable)}\nCan be bypassed if you pass the --force flag`);
  if (skippable.length) process.stdout.write(`[upgrade/preflight] Found ${skippable.length} potential version compatibility errors but skipping since the --force flag is set: \n\n${fmt(skippable)}`);
  if (!flags.has('-y') && !flags.has('--yes')) await confirm();
  console.log('[upgrade/preflight] Pulling images required for setting up a Kubernetes cluster');
  console.log('[upgrade/preflight] This might take a minute or two, depending on the speed of your internet connection');
  console.log("[upgrade/preflight] You can also perform this action beforehand using 'kubeadm config images pull'");
  console.log(`[upgrade/control-plane] Upgrading your static Pod-hosted control plane to version "${vstr(t)}" (timeout: 5m0s)...`);
  const firstControlPlane = minorOf(String(cfg.kubernetesVersion)) < t[1] || cmpV(parseV(String(cfg.kubernetesVersion)), t) < 0;
  upgradeStaticPods(vstr(t), etcdUpgrade, renewCerts);
  // The real apiserver becomes the newer binary when the cluster crosses to the new minor.
  const sb = sandboxBin(DIR);
  if (sb.apiserver(vstr(t)) !== sb.apiserver(vstr(clusterV)) && fs.existsSync(sb.apiserver(vstr(t)))) {
    await restartApiserver(DIR, sb.apiserver(vstr(t)), 2000);
    kubectlRetry(['get', '--raw', '/readyz']);
  }
  console.log('[upgrade/control-plane] The control plane instance for this node was successfully upgraded!');
  if (firstControlPlane) {
    cfg.kubernetesVersion = vstr(t);
    (cm.data as Record<string, string>).ClusterConfiguration = stringify(cfg);
    console.log('[upload-config] Storing the configuration used in ConfigMap "kubeadm-config" in the "kube-system" Namespace');
    kubectlRetry(['patch', 'cm', '-n', 'kube-system', 'kubeadm-config', '--type=merge', '-p', JSON.stringify({ data: cm.data })]);
  }
  console.log('[upgrade/kubeconfig] The kubeconfig files for this node were successfully upgraded!');
  kubeletConfigPhase();
  console.log('[upgrade/kubelet-config] The kubelet configuration for this node was successfully upgraded!');
  console.log('[upgrade/bootstrap-token] Configuring bootstrap token and cluster-info RBAC rules');
  addonPhase(vstr(t), true);
  console.log('');
  console.log(`[upgrade] SUCCESS! A control plane node of your cluster was upgraded to "${vstr(t)}".\n`);
  console.log('[upgrade] Now please proceed with upgrading the rest of the nodes by following the right order.');
}

async function node(args: string[]): Promise<void> {
  readClusterConfig();
  const { cfg } = { cfg: parse(JSON.parse(kubectlRetry(['get', 'cm', '-n', 'kube-system', 'kubeadm-config', '-o', 'json'])).data.ClusterConfiguration) };
  const cp = fs.existsSync(path.join(KDIR, 'manifests', 'kube-apiserver.yaml'));
  console.log('[upgrade/preflight] Running pre-flight checks');
  const target = String(cfg.kubernetesVersion);
  const kubeadmV = parseV(installedKubeadm());
  if (cmpV(kubeadmV, parseV(target)) < 0) fail(`[upgrade] FATAL: the kubeadm version "${vstr(kubeadmV)}" is lower than the cluster version "${target}"; upgrade kubeadm first`);
  if (cp) {
    console.log('[upgrade/preflight] Pulling images required for setting up a Kubernetes cluster');
    console.log('[upgrade/preflight] This might take a minute or two, depending on the speed of your internet connection');
    console.log("[upgrade/preflight] You can also perform this action beforehand using 'kubeadm config images pull'");
    console.log(`[upgrade/control-plane] Upgrading your Static Pod-hosted control plane instance to version "${target}"...`);
    upgradeStaticPods(target, !args.includes('--etcd-upgrade=false'), !args.includes('--certificate-renewal=false'));
    console.log('[upgrade/control-plane] The control plane instance for this node was successfully upgraded!');
    console.log('[upgrade/kubeconfig] The kubeconfig files for this node were successfully upgraded!');
  } else {
    console.log('[upgrade/preflight] Skipping prepull. Not a control plane node.');
    console.log('[upgrade/control-plane] Skipping phase. Not a control plane node.');
    console.log('[upgrade/kubeconfig] Skipping phase. Not a control plane node.');
  }
  kubeletConfigPhase();
  console.log('[upgrade/kubelet-config] The kubelet configuration for this node was successfully upgraded!');
  addonPhase(target, cp);
  console.log('[upgrade] The configuration for this node was successfully updated!');
  console.log('[upgrade] Now you should go ahead and upgrade the kubelet package using your package manager.');
}

const [, , sub, verb, ...rest] = process.argv;
if (sub !== 'upgrade' || (verb !== 'apply' && verb !== 'node')) fail(`kubeadm-standin: unsupported "${sub} ${verb}"`);
(verb === 'apply' ? apply(rest) : node(rest)).catch((e: Error) => fail(`[upgrade] FATAL: ${e.message}`));
