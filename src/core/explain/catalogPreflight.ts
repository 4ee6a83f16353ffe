// kubeadm's preflight checks, by check name (`[ERROR Name]` / `[WARNING Name]`). Check names from kubeadm's
// phases/upgrade/health.go (CreateJob, ControlPlaneNodesReady, StaticPodManifest), phases/upgrade/preflight.go
// (CoreDNSUnsupportedPlugins, CoreDNSMigration) and preflight/checks.go (ImagePull, SystemVerification, ...).
import { sh } from '../exec/shell';
import type { CatalogEntry, Facts } from './facts';

const ignoreFlag = (f: Facts): string => sh`--ignore-preflight-errors=${f.check ?? 'all'}`;
const orIgnore = (f: Facts): string =>
  f.check ? ` If you are sure it is safe, the check can be skipped with ${ignoreFlag(f)}.` : '';

export const PREFLIGHT = {
  'preflight-create-job': {
    severity: 'failure',
    title: 'The upgrade-health-check Job did not complete (CreateJob)',
    cause: (f) =>
      `kubeadm starts a small Job (upgrade-health-check) to prove Pods can be scheduled and run; it did not complete in ${f.value ?? 'the time kubeadm waits'}. ` +
      'Typical: no node can take the Pod (all cordoned or tainted, e.g. a drained single control plane), the pause image cannot be pulled, a slow node, ' +
      'or a control plane still recovering from an apiserver restart (after a rolled-back apply the scheduler and controller-manager ' +
      'take a while to work again: the Pod stays Pending, unscheduled).',
    fix: (f) => ({
      text: 'Look at the Job\'s Pod: if it is Pending with no node, wait until kube-scheduler and kube-controller-manager run (and schedule Pods) again, ' +
        'or make a node take it (uncordon a node, pull the image); then run the upgrade again.' + orIgnore(f),
      commands: ['kubectl -n kube-system get jobs,pods -l job-name -o wide', 'kubectl get nodes', 'kubectl -n kube-system get events --sort-by=.lastTimestamp | tail -n 20'],
    }),
    recovery: () => ['rerun'],
  },
  'preflight-control-plane-nodes-ready': {
    severity: 'failure',
    title: 'A control-plane node is NotReady (ControlPlaneNodesReady)',
    cause: (f) => `kubeadm upgrades only when every control-plane node is Ready; ${f.items.join(', ') || 'one'} is not.`,
    fix: (f) => ({
      text: 'Find out why the node is NotReady (kubelet, container runtime, CNI) and fix it, then run the upgrade again.' + orIgnore(f),
      commands: [
        f.items[0] ? sh`kubectl describe node ${f.items[0]}` : 'kubectl get nodes',
        'sudo systemctl status kubelet --no-pager',
        'sudo journalctl -u kubelet --since "15 min ago" --no-pager | tail -n 50',
      ],
    }),
    recovery: () => ['verify-nodes'],
  },
  'preflight-coredns-unsupported-plugins': {
    severity: 'failure',
    title: 'The Corefile has plugins kubeadm cannot migrate (CoreDNSUnsupportedPlugins)',
    cause: () =>
      'kubeadm migrates the CoreDNS Corefile to the new CoreDNS version, and this Corefile has plugins (or a CoreDNS build) the migration tool does not know.',
    fix: (f) => ({
      text: 'Check the listed plugins against the new CoreDNS version by hand; if they work there, skip the check.' + orIgnore(f),
      commands: ['kubectl -n kube-system get configmap coredns -o yaml'],
    }),
    recovery: () => ['rerun'],
  },
  'preflight-coredns-migration': {
    severity: 'failure',
    title: 'The CoreDNS configuration cannot be migrated (CoreDNSMigration)',
    cause: () => 'kubeadm cannot migrate this CoreDNS Corefile automatically (often a custom CoreDNS image or version it does not know).',
    fix: (f) => ({
      text: 'Migrate the Corefile by hand for the new CoreDNS version (or reset it to the kubeadm default), then skip the check.' + orIgnore(f),
      commands: ['kubectl -n kube-system get configmap coredns -o yaml', 'kubectl -n kube-system get deployment coredns -o jsonpath="{.spec.template.spec.containers[0].image}"'],
    }),
    recovery: () => ['rerun'],
  },
  'preflight-image-pull': {
    severity: 'failure',
    title: 'A control-plane image could not be pulled (ImagePull)',
    cause: (f) =>
      `The container runtime could not pull ${f.value ?? 'an image'}: no network or registry access, a wrong image repository, or a wrong CRI socket.`,
    fix: (f) => ({
      text: 'Pull the images by hand to see the real error, fix it (registry, proxy, criSocket), then run the upgrade again.',
      commands: [
        f.target ? sh`sudo kubeadm config images pull --kubernetes-version ${f.target}` : 'sudo kubeadm config images pull',
        ...(f.value ? [sh`sudo crictl pull ${f.value}`] : []),
      ],
    }),
    recovery: () => ['rerun'],
  },
  'preflight-cri-runtime': {
    severity: 'failure',
    title: 'kubeadm cannot talk to the container runtime (CRI)',
    cause: () =>
      'kubeadm reaches the container runtime through its CRI socket, and that failed: the runtime is not running, its CRI plugin is ' +
      'off (containerd as packaged for Docker ships with disabled_plugins = ["cri"] in /etc/containerd/config.toml), it is too old for ' +
      'the CRI v1 API, crictl is missing, or the node points at another socket (criSocket).',
    fix: () => ({
      text:
        'Make the runtime answer on its CRI socket: start it, remove "cri" from disabled_plugins (or regenerate the file with ' +
        '`containerd config default`), restart it, check with crictl, then run kubeadm again.',
      commands: [
        'sudo systemctl status containerd --no-pager',
        'grep -n disabled_plugins /etc/containerd/config.toml',
        'sudo crictl --runtime-endpoint unix:///var/run/containerd/containerd.sock info',
        'sudo systemctl restart containerd',
      ],
    }),
    recovery: () => ['rerun'],
  },
  'preflight-cgroups-v1': {
    severity: 'warning',
    title: 'The node uses cgroups v1 (SystemVerification)',
    cause: () => 'cgroups v1 is in maintenance mode; newer kubelets refuse to start on it by default (FailCgroupV1).',
    fix: () => ({
      text: 'Move the node to cgroups v2 (systemd.unified_cgroup_hierarchy=1 on the kernel command line, or a newer OS) before upgrading much further.',
      commands: ['stat -fc %T /sys/fs/cgroup/'],
    }),
    recovery: () => [],
  },
  'preflight-runtime-config': {
    severity: 'warning',
    title: 'The container runtime is too old to report its cgroup driver (ContainerRuntimeVersion)',
    cause: () =>
      'kubeadm and the kubelet ask the runtime for its cgroup driver with the CRI method RuntimeConfig (KEP-4033); this runtime answers ' +
      '"Unimplemented" (containerd before 2.0, CRI-O before 1.28). The kubelet falls back to cgroupDriver from its own configuration, ' +
      'a fallback that the release named in kubeadm\'s warning removes: from that release on, such a kubelet does not start.',
    fix: () => ({
      text: 'Not blocking for this upgrade. Before the upgrade to the release kubeadm names, upgrade the runtime (containerd 2.0 or later, CRI-O 1.28 or later) on every node.',
      commands: ['sudo crictl version', 'sudo crictl runtime-config'],
    }),
    recovery: () => [],
  },
  'preflight-check': {
    severity: 'failure',
    title: 'A preflight check failed',
    cause: (f) => `kubeadm's ${f.check ?? ''} preflight check did not pass.`,
    fix: (f) => ({ text: `Address the failing ${f.check ?? ''} check, then run the command again.` + orIgnore(f), commands: [] }),
    recovery: () => ['rerun'],
  },
  'preflight-warning': {
    severity: 'warning',
    title: 'A preflight check warned',
    cause: (f) => `kubeadm's ${f.check ?? ''} preflight check warned; it does not stop the command.`,
    fix: () => ({ text: 'Not blocking, but worth checking before you upgrade.', commands: [] }),
    recovery: () => [],
  },
} satisfies Record<string, CatalogEntry>;

/** The catalog id for a check name and severity. */
export function preflightId(check: string, error: boolean, detail: string): keyof typeof PREFLIGHT {
  if (check === 'SystemVerification' && /cgroups v1/i.test(detail)) return 'preflight-cgroups-v1';
  const known: Record<string, keyof typeof PREFLIGHT> = {
    CreateJob: 'preflight-create-job',
    ControlPlaneNodesReady: 'preflight-control-plane-nodes-ready',
    CoreDNSUnsupportedPlugins: 'preflight-coredns-unsupported-plugins',
    CoreDNSMigration: 'preflight-coredns-migration',
    ImagePull: 'preflight-image-pull',
    CRI: 'preflight-cri-runtime',
    ContainerRuntimeVersion: 'preflight-runtime-config',
  };
  // A known check that only warned keeps its id (the cause and fix are the same); its severity comes from kubeadm.
  return known[check] ?? (error ? 'preflight-check' : 'preflight-warning');
}
