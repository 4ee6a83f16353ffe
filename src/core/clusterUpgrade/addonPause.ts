import type { ClusterPorts } from './ports';
import type { ClusterRunState } from './state';

/**
 * The kubeadm docs upgrade the CNI after the first control plane and before the other nodes ("Upgrade your CNI
 * provider plugin"): when readiness found a network add-on the compatibility table does not document for the target,
 * the run pauses there, with nothing running, once. The extension asks (Continue once it is upgraded); the CLI stops
 * the run as paused and `resume` goes on. Returns the stopped state, or undefined to go on.
 */
export async function pauseForAddons(
  state: ClusterRunState,
  ports: Pick<ClusterPorts, 'continueAfterAddons' | 'event' | 'saveCluster'>,
  audit: (action: string, detail: string) => void,
  stop: (status: 'paused', error: string, recovery: string[]) => Promise<ClusterRunState>,
): Promise<ClusterRunState | undefined> {
  const pause = state.addonPause;
  if (!pause || pause.passed) return undefined;
  const text = `Paused after the first control plane, where the kubeadm docs upgrade the CNI (kubeadm does not): ${pause.reason}`;
  ports.event({ event: 'message', text });
  if (ports.continueAfterAddons) {
    state.status = 'paused';
    await ports.saveCluster(state);
    const goOn = await ports.continueAfterAddons(text);
    pause.passed = goOn;
    audit('addon-pause', goOn ? 'continued: the admin says the CNI is upgraded' : 'stopped here for the CNI upgrade');
    if (goOn) {
      state.status = 'running';
      await ports.saveCluster(state);
      return undefined;
    }
  } else {
    audit('addon-pause', 'stopped here for the CNI upgrade');
  }
  // Resuming means "it is done": the pause is not asked again.
  pause.passed = true;
  return stop('paused', text, [
    'Upgrade the CNI as its own docs say (kubeadm does not), and wait until its pods are Ready on every node.',
    'Then resume (`kubeadm-upgrade resume`, or Resume in the extension): the run goes on with the other control planes and the workers.',
  ]);
}
