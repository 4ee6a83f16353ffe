/**
 * The upgrade's wait for the Node to be Ready at the target kubelet version after the kubelet restart.
 * With a watch on the Node (ClusterOps.watchNodeStatus) each change is judged the moment it arrives; the periodic
 * GET stays only as a slow resync (a watch can break silently). Without one it polls every 2 s, as before.
 */
import { compareVersions, formatVersion, parseVersion, type KubeVersion } from '../version';
import type { ClusterOps, NodeStatus } from './ports';

export interface WaitReadyInput {
  readonly node: string;
  readonly target: KubeVersion;
  readonly timeoutSeconds: number;
  readonly cluster: ClusterOps;
  readonly progress: (text: string) => void;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
  readonly signal?: AbortSignal;
}

/** A GET every 2 s without a watch; with one, only this often, in case the watch silently missed the change. */
export const POLL_MS = 2000;
export const RESYNC_MS = 10_000;

export class ReadyWaitFailed extends Error {}

/** Resolves with `node: Ready, kubelet vX` once the node is there; throws ReadyWaitFailed on timeout or cancel. */
export async function waitNodeReady(input: WaitReadyInput): Promise<string> {
  const { node, target, cluster } = input;
  const sleep = input.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = input.now ?? Date.now;
  const deadline = now() + input.timeoutSeconds * 1000;
  let last = 'no status yet';
  let done: string | undefined;
  let wake: (() => void) | undefined;

  /** Judges one status; true when the node is Ready at the target. */
  const judge = (s: NodeStatus | undefined): boolean => {
    if (!s) return false;
    const v = parseVersion(s.kubeletVersion);
    last = `${s.ready ? 'Ready' : 'NotReady'}, kubelet ${s.kubeletVersion ?? 'unknown'}`;
    if (s.ready && v && compareVersions(v, target) === 0) done = `${node}: ${last}`;
    return done !== undefined;
  };
  const stopWatch = cluster.watchNodeStatus?.(node, (s) => {
    if (judge(s)) wake?.();
  });
  const interval = stopWatch ? RESYNC_MS : POLL_MS;
  const onAbort = () => wake?.();
  input.signal?.addEventListener('abort', onAbort);
  try {
    for (let attempt = 0; ; attempt++) {
      if (input.signal?.aborted) throw new ReadyWaitFailed('cancelled');
      if (done) return done;
      const s = await cluster.nodeStatus(node).catch((e: unknown) => {
        last = `API error: ${(e as Error).message}`;
        return undefined;
      });
      if (judge(s)) return done!;
      // Checked after at least one look, so a zero timeout still reads the status once.
      if (now() >= deadline && attempt > 0) break;
      input.progress(`Waiting for ${node}: ${last}`);
      // Woken early by the watch (or cancel); never sleeps past the deadline by more than one interval.
      await Promise.race([
        sleep(Math.max(0, Math.min(interval, deadline - now()))),
        new Promise<void>((r) => (wake = r)),
      ]);
      wake = undefined;
    }
  } finally {
    input.signal?.removeEventListener('abort', onAbort);
    stopWatch?.();
  }
  throw new ReadyWaitFailed(
    `${node} did not become Ready at kubelet ${formatVersion(target)} within ${input.timeoutSeconds} s (last seen: ${last}). Check \`systemctl status kubelet\` and \`journalctl -xeu kubelet\` on the node.`,
  );
}
