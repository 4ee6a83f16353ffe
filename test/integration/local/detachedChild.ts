// A CLI stand-in for sighup.test.ts: runs one detached step through LocalExecutor, as `upgrade-node --local` does,
// and prints its result as JSON (it never gets there when the test hangs it up first).
import { LocalExecutor } from '../../../src/adapters/local/localExecutor';
import { raw } from '../../../src/core/exec/shell';

const [runId, step, command] = process.argv.slice(2) as [string, string, string];
void new LocalExecutor().run(raw(command), { sudo: true, detached: { runId, step } }).then((r) => process.stdout.write(JSON.stringify(r)));
