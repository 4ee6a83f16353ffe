import * as readline from 'node:readline';
import type { SshPrompts } from '../core/ssh/prompts';

/**
 * The CLI's answers to SSH questions. Unknown host keys are refused unless --accept-new-host-keys was given (like
 * OpenSSH's StrictHostKeyChecking=accept-new); secrets are read from the terminal with echo off, never from
 * arguments or the environment, and there is no terminal in CI: then they are not asked at all.
 */
export function cliPrompts(acceptNewHostKeys: boolean, err: (s: string) => void): SshPrompts {
  return {
    async confirmUnknownHost(host, port, keyType, fingerprint, details) {
      err(`${acceptNewHostKeys ? 'Adding' : 'Refusing'} unknown host key for ${host}:${port}: ${keyType} ${fingerprint}${acceptNewHostKeys ? ` (to ${details.knownHostsFile})` : ' (pass --accept-new-host-keys, or add it with ssh-keyscan)'}`);
      return acceptNewHostKeys;
    },
    askPassphrase: (keyPath) => askHidden(`Passphrase for ${keyPath}: `),
    askSudoPassword: (host, user) => askHidden(`[sudo] password for ${user}@${host}: `),
  };
}

function askHidden(prompt: string): Promise<string | undefined> {
  if (!process.stdin.isTTY) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    // Echo off: write the prompt once, swallow what readline would echo.
    const out = rl as unknown as { _writeToOutput: (s: string) => void };
    process.stderr.write(prompt);
    out._writeToOutput = () => {};
    rl.question('', (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
  });
}
