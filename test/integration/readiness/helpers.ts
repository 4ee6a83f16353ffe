// Readiness access to a sandbox the way the CLI has it (real apiserver, one real SSH connection per node), with
// prompts that answer the password node's sudo like a user would.
import { cliClusterAccess, type CliClusterAccess } from '../../../src/cli/preflightCommand';
import { main } from '../../../src/cli';
import type { Sandbox } from '../sandbox';

export function sandboxAccess(sb: Sandbox, kubeconfig = sb.kubeconfig): CliClusterAccess {
  return cliClusterAccess({
    kubeconfig,
    sshConfig: sb.sshConfig!,
    acceptNewHostKeys: false,
    err: () => {},
    prompts: { confirmUnknownHost: async () => false, askPassphrase: async () => undefined, askSudoPassword: async () => 'sandbox' },
  });
}

export async function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, (s) => out.push(s), (s) => err.push(s));
  return { code, out: out.join('\n'), err: err.join('\n') };
}
