import { drainCommandLine, type DrainSettings } from '../drain/settings';
import { raw, sh, validatePath, type ShellCommand } from '../exec/shell';
import { prepullCommand } from '../images/targetImages';
import { formatVersion, type KubeVersion } from '../version';
import { freshVersionsCommand, installCommand, type PackageManager } from './packages';
import { repoDiffText, switchRepoCommand, type RepoChange } from './repo';

/** The node's part in the upgrade, which decides `kubeadm upgrade apply` (first control plane) or `upgrade node`. */
export type NodeRole = 'first-control-plane' | 'control-plane' | 'worker';

export interface UpgradeOptions {
  /** `--certificate-renewal=false` when off; kubeadm renews certificates by default. */
  readonly renewCertificates: boolean;
  /** `--etcd-upgrade=false` when off. */
  readonly upgradeEtcd: boolean;
  /**
   * The docs' workaround for requests stalling while etcd restarts: `killall -s SIGTERM kube-apiserver; sleep 20`
   * right before `kubeadm upgrade apply`/`node`, so in-flight requests finish and connections close cleanly.
   */
  readonly stopApiserverFirst: boolean;
  readonly drain: DrainSettings;
  /** Seconds to wait for the node to be Ready at the target kubelet version after the restart. */
  readonly readyTimeoutSeconds: number;
  /**
   * Bring the target's images onto each control plane before `kubeadm upgrade apply/node` (pull, or import
   * `imagesArchive`), so kubeadm never pulls while the control plane is down (kubeadm.upgrade.prepullImages, on by
   * default; `--no-pre-pull`). Absent in runs saved before it became the default: those resume without it.
   */
  readonly prepullImages?: boolean;
  /** An image archive on the control planes, imported with `ctr -n k8s.io images import` instead of pulling. */
  readonly imagesArchive?: string;
  /** kubeadm's patches folder on the control planes: `--patches DIR` for `kubeadm upgrade apply/node`. */
  readonly patchesDir?: string;
  /** Where `patchesDir` was named when the user did not name it: `patches.directory of the <kind> in <file>` on the node. */
  readonly patchesSource?: string;
}

export const DEFAULT_OPTIONS: UpgradeOptions = {
  renewCertificates: true,
  upgradeEtcd: true,
  stopApiserverFirst: false,
  drain: { timeoutSeconds: 300, deleteEmptyDirData: false, force: false, disableEviction: false },
  readyTimeoutSeconds: 300,
  prepullImages: true,
};

/** Everything needed to lay out one node's sequence. Serialisable: it is saved with the run for resume. */
export interface UpgradeContext {
  readonly cluster: string;
  readonly node: string;
  readonly role: NodeRole;
  readonly target: KubeVersion;
  readonly packageManager: PackageManager;
  /**
   * The package version to install: exact (`1.32.3-1.1`, as the repo lists it) or the docs' glob `1.32.3-*`,
   * which the package manager resolves to the target's build.
   */
  readonly packageVersion: string;
  readonly repoChange?: RepoChange;
  /** Names this run's repo backups. */
  readonly stamp: string;
  readonly options: UpgradeOptions;
}

export type PhaseId =
  | 'switch-repo'
  | 'check-packages'
  | 'install-kubeadm'
  | 'verify-kubeadm'
  | 'plan'
  | 'prepull-images'
  | 'stop-apiserver'
  | 'kubeadm-upgrade'
  | 'drain'
  | 'install-kubelet'
  | 'restart-kubelet'
  | 'wait-ready'
  | 'uncordon';

/** What the user confirms before it runs. */
export type ConfirmKind = 'repo' | 'apply' | 'drain';

export type PhaseAction =
  | { readonly kind: 'node'; readonly command: ShellCommand; readonly sudo: boolean; readonly timeoutMs: number; readonly expect?: Expectation }
  | { readonly kind: 'drain' }
  | { readonly kind: 'wait-ready' }
  | { readonly kind: 'uncordon' };

/** A check of a step's output beyond its exit code. */
export type Expectation = 'kubeadm-version' | 'package-available';

export interface Phase {
  readonly id: PhaseId;
  readonly title: string;
  readonly action: PhaseAction;
  readonly confirm?: ConfirmKind;
  /** The line printed by the dry run and listed in the confirmation. */
  readonly script: string;
}

const MIN = 60_000;

const RESTART_KUBELET = raw('systemctl daemon-reload && systemctl restart kubelet');
/**
 * On a control plane: the kubelet stopped, then kube-apiserver stopped gracefully (SIGTERM; SIGKILL after its
 * --shutdown-delay-duration plus 10 s for its in-flight requests, at most its static pod's 30 s grace period — it
 * never exits on its own while watches are open), then the kubelet started. Why: a kubelet at a new minor hashes each static pod to a new
 * UID (pkg/kubelet/config/common.go applyDefaults hashes the whole Pod struct, which gains fields each minor), so it
 * finds the pods the old kubelet started unknown and kills them with a 1 s grace period (kubelet_pods.go
 * HandlePodCleanups, "Clean up containers for orphaned pod we had not seen before"). kube-apiserver then dies before its
 * --shutdown-delay-duration lets a load balancer's /readyz check take it out, and the requests just forwarded to it are
 * reset (measured on the real HA cluster: 1–7 per run). Stopped gracefully first, it fails /readyz, keeps serving until
 * the load balancer has moved away, then drains. No crictl (not a CRI node): the plain restart.
 */
const RESTART_KUBELET_APISERVER_FIRST = raw(
  'systemctl daemon-reload && systemctl stop kubelet && { ' +
    "d=$(sed -n 's/^ *- --shutdown-delay-duration=\\([0-9][0-9]*\\)s$/\\1/p' /etc/kubernetes/manifests/kube-apiserver.yaml | head -n 1); t=$(( ${d:-0} + 10 )); [ \"$t\" -le 30 ] || t=30; " +
    "ids=$(crictl ps -q --state running --name '^kube-apiserver$' 2>/dev/null) && [ -n \"$ids\" ] && crictl stop --timeout \"$t\" $ids >/dev/null; systemctl restart kubelet; }",
);

/** The docs' sequence for one node, in order, with the phases this node's role and state need. */
export function phasesFor(ctx: UpgradeContext): Phase[] {
  const t = formatVersion(ctx.target);
  const o = ctx.options;
  const phases: Phase[] = [];
  const node = (id: PhaseId, title: string, command: ShellCommand, timeoutMs: number, extra: Partial<Phase> & { expect?: Expectation } = {}): Phase => ({
    id,
    title,
    action: { kind: 'node', command, sudo: id !== 'verify-kubeadm', timeoutMs, ...(extra.expect ? { expect: extra.expect } : {}) },
    script: command,
    ...(extra.confirm ? { confirm: extra.confirm } : {}),
  });

  if (ctx.repoChange) {
    const cmd = switchRepoCommand(ctx.repoChange, ctx.packageManager, ctx.stamp);
    phases.push({ ...node('switch-repo', `Switch the package repository to v${ctx.target.major}.${ctx.target.minor}`, cmd, 5 * MIN, { confirm: 'repo' }), script: `# ${repoDiffText(ctx.repoChange).replace(/\n/g, '\n# ')}\n${cmd}` });
  }
  // Before anything is installed: does the (possibly just switched) repository offer the target at all?
  phases.push(node('check-packages', `Check that the repository offers kubeadm ${t}`, freshVersionsCommand(ctx.packageManager, 'kubeadm'), 5 * MIN, { expect: 'package-available' }));
  phases.push(node('install-kubeadm', `Install kubeadm ${ctx.packageVersion}`, installCommand(ctx.packageManager, ['kubeadm'], ctx.packageVersion), 10 * MIN));
  phases.push(node('verify-kubeadm', `Check that kubeadm is ${t}`, raw('kubeadm version -o short'), MIN, { expect: 'kubeadm-version' }));
  if (ctx.role === 'first-control-plane') phases.push(node('plan', 'kubeadm upgrade plan', sh`kubeadm upgrade plan ${t}`, 5 * MIN));
  // The target's images on the node before its control plane goes down; the image repository is the one kubeadm
  // last wrote into the node's kube-apiserver manifest (the cluster's imageRepository).
  if (ctx.role !== 'worker' && (o.prepullImages || o.imagesArchive)) {
    phases.push(node('prepull-images', o.imagesArchive ? `Import the images of ${t} from ${o.imagesArchive}` : `Pull the images of ${t} not on ${ctx.node} yet`, prepullCommand({ target: t, ...(o.imagesArchive ? { archive: o.imagesArchive } : {}) }), 30 * MIN));
  }
  if (ctx.role !== 'worker' && o.stopApiserverFirst) {
    phases.push(node('stop-apiserver', 'Stop kube-apiserver gracefully and wait 20 s (etcd restart workaround)', raw('killall -s SIGTERM kube-apiserver; sleep 20'), MIN));
  }
  const flags = [...(o.renewCertificates ? [] : ['--certificate-renewal=false']), ...(o.upgradeEtcd ? [] : ['--etcd-upgrade=false']), ...(o.patchesDir && ctx.role !== 'worker' ? ['--patches', validatePath(o.patchesDir)] : [])];
  const patchesNote = o.patchesDir && ctx.role !== 'worker' ? `# --patches ${o.patchesDir}: named by ${o.patchesSource ?? 'the setting kubeadm.upgrade.patchesDir / --patches'}\n` : '';
  if (ctx.role === 'first-control-plane') {
    phases.push(withNote(node('kubeadm-upgrade', `kubeadm upgrade apply ${t}`, sh`kubeadm upgrade apply ${t} --yes ${flags}`.trimEnd() as ShellCommand, 30 * MIN, { confirm: 'apply' }), patchesNote));
  } else {
    phases.push(withNote(node('kubeadm-upgrade', 'kubeadm upgrade node', sh`kubeadm upgrade node ${flags}`.trimEnd() as ShellCommand, 30 * MIN), patchesNote));
  }
  phases.push({ id: 'drain', title: `Drain ${ctx.node}`, action: { kind: 'drain' }, confirm: 'drain', script: drainScript(ctx) });
  phases.push(node('install-kubelet', `Install kubelet and kubectl ${ctx.packageVersion}`, installCommand(ctx.packageManager, ['kubelet', 'kubectl'], ctx.packageVersion), 10 * MIN));
  phases.push(node('restart-kubelet', 'Restart kubelet', ctx.role === 'worker' ? RESTART_KUBELET : RESTART_KUBELET_APISERVER_FIRST, 2 * MIN));
  phases.push({ id: 'wait-ready', title: `Wait for ${ctx.node} to be Ready at ${t}`, action: { kind: 'wait-ready' }, script: `# wait until ${ctx.node} is Ready and reports kubelet ${t} (timeout ${o.readyTimeoutSeconds}s)` });
  phases.push({ id: 'uncordon', title: `Uncordon ${ctx.node}`, action: { kind: 'uncordon' }, script: sh`kubectl uncordon ${ctx.node}` });
  return phases;
}

/** The phase with a comment line before its script (the dry run and the confirmation show it; the command is unchanged). */
const withNote = (p: Phase, note: string): Phase => (note ? { ...p, script: `${note}${p.script}` } : p);

function drainScript(ctx: UpgradeContext): string {
  return drainCommandLine(ctx.node, ctx.options.drain);
}

/** The whole per-node script, as "Preview Upgrade (Dry Run)" prints it: nothing is executed. */
export function dryRunScript(ctx: UpgradeContext): string {
  const header = [
    `# kubeadm-upgrade: ${ctx.node} (${ctx.role}) in ${ctx.cluster} → ${formatVersion(ctx.target)}`,
    `# package manager: ${ctx.packageManager}, package version ${ctx.packageVersion}`,
    '# steps marked [confirm] ask before they run; commands marked (root) run with sudo when the login is not root',
  ];
  const body = phasesFor(ctx).map((p, i) => {
    const root = p.action.kind === 'node' && p.action.sudo ? ' (root)' : '';
    return `\n# ${i + 1}. ${p.title}${p.confirm ? ' [confirm]' : ''}${root}\n${p.script}`;
  });
  return [...header, ...body].join('\n') + '\n';
}
