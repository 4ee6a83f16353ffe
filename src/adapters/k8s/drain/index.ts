import type { KubeConfig } from '@kubernetes/client-node';
import { drainNode, previewDrain, setCordon, type CordonResult, type DrainPreview, type DrainResult, type DrainControl } from '../../../core/drain';
import type { DrainOptions } from '../../../core/drain/types';
import { KubeDrainApi } from './kubeDrainApi';

export { KubeDrainApi, toFailure } from './kubeDrainApi';

/** Drain Node over the API of `kc`'s current context. Progress arrives through `run.onEvent`; cancel with `run.signal`. */
export function drain(kc: KubeConfig, node: string, options: Partial<DrainOptions> = {}, run: DrainControl = {}): Promise<DrainResult> {
  return drainNode(new KubeDrainApi(kc), node, options, run);
}

/** What a drain would do (filters' verdicts, blocking PodDisruptionBudgets) without changing anything. */
export function preview(kc: KubeConfig, node: string, options: Partial<DrainOptions> = {}): Promise<DrainPreview> {
  return previewDrain(new KubeDrainApi(kc), node, options);
}

export function cordon(kc: KubeConfig, node: string): Promise<CordonResult> {
  return setCordon(new KubeDrainApi(kc), node, true);
}

export function uncordon(kc: KubeConfig, node: string): Promise<CordonResult> {
  return setCordon(new KubeDrainApi(kc), node, false);
}
