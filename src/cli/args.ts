import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Bad input: exit 2 with one line on stderr. */
export class UsageError extends Error {}

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** The text of FILE, or of stdin for `-`; an unreadable file is bad input (exit 2). */
export function readInput(file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (e) {
    throw new UsageError(`${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
}

/** How a command reaches a cluster and its nodes: the kubeconfig context, and SSH (for the commands that run on nodes). */
export const CLUSTER_ACCESS_FLAGS = {
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  'ssh-config': { type: 'string' },
  'accept-new-host-keys': { type: 'boolean', default: false },
} as const;
