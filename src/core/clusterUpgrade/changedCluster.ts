import { formatVersion } from '../version';
import type { ClusterSnapshot } from '../snapshot/model';

/**
 * What a stopped run remembers of the cluster (one line per node: role, kubelet, Ready, cordon, control-plane
 * versions), so a resume can tell whether someone else changed the cluster meanwhile: then readiness runs again before
 * anything continues. The run's own changes happened before it stopped, so they are in the remembered shape too.
 */
export function clusterShape(s: ClusterSnapshot): string[] {
  return s.nodes
    .map((n) => {
      const cp = Object.entries(n.controlPlaneComponents)
        .map(([c, i]) => `${c}=${i?.version ? formatVersion(i.version) : '?'}`)
        .sort()
        .join(',');
      return `${n.name}: ${n.controlPlane ? 'control-plane' : 'worker'}, kubelet ${n.kubelet?.version ? formatVersion(n.kubelet.version) : '?'}, ${n.readiness}, ${n.unschedulable ? 'cordoned' : 'schedulable'}${cp ? `, ${cp}` : ''}`;
    })
    .sort();
}

/** "worker-3: added", "worker-2: gone", "worker-1: … → …": what differs between the remembered shape and now. */
export function shapeChanges(before: readonly string[], after: readonly string[]): string[] {
  const key = (l: string) => l.slice(0, l.indexOf(':'));
  const was = new Map(before.map((l) => [key(l), l]));
  const now = new Map(after.map((l) => [key(l), l]));
  const out: string[] = [];
  for (const [k, l] of was) {
    const n = now.get(k);
    if (!n) out.push(`${k}: gone`);
    else if (n !== l) out.push(`${l} → ${n.slice(k.length + 2)}`);
  }
  for (const k of now.keys()) if (!was.has(k)) out.push(`${k}: added`);
  return out;
}
