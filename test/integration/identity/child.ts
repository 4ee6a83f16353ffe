// One cluster command in a process of its own, as a second terminal would run it (the cluster lock's holder is a
// process): `node --import tsx child.ts upgrade-cluster|resume ARGS…`. It answers the sandbox's sudo prompt as the
// in-process tests do (a child has no terminal to ask on), and exits with the command's exit code.
import { resumeCommand } from '../../../src/cli/resumeCommand';
import { upgradeClusterCommand } from '../../../src/cli/upgradeClusterCommand';
import { sandboxPrompts } from '../clusterUpgrade/helpers';

const [command, ...argv] = process.argv.slice(2);
const run = command === 'resume' ? resumeCommand : command === 'upgrade-cluster' ? upgradeClusterCommand : undefined;
if (!run) {
  process.stderr.write(`child.ts: unknown command ${command ?? ''}\n`);
  process.exit(2);
}
run(argv, (s) => process.stdout.write(`${s}\n`), (s) => process.stderr.write(`${s}\n`), { prompts: sandboxPrompts }).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
