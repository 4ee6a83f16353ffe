import { SshError } from '../../core/ssh/errors';

/** ssh2's connection errors as the user should read them: which step failed, what was tried, what the server accepts. */
export function classify(err: Error & { level?: string; code?: string }, dest: string, tried: string[], serverMethods: string[] | undefined): SshError {
  if (err.level === 'client-authentication') {
    return new SshError(
      'auth',
      `SSH authentication failed for ${dest}: permission denied` +
        (tried.length ? ` (tried ${tried.join(', ')})` : ' (no key, agent or password to try)') +
        (serverMethods ? `; the server accepts: ${serverMethods.join(', ')}` : '') +
        '. Check the user name, and that one of your keys is in the node\'s authorized_keys.',
    );
  }
  if (err.level === 'client-timeout') return new SshError('timeout', `SSH to ${dest}: ${err.message}`);
  if (err.level === 'client-dns') return new SshError('connect', `SSH to ${dest}: cannot resolve the host name (${err.message})`);
  if (err.level === 'client-socket') {
    if (err.code === 'ECONNRESET' || err.code === 'EPIPE') return new SshError('dropped', `SSH to ${dest}: connection reset during login (${err.message})`);
    return new SshError('connect', `SSH to ${dest}: cannot connect (${err.message})`);
  }
  return new SshError('connect', `SSH to ${dest}: ${err.message}`);
}
