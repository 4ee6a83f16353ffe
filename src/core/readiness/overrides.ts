import { validateNodeName } from '../exec/shell';
import { CHECK_IDS, isCheckId, type CheckId } from './types';

/**
 * A readiness blocker the user chose to go past (`--override ID`, or `--override ID:NODE` for that node only), as
 * the run records it and the audit log shows it.
 */
export interface Override {
  readonly id: CheckId;
  /** Only the blocker about this node; absent: every blocker of the check. */
  readonly node?: string;
}

export class OverrideError extends Error {}

/** `pdb-blocks-drain` or `pdb-blocks-drain:worker-2`; an unknown check id or a bad node name is refused, naming the known ids. */
export function parseOverride(text: string): Override {
  const t = text.trim();
  const at = t.indexOf(':');
  const id = at < 0 ? t : t.slice(0, at);
  const node = at < 0 ? undefined : t.slice(at + 1);
  if (!isCheckId(id)) throw new OverrideError(`--override ${t}: unknown readiness check id ${JSON.stringify(id)}; the check ids are: ${CHECK_IDS.join(', ')} (optionally :NODE, e.g. pdb-blocks-drain:worker-2)`);
  if (node !== undefined) {
    try {
      validateNodeName(node);
    } catch (e) {
      throw new OverrideError(`--override ${t}: ${(e as Error).message}`);
    }
  }
  return node === undefined ? { id } : { id, node };
}

export function formatOverride(o: Override): string {
  return o.node ? `${o.id}:${o.node}` : o.id;
}

/**
 * Whether the recorded overrides (`ID` or `ID:NODE`) cover a blocker: the same check, and either no node or the
 * blocker's own node. A blocker about several nodes or the whole cluster (no node) needs the unscoped override.
 * (The ids were validated where they were given: parseOverride.)
 */
export function isOverridden(blocker: { readonly id: string; readonly node?: string | null }, overrides: readonly string[]): boolean {
  return overrides.some((text) => text === blocker.id || (!!blocker.node && text === `${blocker.id}:${blocker.node}`));
}

/** A blocker as the refusal says it, with the override that would go past it (`--override ID`, `--override ID:NODE`). */
export function blockerLine(b: { readonly id: string; readonly node?: string | null; readonly message: string }): string {
  return `blocked by readiness check ${b.id} (override with --override ${b.id}${b.node ? `, or for ${b.node} only --override ${b.id}:${b.node}` : ''}): ${b.message}`;
}
