import * as fs from 'node:fs';
import * as path from 'node:path';
import { collectDump } from '../../../src/core/snapshot/dump';
import type { RawClusterObjects } from '../../../src/core/snapshot/raw';

const DUMPS = path.join(__dirname, '..', '..', 'fixtures', 'dumps');

/** The raw objects of one hand-written kubectl dump in test/fixtures/dumps/NAME/. */
export function rawDump(name: string): RawClusterObjects {
  const dir = path.join(DUMPS, name);
  return collectDump(fs.readdirSync(dir).map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as unknown)).objects;
}
