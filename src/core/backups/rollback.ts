// What `kubeadm upgrade apply` undoes by itself when a step fails, and what it leaves as it is (from the docs'
// "How it works" section and the order in which kubeadm applies its changes).

export interface RollbackFact {
  readonly what: string;
  readonly detail: string;
}

export const ROLLED_BACK: readonly RollbackFact[] = [
  {
    what: 'Control-plane static Pod manifests',
    detail:
      'kubeadm "upgrades the control plane components or rolls back if any of them fails to come up": when a new kube-apiserver, ' +
      'kube-controller-manager, kube-scheduler or etcd Pod is not healthy in time, the backed-up manifest goes back into /etc/kubernetes/manifests.',
  },
  {
    what: 'Local etcd data',
    detail: 'When the etcd upgrade fails, kubeadm copies the member data back from kubeadm-backup-etcd-<date>-<time> before restoring the old etcd manifest.',
  },
];

export const NOT_ROLLED_BACK: readonly RollbackFact[] = [
  {
    what: 'Certificates',
    detail: 'Certificates renewed during the upgrade (the default) stay renewed; the old API server certificate files are only backed up when they were about to expire.',
  },
  {
    what: 'ConfigMaps',
    detail: 'kubeadm-config and kubelet-config in kube-system are rewritten once the control plane is up, and stay rewritten.',
  },
  {
    what: 'kubelet configuration',
    detail: '/var/lib/kubelet/config.yaml is rewritten; the previous file is only copied to /etc/kubernetes/tmp/kubeadm-kubelet-config*/config.yaml.',
  },
  {
    what: 'Addons',
    detail: 'The new CoreDNS and kube-proxy manifests and the RBAC rules are applied at the end and are not undone.',
  },
  {
    what: 'Packages',
    detail: 'The kubeadm, kubelet and kubectl packages you installed stay installed; downgrade them with your package manager if needed.',
  },
];
