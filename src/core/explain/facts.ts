// What a recogniser learned from a line, and how a catalog entry turns it into a Finding.
import type { RecoveryStepId } from './types';

export interface Facts {
  readonly phase: string | null;
  readonly component: string | null;
  readonly node: string | null;
  readonly check: string | null;
  /** `v`-prefixed target version, from the output or the caller's context. */
  readonly target: string | null;
  /** Names the message lists: pods (`ns/name`), packages, nodes, plugins. */
  readonly items: readonly string[];
  /** One more value the fix needs (a sandbox image, a key id, a config group version). */
  readonly value: string | null;
  readonly rolledBack: boolean | null;
}

export const NO_FACTS: Facts = {
  phase: null,
  component: null,
  node: null,
  check: null,
  target: null,
  items: [],
  value: null,
  rolledBack: null,
};

export interface Fix {
  readonly text: string;
  readonly commands: readonly string[];
}

export interface CatalogEntry {
  readonly severity: 'failure' | 'warning';
  /** One line for the README and the UI. */
  readonly title: string;
  cause(f: Facts): string;
  fix(f: Facts): Fix;
  recovery(f: Facts): readonly RecoveryStepId[];
}

/** `<node>` when the output does not name the node: a placeholder the user can see is one. */
export const nodeOr = (f: Facts): string => f.node ?? '<node>';
/** The minor of the target (`v1.33`), or a placeholder. */
export function minorOf(target: string | null): string {
  const m = /^v?(\d+)\.(\d+)/.exec(target ?? '');
  return m ? `v${m[1]}.${m[2]}` : 'v1.<minor>';
}
