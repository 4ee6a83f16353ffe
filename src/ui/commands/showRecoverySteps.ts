import type { UpgradeRunState } from '../../core/upgrade/state';
import { showRecoveryDoc, showWhatHappened } from '../failureDocs';
import type { Services } from '../services';
import type { CommandSpec } from './command';
import { pickRun } from './resumeUpgrade';

/**
 * Kubeadm: Show Recovery Steps — the way back for a failed run, for the step it stopped at and its cause, filled in
 * for its node: a read-only page "Recovery Steps — <node>", in the Markdown preview.
 */
export function showRecoverySteps(services: Services): CommandSpec<UpgradeRunState> {
  return {
    id: 'kubeadm.showRecoverySteps',
    resolve: (c) => pickRun(services, c),
    run: (run) => showRecoveryDoc(services, run),
  };
}

/** Kubeadm: What Happened — the failed step's output, explained ("What Happened — <node>"), from the node item too. */
export function showWhatHappenedCommand(services: Services): CommandSpec<UpgradeRunState> {
  return {
    id: 'kubeadm.showWhatHappened',
    resolve: (c) => pickRun(services, c),
    run: (run) => showWhatHappened(services, run),
  };
}
