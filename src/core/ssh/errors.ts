/** Why an SSH connection could not be used, for the UI to word and react to (e.g. offer to edit known_hosts). */
export type SshErrorKind =
  | 'host-key-changed'
  | 'host-key-revoked'
  | 'host-key-unknown' // refused by the user, or StrictHostKeyChecking yes
  | 'auth'
  | 'timeout'
  | 'dropped'
  | 'connect' // TCP-level: refused, unreachable, DNS
  | 'cancelled'
  | 'unsupported'
  | 'config';

export class SshError extends Error {
  override readonly name = 'SshError';
  constructor(
    readonly kind: SshErrorKind,
    message: string,
  ) {
    super(message);
  }
}
