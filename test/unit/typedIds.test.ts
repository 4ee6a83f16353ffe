// Check ids, explain ids and command ids are string-literal unions (#29 item 3): a typo in one is a compile error.
// The `@ts-expect-error` lines below are checked by `npm run typecheck`: if an id type widened back to `string`, the
// line would compile and tsc would fail on the unused directive. The lists themselves are checked here at run time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CATALOG, type FindingId } from '../../src/core/explain';
import { CHECK_IDS, type CheckId } from '../../src/core/readiness/types';
import { COMMAND_IDS, type CommandId } from '../../src/ui/commands/ids';

const REPO = path.join(__dirname, '..', '..');

test('a misspelt id does not compile', () => {
  // @ts-expect-error not a readiness check
  const check: CheckId = 'etcd-healthy-typo';
  // @ts-expect-error not in the explain catalog
  const finding: FindingId = 'klog-warnings';
  // @ts-expect-error not a contributed command
  const command: CommandId = 'kubeadm.upgradeNodes';
  assert.deepEqual([check, finding, command].map((id) => typeof id), ['string', 'string', 'string']);
});

test('the command ids are exactly the commands package.json contributes', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { contributes: { commands: { command: string }[] } };
  const contributed = manifest.contributes.commands.map((c) => c.command);
  assert.ok(contributed.length > 10, `package.json contributes ${contributed.length} commands`);
  assert.equal(new Set(COMMAND_IDS).size, COMMAND_IDS.length, 'no id twice');
  assert.deepEqual([...COMMAND_IDS].sort(), [...contributed].sort());
});

test('every command id is registered somewhere in src/ui (quoted as it is declared)', () => {
  const sources = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
  const text = sources(path.join(REPO, 'src', 'ui'))
    .filter((f) => !f.endsWith(path.join('commands', 'ids.ts')))
    .map((f) => fs.readFileSync(f, 'utf8'))
    .join('\n');
  const unregistered = COMMAND_IDS.filter((id) => !new RegExp(`(?:\\bid: [^,\\n]*|registerCommand\\()'${id.replace('.', '\\.')}'`).test(text));
  assert.deepEqual(unregistered, []);
});

test('the check and explain id lists are not empty and have no repeats', () => {
  assert.ok(CHECK_IDS.length > 10 && new Set(CHECK_IDS).size === CHECK_IDS.length);
  assert.ok(Object.keys(CATALOG).length > 10);
});
