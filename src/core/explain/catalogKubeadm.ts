// kubeadm's failures and warnings: cause in plain words, fix with the commands filled in, recovery steps that apply.
// Message texts and behaviour from kubeadm's sources (phases/upgrade/staticpods.go, policy.go, health.go,
// preflight checks, cmd/upgrade/common.go) and the kubeadm upgrade and certificate-management docs.
import { sh } from '../exec/shell';
import { minorOf, nodeOr, type CatalogEntry, type Facts } from './facts';

const rerunCommand = (f: Facts): string =>
  f.target ? sh`sudo kubeadm upgrade apply --yes ${f.target}` : 'sudo kubeadm upgrade node';
const ignore = (check: string): string => sh`--ignore-preflight-errors=${check}`;
// staticpods.go rollbackOldManifests: the manifests replaced so far go back, but etcd's only when etcd itself failed;
// an etcd upgraded before the failing component keeps running the new etcd (seen for real in test/realcp).
const rolledBackText = (f: Facts): string =>
  f.component === 'etcd' || f.component === null
    ? 'kubeadm put the old manifests back (rolled back)'
    : 'kubeadm put the old manifests back (rolled back), except etcd\'s: if etcd was upgraded before it, etcd stays at the new version';

export const KUBEADM = {
  'static-pod-hash-unchanged': {
    severity: 'failure',
    title: 'A control-plane static Pod did not restart with the new manifest',
    cause: (f) =>
      `kubeadm wrote the new ${f.component ?? 'component'} manifest, but the kubelet on ${nodeOr(f)} did not start a Pod from it ` +
      `before the timeout. ` +
      (f.rolledBack ? `${rolledBackText(f)}; the rest of the node runs the previous version.` : 'kubeadm did not say it rolled back.'),
    fix: (f) => ({
      text:
        `See why the new ${f.component ?? 'component'} container does not start (kubelet journal, container logs), fix that, then run the upgrade again. ` +
        'The usual causes: the image cannot be pulled, a flag the new version removed, or a kubelet that does not watch the manifests folder.' +
        (f.component === 'etcd'
          ? ' For etcd on a node set up by kubeadm v1.28.0–v1.28.2, defaulted fields in etcd.yaml keep the hash from changing ' +
            '(kubeadm troubleshooting, kubeadm#2927): remove them from the manifest first, or skip the etcd upgrade with --etcd-upgrade=false.'
          : ''),
      commands: [
        'sudo journalctl -u kubelet --since "15 min ago" --no-pager | tail -n 100',
        f.component ? sh`sudo crictl ps -a --name ${f.component}` : 'sudo crictl ps -a',
        rerunCommand(f),
      ],
    }),
    recovery: (f) => (f.rolledBack ? ['rerun', 'verify-pods'] : ['restore-manifests', 'rerun', 'verify-pods']),
  },
  'control-plane-upgrade-failed': {
    severity: 'failure',
    title: 'kubeadm could not upgrade the control plane',
    cause: (f) =>
      'kubeadm stopped while replacing the control-plane static Pods. ' +
      (f.rolledBack ? `${rolledBackText(f)}.` : 'It did not say it rolled back.'),
    fix: (f) => ({ text: 'Read the error, fix its cause, then run the upgrade again (add --v=5 for details).', commands: [rerunCommand(f)] }),
    recovery: (f) => (f.rolledBack ? ['rerun', 'verify-pods'] : ['restore-manifests', 'rerun', 'verify-pods']),
  },
  'certificate-expired': {
    severity: 'failure',
    title: 'A certificate has expired (x509)',
    cause: () =>
      'A client or server certificate of the cluster is past its end date, so TLS connections fail. kubeadm certificates last one ' +
      'year and are renewed by every kubeadm upgrade, so a cluster not upgraded for a year hits this.',
    fix: () => ({
      text:
        'On each control-plane node: check which certificates expired, renew them, then restart the control-plane static Pods ' +
        '(move their manifests out of /etc/kubernetes/manifests for 20 seconds, then back) and refresh your kubeconfig from admin.conf.',
      commands: [
        'sudo kubeadm certs check-expiration',
        'sudo kubeadm certs renew all',
        'sudo mkdir -p /etc/kubernetes/manifests-restart && sudo mv /etc/kubernetes/manifests/*.yaml /etc/kubernetes/manifests-restart/ && sleep 20 && sudo mv /etc/kubernetes/manifests-restart/*.yaml /etc/kubernetes/manifests/',
        'sudo cp /etc/kubernetes/admin.conf "$HOME/.kube/config"',
      ],
    }),
    recovery: () => ['verify-pods'],
  },
  'config-strict-decoding': {
    severity: 'failure',
    title: 'The kubeadm configuration has fields this kubeadm does not know',
    cause: (f) =>
      `kubeadm reads its configuration strictly and found unknown or duplicate fields${f.items.length ? ` (${f.items.join(', ')})` : ''}: ` +
      'usually an option of a newer kubeadm, a typo, or a field of another API version.',
    fix: () => ({
      text: 'Remove or correct those fields (in --config, or in the kubeadm-config ConfigMap), check the file, and migrate it to the API version of this kubeadm.',
      commands: [
        'sudo kubeadm config validate --config kubeadm.yaml',
        'sudo kubeadm config migrate --old-config kubeadm.yaml --new-config kubeadm-new.yaml',
        'kubectl -n kube-system get cm kubeadm-config -o yaml',
      ],
    }),
    recovery: () => [],
  },
  'config-deprecated-api': {
    severity: 'warning',
    title: 'The --config file uses a deprecated kubeadm API version',
    cause: (f) => `The configuration file is written for ${f.value ?? 'an old kubeadm API version'}, which this kubeadm still reads but will drop.`,
    fix: () => ({
      text: 'Migrate the file to the current API version and use the new file from now on.',
      commands: ['sudo kubeadm config migrate --old-config old.yaml --new-config new.yaml'],
    }),
    recovery: () => [],
  },
  'version-skips-minor': {
    severity: 'failure',
    title: 'The target skips a minor version',
    cause: (f) => `kubeadm upgrades the control plane one minor version at a time; ${f.target ?? 'the target'} is more than one minor above the cluster.`,
    fix: () => ({
      text: 'Upgrade to the latest patch of the next minor first (kubeadm package, kubeadm upgrade apply, then every node), then repeat for the following minor.',
      commands: ['sudo kubeadm upgrade plan'],
    }),
    recovery: () => [],
  },
  'version-above-kubeadm': {
    severity: 'failure',
    title: 'kubeadm is older than the target version',
    cause: (f) => `The installed kubeadm cannot upgrade to ${f.target ?? 'the target'}: a kubeadm upgrades only to its own version or lower.`,
    fix: (f) => ({
      text: `Install kubeadm ${f.target ?? 'of the target version'} first (switch the package repository to ${minorOf(f.target)} if needed), then run the upgrade again.`,
      commands: [
        f.target ? sh`sudo apt-mark unhold kubeadm && sudo apt-get update && sudo apt-get install -y ${'kubeadm=' + f.target.replace(/^v/, '') + '-*'} && sudo apt-mark hold kubeadm` : 'sudo apt-get install -y kubeadm=<version>-*',
        'kubeadm version -o short',
      ],
    }),
    recovery: () => [],
  },
  'version-kubeadm-too-new': {
    severity: 'failure',
    title: 'kubeadm is newer than the target minor',
    cause: (f) => `This kubeadm only upgrades to its own minor version; ${f.target ?? 'the target'} is an older minor.`,
    fix: (f) => ({ text: `Use a kubeadm of the ${minorOf(f.target)} minor for this upgrade (or choose a target of this kubeadm's minor).`, commands: ['kubeadm version -o short'] }),
    recovery: () => [],
  },
  'version-downgrade-too-low': {
    severity: 'failure',
    title: 'The downgrade goes back more than one minor',
    cause: () => 'kubeadm goes back at most one minor version at a time.',
    fix: () => ({ text: 'Choose a version of the previous minor at most.', commands: ['sudo kubeadm upgrade plan'] }),
    recovery: () => [],
  },
  'version-kubelets-too-old': {
    severity: 'failure',
    title: 'Some kubelets are too old for the target',
    cause: () => 'After this upgrade some kubelets would be older than the control plane allows (version skew policy).',
    fix: () => ({
      text: 'Upgrade those nodes to the current control-plane version first (kubeadm upgrade node and the kubelet package), then upgrade the control plane.',
      commands: ['kubectl get nodes -o wide'],
    }),
    recovery: () => [],
  },
  'version-unstable': {
    severity: 'failure',
    title: 'The target is a pre-release',
    cause: () => 'kubeadm refuses alpha, beta and release-candidate versions unless told to allow them.',
    fix: (f) => ({
      text: 'Choose a released version, or allow pre-releases explicitly.',
      commands: [f.target ? sh`sudo kubeadm upgrade apply ${f.target} --allow-release-candidate-upgrades` : 'sudo kubeadm upgrade apply <version> --allow-release-candidate-upgrades'],
    }),
    recovery: () => [],
  },
  'apiserver-versions-differ': {
    severity: 'warning',
    title: 'The control-plane nodes run different kube-apiserver versions',
    cause: (f) =>
      `An upgrade is half done: ${f.items.length ? f.items.join('; ') : 'the kube-apiservers differ'}. kubeadm plans from the newest one.`,
    fix: () => ({
      text: 'Finish the upgrade: run kubeadm upgrade node on each control-plane node still on the old version, one at a time.',
      commands: ['sudo kubeadm upgrade node', 'kubectl -n kube-system get pods -l component=kube-apiserver -o wide'],
    }),
    recovery: () => [],
  },
  'addons-deferred': {
    severity: 'warning',
    title: 'CoreDNS and kube-proxy were not upgraded yet',
    cause: (f) =>
      `kubeadm upgrades the addons only once every control-plane node runs the new version; ${f.items.join(', ') || 'some'} ` +
      'have not been upgraded. This is expected on the first control-plane node.',
    fix: (f) => ({
      text: `Upgrade ${f.items.join(', ') || 'the other control-plane nodes'} with kubeadm upgrade node; the last one upgrades CoreDNS and kube-proxy.`,
      commands: ['sudo kubeadm upgrade node'],
    }),
    recovery: () => [],
  },
  'sandbox-image-mismatch': {
    severity: 'warning',
    title: "The container runtime's pause (sandbox) image differs from kubeadm's",
    cause: (f) => `The container runtime starts Pods with a different pause image than the ${f.value ?? 'one'} kubeadm expects for this version.`,
    fix: (f) => ({
      text:
        `Set the sandbox image to ${f.value ?? 'the recommended one'} in the runtime's configuration (containerd: sandbox_image in /etc/containerd/config.toml; ` +
        'containerd 2: [plugins."io.containerd.cri.v1.images".pinned_images] sandbox) and restart the runtime.',
      commands: [
        'sudo containerd config dump | grep -nE "sandbox(_image)? ="',
        ...(f.value ? [sh`sudo sed -i ${`s|sandbox_image = .*|sandbox_image = "${f.value}"|`} /etc/containerd/config.toml`] : []),
        'sudo systemctl restart containerd',
      ],
    }),
    recovery: () => [],
  },
  'klog-warning': {
    severity: 'warning',
    title: 'A warning kubeadm logged (klog)',
    cause: () => 'kubeadm logged this while it ran; it did not stop the command.',
    fix: () => ({ text: 'Usually informational; read it if the command failed.', commands: [] }),
    recovery: () => [],
  },
  'kubeadm-error': {
    severity: 'failure',
    title: 'kubeadm stopped with an error',
    cause: () => 'kubeadm stopped with an error this tool does not know in detail.',
    fix: (f) => ({ text: 'Read the error, fix its cause, and run the command again with --v=5 for details.', commands: [rerunCommand(f)] }),
    recovery: () => ['rerun'],
  },
} satisfies Record<string, CatalogEntry>;

export { ignore };
