import type { SshError } from '../../core/ssh/errors';

/** One login's shared state: the host-key and auth steps say no through `refusal`; the error names what was tried. */
export interface LoginAttempt {
  settled: boolean;
  refusal?: SshError;
  readonly tried: string[];
  serverMethods?: string[];
}
