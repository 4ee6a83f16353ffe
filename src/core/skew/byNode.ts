/**
 * Findings grouped by node, built once per findings array: the tree asks for each node's findings, and filtering
 * the whole list for every node made drawing 5,000 nodes an N × findings scan.
 */
import type { Finding } from './finding';

const NONE: readonly Finding[] = Object.freeze([]);
/** Keyed by the findings array itself: a new evaluation is a new array, so the cache never goes stale. */
const cache = new WeakMap<readonly Finding[], Map<string | null, Finding[]>>();

/** node name → its findings, in their original order; `null` holds the cluster-wide ones. */
export function indexFindingsByNode(findings: readonly Finding[]): ReadonlyMap<string | null, readonly Finding[]> {
  let index = cache.get(findings);
  if (!index) {
    index = new Map();
    for (const f of findings) {
      const list = index.get(f.node);
      if (list) list.push(f);
      else index.set(f.node, [f]);
    }
    cache.set(findings, index);
  }
  return index;
}

/** The findings of one node (or the cluster-wide ones with `null`), without scanning the list again. */
export function findingsOf(findings: readonly Finding[], node: string | null): readonly Finding[] {
  return indexFindingsByNode(findings).get(node) ?? NONE;
}
