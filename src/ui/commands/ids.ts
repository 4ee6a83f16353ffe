// Every command the extension contributes (package.json `contributes.commands`; test/unit/commands/ids.test.ts keeps
// the two lists equal). Registering or running one of ours by an id that is not listed here fails to compile.
export const COMMAND_IDS = [
  'kubeadm.refresh',
  'kubeadm.openKubeconfig',
  'kubeadm.chooseKubeconfig',
  'kubeadm.setTargetVersion',
  'kubeadm.copyFindings',
  'kubeadm.upgradeNode',
  'kubeadm.upgradeCluster',
  'kubeadm.resumeClusterUpgrade',
  'kubeadm.previewUpgrade',
  'kubeadm.resumeUpgrade',
  'kubeadm.showRecoverySteps',
  'kubeadm.showWhatHappened',
  'kubeadm.showAuditLog',
  'kubeadm.drainNode',
  'kubeadm.cordonNode',
  'kubeadm.uncordonNode',
  'kubeadm.planUpgrade',
  'kubeadm.openPlanOutput',
  'kubeadm.showBackups',
  'kubeadm.chooseExecution',
  'kubeadm.checkReadiness',
  'kubeadm.snapshotEtcd',
  'kubeadm.hideFirstSteps',
  'kubeadm.showFirstSteps',
] as const;

export type CommandId = (typeof COMMAND_IDS)[number];
