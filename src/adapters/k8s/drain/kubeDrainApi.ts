import { AppsV1Api, CoreV1Api, type KubeConfig, PatchStrategy, PolicyV1Api, setHeaderOptions, type V1Pod } from '@kubernetes/client-node';
import type { DaemonSetLookup } from '../../../core/drain/filters';
import { ApiFailure, type DrainApi } from '../../../core/drain';
import type { DrainPdb, DrainPod } from '../../../core/drain/types';
import type { PendingPod } from '../../../core/drain/pinned';
import { validateNodeName } from '../../../core/exec/shell';
import { apiStatus } from '../failure';
import { makeApiClient } from '../apiClient';

/**
 * `DrainApi` over @kubernetes/client-node 1.4: what `kubectl drain` sends, request for request.
 * Every failure becomes an `ApiFailure` carrying the HTTP status and the server's Status message/reason/causes,
 * so the pure drain logic can tell 429 from 404 from 500 exactly as kubectl does.
 */
export class KubeDrainApi implements DrainApi {
  private readonly core: CoreV1Api;
  private readonly apps: AppsV1Api;
  private readonly policy: PolicyV1Api;

  constructor(kc: KubeConfig) {
    this.core = makeApiClient(kc, CoreV1Api);
    this.apps = makeApiClient(kc, AppsV1Api);
    this.policy = makeApiClient(kc, PolicyV1Api);
  }

  async getNodeUnschedulable(node: string): Promise<boolean> {
    const n = await call(() => this.core.readNode({ name: validateNodeName(node) }));
    return n.spec?.unschedulable === true;
  }

  async setUnschedulable(node: string, unschedulable: boolean): Promise<void> {
    // kubectl sends the strategic merge patch CreateTwoWayMergePatch computes: `true`, or `null` to drop the field.
    // client-node picks application/json-patch+json for a body by default; the header middleware overrides it.
    await call(() =>
      this.core.patchNode(
        { name: validateNodeName(node), body: { spec: { unschedulable: unschedulable ? true : null } } },
        setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
      ),
    );
  }

  async listPods(node: string): Promise<DrainPod[]> {
    const pods: V1Pod[] = [];
    let cont: string | undefined;
    do {
      const page = await call(() =>
        this.core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${validateNodeName(node)}`, limit: 500, ...(cont ? { _continue: cont } : {}) }),
      );
      pods.push(...page.items);
      cont = page.metadata?._continue || undefined;
    } while (cont);
    return pods as DrainPod[];
  }

  async listPendingPods(namespace: string): Promise<PendingPod[]> {
    const list = await call(() => this.core.listNamespacedPod({ namespace, fieldSelector: 'status.phase=Pending', limit: 500 }));
    return list.items as PendingPod[];
  }

  async getDaemonSet(namespace: string, name: string): Promise<DaemonSetLookup> {
    try {
      await this.apps.readNamespacedDaemonSet({ name, namespace });
      return { exists: true };
    } catch (e) {
      if (typeof (e as { code?: unknown } | undefined)?.code !== 'number') throw e;
      const f = toFailure(e);
      return { exists: false, notFound: f.status === 404, message: f.status === 404 ? `daemonsets.apps ${JSON.stringify(name)} not found` : f.message };
    }
  }

  async listPdbs(): Promise<DrainPdb[]> {
    const list = await call(() => this.policy.listPodDisruptionBudgetForAllNamespaces());
    return list.items as DrainPdb[];
  }

  async evict(namespace: string, name: string, gracePeriodSeconds: number | undefined): Promise<void> {
    await call(() =>
      this.core.createNamespacedPodEviction({
        name,
        namespace,
        body: {
          apiVersion: 'policy/v1',
          kind: 'Eviction',
          metadata: { name, namespace },
          ...(gracePeriodSeconds !== undefined ? { deleteOptions: { gracePeriodSeconds } } : {}),
        },
      }),
    );
  }

  async deletePod(namespace: string, name: string, gracePeriodSeconds: number | undefined): Promise<void> {
    await call(() => this.core.deleteNamespacedPod({ name, namespace, ...(gracePeriodSeconds !== undefined ? { gracePeriodSeconds } : {}) }));
  }

  async getPod(namespace: string, name: string): Promise<DrainPod | undefined> {
    try {
      return (await this.core.readNamespacedPod({ name, namespace })) as DrainPod;
    } catch (e) {
      if (typeof (e as { code?: unknown } | undefined)?.code !== 'number') throw e;
      const f = toFailure(e);
      if (f.status === 404) return undefined;
      throw f;
    }
  }
}

/** API answers (an HTTP status) become ApiFailure; transport errors (refused, TLS, DNS) are rethrown as they are. */
async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw typeof (e as { code?: unknown } | undefined)?.code === 'number' ? toFailure(e) : e;
  }
}

/** ApiException (numeric `code`, `body` = the Status as text or object) → ApiFailure with the Status's own words. */
export function toFailure(e: unknown): ApiFailure {
  if (e instanceof ApiFailure) return e;
  const { httpStatus: status, message, reason, causes } = apiStatus(e);
  const text = message ?? (status !== undefined ? `the server answered ${status}` : String((e as { message?: unknown } | undefined)?.message ?? e));
  return new ApiFailure(text, status, reason, [...causes]);
}
