// Shared bits for the explainer tests (not a test file itself).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { explain, isBadInput, type ExplainResult } from '../../../src/core/explain';
import type { ExplainContext } from '../../../src/core/explain';

// Tests run from the repository root (npm run test:unit).
export const FIXTURES = resolve(process.cwd(), 'test/fixtures/explain');

export function fixture(name: string): string {
  return readFileSync(resolve(FIXTURES, name), 'utf8');
}

/** The explanation of a text, failing the test on bad input. */
export function explained(text: string, context?: ExplainContext): ExplainResult {
  const r = explain(text, context);
  if (isBadInput(r)) throw new Error(`bad input: ${r.bad}`);
  return r;
}
