// The SSH executor's public surface, for src/ui and src/extension.ts.
export { SshPool, type SshPoolOptions, type ResolvedNode } from './sshPool';
export { SshExecutor } from './sshExecutor';
export { SshConfigFile, localEnv } from './sshConfigFile';
export { SshError, type SshErrorKind } from '../../core/ssh/errors';
export type { SshPrompts, UnknownHostDetails } from '../../core/ssh/prompts';
export type { NodeAddressing, SshHostConfig } from '../../core/ssh/hostConfig';
