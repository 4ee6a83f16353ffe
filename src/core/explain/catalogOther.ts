// apt / yum and kubectl drain refusals: cause and fix, with the package versions, repositories and pods filled in.
import { sh } from '../exec/shell';
import { minorOf, nodeOr, type CatalogEntry, type Facts } from './facts';

const pkgVersion = (f: Facts): string => (f.target ? `${f.target.replace(/^v/, '')}-*` : '<version>-*');
const yum = (f: Facts): boolean => f.phase === 'yum';

export const PACKAGES = {
  'package-held': {
    severity: 'failure',
    title: 'apt refused to change held packages',
    cause: () => 'The Kubernetes packages are on hold (apt-mark hold, as the install docs say) so apt will not change them by itself.',
    fix: (f) => {
      const pkgs = f.items.length ? f.items : ['kubeadm'];
      return {
        text: 'Unhold the packages, install the exact version, hold them again (the docs\' sequence).',
        commands: [sh`sudo apt-mark unhold ${pkgs} && sudo apt-get install -y ${pkgs.map((p) => `${p}=${pkgVersion(f)}`)} && sudo apt-mark hold ${pkgs}`],
      };
    },
    recovery: () => [],
  },
  'package-version-missing': {
    severity: 'failure',
    title: 'The package repository does not have that version',
    cause: (f) =>
      `The configured repository has no ${f.items.join(', ') || 'package'} ${f.value ?? ''}`.trimEnd() +
      '. pkgs.k8s.io has one repository per minor version, so the repository file usually still points at the previous minor.',
    fix: (f) => {
      const minor = minorOf(f.target ?? f.value);
      return yum(f)
        ? {
            text: `Point /etc/yum.repos.d/kubernetes.repo at ${minor}, then list what it offers.`,
            commands: [
              sh`sudo sed -i ${`s|/v1\\.[0-9]*/rpm/|/${minor}/rpm/|g`} /etc/yum.repos.d/kubernetes.repo`,
              'sudo yum list --showduplicates kubeadm --disableexcludes=kubernetes',
            ],
          }
        : {
            text: `Point /etc/apt/sources.list.d/kubernetes.list at ${minor}, refresh the index, then list what it offers.`,
            commands: [
              sh`sudo sed -i ${`s|/v1\\.[0-9]*/deb/|/${minor}/deb/|`} /etc/apt/sources.list.d/kubernetes.list`,
              'sudo apt-get update',
              'apt-cache madison kubeadm',
            ],
          };
    },
    recovery: () => [],
  },
  'package-repo-404': {
    severity: 'failure',
    title: 'The package repository is gone (404)',
    cause: () =>
      'The repository answers 404: the legacy apt.kubernetes.io / yum.kubernetes.io repositories were frozen and removed in 2024; packages are on pkgs.k8s.io.',
    fix: (f) => {
      const minor = minorOf(f.target);
      return yum(f)
        ? { text: `Replace the repository with pkgs.k8s.io ${minor} (baseurl https://pkgs.k8s.io/core:/stable:/${minor}/rpm/).`, commands: ['sudo yum clean all', 'sudo yum makecache'] }
        : {
            text: `Replace the repository with pkgs.k8s.io ${minor}: new key, new sources line, refresh.`,
            commands: [
              sh`curl -fsSL ${`https://pkgs.k8s.io/core:/stable:/${minor}/deb/Release.key`} | sudo gpg --dearmor --yes -o /etc/apt/keyrings/kubernetes-apt-keyring.gpg`,
              sh`echo ${`deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/${minor}/deb/ /`} | sudo tee /etc/apt/sources.list.d/kubernetes.list`,
              'sudo apt-get update',
            ],
          };
    },
    recovery: () => [],
  },
  'package-repo-retired': {
    severity: 'failure',
    title: 'The legacy Kubernetes package repository is retired',
    cause: () =>
      'The node still uses packages.cloud.google.com (apt.kubernetes.io / yum.kubernetes.io), the Kubernetes package repositories ' +
      'frozen in 2023 and shut down in 2024: requests time out or fail, and yum "tries other mirrors" in vain. ' +
      'Packages now come from pkgs.k8s.io, one repository per minor version.',
    fix: (f) => {
      const minor = minorOf(f.target);
      return yum(f)
        ? {
            text: `Replace /etc/yum.repos.d/kubernetes.repo with the pkgs.k8s.io repository for ${minor} (one repository per minor: change it again for the next minor), then rebuild the cache.`,
            commands: [
              sh`printf '%s\n' '[kubernetes]' 'name=Kubernetes' ${`baseurl=https://pkgs.k8s.io/core:/stable:/${minor}/rpm/`} 'enabled=1' 'gpgcheck=1' ${`gpgkey=https://pkgs.k8s.io/core:/stable:/${minor}/rpm/repodata/repomd.xml.key`} 'exclude=kubelet kubeadm kubectl cri-tools kubernetes-cni' | sudo tee /etc/yum.repos.d/kubernetes.repo`,
              'sudo yum clean all',
              'sudo yum makecache',
            ],
          }
        : {
            text: `Replace the repository with pkgs.k8s.io ${minor} (one repository per minor: change it again for the next minor): new key, new sources line, refresh.`,
            commands: [
              sh`curl -fsSL ${`https://pkgs.k8s.io/core:/stable:/${minor}/deb/Release.key`} | sudo gpg --dearmor --yes -o /etc/apt/keyrings/kubernetes-apt-keyring.gpg`,
              sh`echo ${`deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/${minor}/deb/ /`} | sudo tee /etc/apt/sources.list.d/kubernetes.list`,
              'sudo apt-get update',
            ],
          };
    },
    recovery: () => [],
  },
  'package-excluded': {
    severity: 'failure',
    title: 'dnf/yum filtered the packages out (exclude=)',
    cause: (f) =>
      `The repository file excludes ${f.items.join(', ') || 'the packages'} (\`exclude=kubelet kubeadm kubectl …\`, as the install docs write it, so a ` +
      'general update never upgrades them), and the command did not lift the exclusion.',
    fix: (f) => ({
      text: 'Install with the exclusion lifted for the kubernetes repository, as the upgrade docs do.',
      commands: [sh`sudo yum install -y ${f.items.length ? f.items.map((p) => (f.target ? `${p}-${f.target.replace(/^v/, '')}-*` : p)) : ['kubeadm']} --disableexcludes=kubernetes`],
    }),
    recovery: () => [],
  },
  'package-key-expired': {
    severity: 'failure',
    title: "The repository's signing key has expired",
    cause: (f) =>
      `The repository is signed with key ${f.value ?? ''} which has expired (EXPKEYSIG), so apt ignores it. pkgs.k8s.io renews its key; the local copy is old.`,
    fix: (f) => {
      const minor = minorOf(f.target);
      return {
        text: `Download the current key for ${minor} again, then refresh the index.`,
        commands: [
          sh`curl -fsSL ${`https://pkgs.k8s.io/core:/stable:/${minor}/deb/Release.key`} | sudo gpg --dearmor --yes -o /etc/apt/keyrings/kubernetes-apt-keyring.gpg`,
          'sudo apt-get update',
        ],
      };
    },
    recovery: () => [],
  },
} satisfies Record<string, CatalogEntry>;

export const DRAIN = {
  'drain-timeout': {
    severity: 'failure',
    title: 'The drain reached its global timeout with pods still on the node',
    cause: (f) =>
      `kubectl drain gave up after ${f.value ?? 'its --timeout'}: ${f.items.join(', ') || 'some pods'} were still on ${nodeOr(f)} ` +
      '(an eviction a PodDisruptionBudget kept refusing, or a Pod that never finished terminating: a finalizer, a long preStop hook, a kubelet that does not report the deletion). ' +
      'The node stays cordoned.',
    fix: (f) => ({
      text:
        'See why those pods do not leave (a PodDisruptionBudget at its limit, a Pod stuck Terminating), fix that, then drain again. ' +
        'A longer --timeout only helps pods that are merely slow.',
      commands: [
        sh`kubectl get pods -A -o wide --field-selector ${`spec.nodeName=${nodeOr(f)}`}`,
        'kubectl get pdb -A',
        sh`kubectl drain ${nodeOr(f)} --ignore-daemonsets --timeout=10m`,
      ],
    }),
    recovery: () => [],
  },
  'drain-pdb-blocked': {
    severity: 'failure',
    title: 'A PodDisruptionBudget blocks the eviction',
    cause: (f) =>
      `Evicting ${f.items.join(', ') || 'a pod'} would take its application below its PodDisruptionBudget, so the API refuses (429) and drain retries until its timeout.`,
    fix: (f) => {
      const ns = f.items[0]?.split('/')[0];
      return {
        text:
          'Find the PDB that covers the pod and read its budget. With maxUnavailable: 0 no eviction is ever allowed, whatever the replica count: scaling up cannot help; ' +
          'allow one disruption for the upgrade (`kubectl -n <namespace> patch pdb <name> --type=merge -p \'{"spec":{"maxUnavailable":1}}\'`) and set it back afterwards. ' +
          'With minAvailable equal to the replicas: give the workload one more replica than the minimum, or lower minAvailable (`kubectl -n <namespace> edit pdb <name>`). Then drain again. ' +
          '(--disable-eviction bypasses PDBs: only if you accept the outage.)',
        commands: [ns ? sh`kubectl -n ${ns} get pdb` : 'kubectl get pdb -A', sh`kubectl drain ${nodeOr(f)} --ignore-daemonsets`],
      };
    },
    recovery: () => [],
  },
  'drain-unmanaged-pods': {
    severity: 'failure',
    title: 'Pods without a controller block the drain',
    cause: (f) => `${f.items.join(', ') || 'Some pods'} belong to no ReplicaSet, Job, StatefulSet or DaemonSet: deleted, they are gone for good.`,
    fix: (f) => ({ text: 'Recreate them elsewhere yourself if needed, then drain with --force (which deletes them).', commands: [sh`kubectl drain ${nodeOr(f)} --ignore-daemonsets --force`] }),
    recovery: () => [],
  },
  'drain-local-storage': {
    severity: 'failure',
    title: 'Pods with emptyDir volumes block the drain',
    cause: (f) => `${f.items.join(', ') || 'Some pods'} use emptyDir volumes, whose data is deleted with the pod.`,
    fix: (f) => ({ text: 'If that data can go, drain with --delete-emptydir-data.', commands: [sh`kubectl drain ${nodeOr(f)} --ignore-daemonsets --delete-emptydir-data`] }),
    recovery: () => [],
  },
  'drain-daemonset-pods': {
    severity: 'failure',
    title: 'DaemonSet pods block the drain',
    cause: (f) => `${f.items.join(', ') || 'Some pods'} belong to DaemonSets, which would recreate them on the node at once.`,
    fix: (f) => ({ text: 'Drain with --ignore-daemonsets (they stay; that is expected).', commands: [sh`kubectl drain ${nodeOr(f)} --ignore-daemonsets`] }),
    recovery: () => [],
  },
} satisfies Record<string, CatalogEntry>;
