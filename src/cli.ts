// kubeadm-upgrade: the extension's core, headless, for CI jobs and for analysing cluster dumps offline.
import { version } from '../package.json';
import { UsageError } from './cli/args';
import { COMMANDS } from './cli/usage';

const USAGE = `usage:
${COMMANDS.map((c) => `  ${c.usage}`).join('\n')}
  kubeadm-upgrade --version

exit codes: 0 ok; 1 findings, a failed or cancelled run, a refusal; 2 bad input, or the API cannot be reached or used
--json: stdout carries one JSON object (NDJSON for upgrade-cluster and resume), {"kind":"Error",…} on a failure`;

export async function main(
  argv: string[],
  out: (s: string) => void = (s) => process.stdout.write(s + "\n"),
  err: (s: string) => void = (s) => process.stderr.write(s + "\n"),
): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === 'version') {
    out(`kubeadm-upgrade ${version}`);
    return 0;
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    out(USAGE);
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === name)?.run;
  if (!command) {
    err(`kubeadm-upgrade: unknown command "${name}"\n${USAGE}`);
    return 2;
  }
  // --json: a command that fails without printing its own JSON (a refusal, "nothing to resume") still leaves one
  // JSON object on stdout: {"kind":"Error"} with what it said on stderr.
  const json = rest.includes('--json');
  let printed = false;
  let said = '';
  const outTracked = (s: string) => {
    printed = true;
    out(s);
  };
  const errTracked = (s: string) => {
    said = s;
    err(s);
  };
  try {
    const code = await command(rest, outTracked, errTracked);
    if (json && code !== 0 && !printed) {
      const { cliFailureJson } = await import('./cli/failure');
      out(cliFailureJson({ exitCode: code, reason: code === 2 ? 'usage' : 'failed', message: said.replace(/^kubeadm-upgrade [a-z-]+: /, '') || `exit code ${code}` }));
    }
    return code;
  } catch (e) {
    // One cause, one exit code, in every command (src/cli/failure.ts); loaded only on a failure.
    const { classifyFailure, cliFailureJson } = await import('./cli/failure');
    const f = classifyFailure(e);
    // A clear one-line reason; the stack only when asked for (KUBEADM_UPGRADE_DEBUG=1).
    const debug = process.env['KUBEADM_UPGRADE_DEBUG'] && !(e instanceof UsageError) ? `\n${(e as Error).stack ?? String(e)}` : '';
    err(`kubeadm-upgrade ${name}: ${f.message}${debug}`);
    // --json: the failure is a JSON object on stdout too, so a script reading stdout always gets one.
    if (json) out(cliFailureJson(f));
    return f.exitCode;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      // main reports its own failures; this is only a bug in the reporting itself.
      console.error(e);
      process.exit(1);
    },
  );
}
