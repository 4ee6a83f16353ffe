import { CoreV1Api, Watch, type KubeConfig, type V1Node } from '@kubernetes/client-node';
import { drainNode, previewDrain, setCordon, type DrainApi, type DrainPreview } from '../../core/drain';
import { drainOptionsFrom, type DrainSettings } from '../../core/drain/settings';
import type { ClusterOps, NodeStatus } from '../../core/upgrade/ports';
import type { NodeHostFacts } from '../../core/upgrade/nodeHost';
import { auditedDrainApi, type AuditSink } from '../storage/audited';
import { failureFacts } from './failure';
import { retryUnanswered } from './unanswered';
import { makeApiClient } from './apiClient';

/** The upgrade's view of the API: the kubectl-compatible drain, uncordon, and the node's Ready state and version. */
export class ApiClusterOps implements ClusterOps {
  private readonly core: CoreV1Api;

  constructor(
    private readonly kc: KubeConfig,
    private readonly api: DrainApi,
    /** Where cordon, uncordon and each eviction/deletion are recorded, and under which cluster name. */
    private readonly audit?: { readonly sink: AuditSink; readonly cluster: string; readonly run?: string },
  ) {
    this.core = makeApiClient(kc, CoreV1Api);
  }

  /** The drain API for one node, audited when an audit sink was given. */
  private apiFor(node: string): DrainApi {
    if (!this.audit) return this.api;
    return auditedDrainApi(this.api, this.audit.sink, { cluster: this.audit.cluster, node, ...(this.audit.run ? { run: this.audit.run } : {}), where: `API ${this.kc.getCurrentCluster()?.server ?? ''}` });
  }

  async drain(node: string, s: DrainSettings, onProgress: (message: string) => void, signal?: AbortSignal): Promise<void> {
    const result = await drainNode(this.apiFor(node), node, drainOptionsFrom(s), { onEvent: (e) => onProgress(e.message), ...(signal ? { signal } : {}) });
    if (!result.ok) {
      const blocked = result.blockedBy.map((b) => b.reason).join('; ');
      throw new Error([result.errors.join('; ') || result.message, blocked].filter(Boolean).join(' — '));
    }
  }

  /** The drain's decisions (filters, blocking PDBs) without changing anything: shown before the upgrade cordons. */
  previewDrain(node: string, s: DrainSettings): Promise<DrainPreview> {
    return previewDrain(this.api, node, drainOptionsFrom(s));
  }

  async uncordon(node: string): Promise<void> {
    await retryUnanswered(() => setCordon(this.apiFor(node), node, false));
  }

  async nodeStatus(node: string) {
    try {
      return statusOf(await this.core.readNode({ name: node }));
    } catch (e) {
      if (failureFacts(e).httpStatus === 404) return undefined;
      throw e;
    }
  }

  /** The Node's host as its kubelet reports it: the host check before a run's first step. */
  async nodeHostFacts(node: string): Promise<NodeHostFacts | undefined> {
    try {
      const n = await this.core.readNode({ name: node });
      return { machineID: n.status?.nodeInfo?.machineID ?? '', hostname: n.status?.addresses?.find((a) => a.type === 'Hostname')?.address ?? '' };
    } catch (e) {
      if (failureFacts(e).httpStatus === 404) return undefined;
      throw e;
    }
  }

  /** A watch on this one Node (fieldSelector metadata.name), restarted when the server ends it; the Ready wait's trigger. */
  watchNodeStatus(node: string, onStatus: (s: NodeStatus | undefined) => void): () => void {
    const watch = new Watch(this.kc);
    let stopped = false;
    let controller: AbortController | undefined;
    const start = () => {
      if (stopped) return;
      const restart = () => {
        if (!stopped) setTimeout(start, 1000);
      };
      watch
        .watch(`/api/v1/nodes`, { fieldSelector: `metadata.name=${node}`, allowWatchBookmarks: true }, (phase, obj: V1Node) => {
          if (phase === 'BOOKMARK') return;
          onStatus(phase === 'DELETED' ? undefined : statusOf(obj));
        }, restart)
        .then((c) => (stopped ? c.abort() : (controller = c)))
        .catch(restart);
    };
    start();
    return () => {
      stopped = true;
      controller?.abort();
    };
  }
}

function statusOf(n: V1Node): NodeStatus {
  return {
    ready: n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true,
    ...(n.status?.nodeInfo?.kubeletVersion !== undefined ? { kubeletVersion: n.status.nodeInfo.kubeletVersion } : {}),
    unschedulable: n.spec?.unschedulable === true,
  };
}
