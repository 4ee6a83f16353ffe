import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { drainNode, setCordon, type DrainApi } from '../../core/drain';
import { drainOptionsFrom, type DrainSettings } from '../../core/upgrade/phases';
import type { ClusterOps } from '../../core/upgrade/ports';
import { failureFacts } from './failure';

/** The upgrade's view of the API: the kubectl-compatible drain, uncordon, and the node's Ready state and version. */
export class ApiClusterOps implements ClusterOps {
  private readonly core: CoreV1Api;

  constructor(kc: KubeConfig, private readonly api: DrainApi) {
    this.core = kc.makeApiClient(CoreV1Api);
  }

  async drain(node: string, s: DrainSettings, onProgress: (message: string) => void, signal?: AbortSignal): Promise<void> {
    const result = await drainNode(this.api, node, drainOptionsFrom(s), { onEvent: (e) => onProgress(e.message), ...(signal ? { signal } : {}) });
    if (!result.ok) {
      const blocked = result.blockedBy.map((b) => b.reason).join('; ');
      throw new Error([result.errors.join('; ') || result.message, blocked].filter(Boolean).join(' — '));
    }
  }

  async uncordon(node: string): Promise<void> {
    await setCordon(this.api, node, false);
  }

  async nodeStatus(node: string) {
    try {
      const n = await this.core.readNode({ name: node });
      return {
        ready: n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true,
        kubeletVersion: n.status?.nodeInfo?.kubeletVersion,
        unschedulable: n.spec?.unschedulable === true,
      };
    } catch (e) {
      if (failureFacts(e).httpStatus === 404) return undefined;
      throw e;
    }
  }
}
