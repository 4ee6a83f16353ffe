// Shared bits for the plan parser tests (not a test file itself).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import type { AvailableUpgrade, ParsedPlan } from '../../../src/core/plan';

// Tests run from the repository root (npm run test:unit).
export const FIXTURES = resolve(process.cwd(), 'test/fixtures/kubeadm');

export function fixture(name: string): string {
  return readFileSync(resolve(FIXTURES, name), 'utf8');
}

/** Component rows as [name, node, count, current, target] tuples: compact to assert on. */
export type Row = [string, string | null, number | null, string | null, string | null];

export function rows(upgrade: AvailableUpgrade): Row[] {
  return upgrade.components.map((c) => [c.name, c.node, c.count, c.current, c.target]);
}

/** The plan without the per-format field, to compare the same plan read from different formats. */
export function withoutFormat(plan: ParsedPlan): Omit<ParsedPlan, 'format'> {
  const rest: Partial<ParsedPlan> = { ...plan };
  delete rest.format;
  return rest as Omit<ParsedPlan, 'format'>;
}
