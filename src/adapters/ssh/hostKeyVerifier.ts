import { SshError } from '../../core/ssh/errors';
import { keyTypeOfBlob, sha256Fingerprint } from '../../core/ssh/fingerprint';
import type { SshHostConfig } from '../../core/ssh/hostConfig';
import { changedHostKeyMessage, checkHostKey, hostKeyAlgorithmsFor, knownHostsName, knownKeyTypes, revokedHostKeyMessage } from '../../core/ssh/knownHosts';
import type { SshPrompts } from '../../core/ssh/prompts';
import { appendKnownHost, readKnownHosts } from './knownHostsStore';
import type { LoginAttempt } from './loginAttempt';
import type { PausableTimer } from './timer';

/** ssh2's default host key algorithms, most preferred first (README). */
const DEFAULT_HOST_KEY_ALGORITHMS = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];

/** Where known_hosts names this host: HostKeyAlias (port 22) or `[host]:port`. */
function keyName(cfg: SshHostConfig): { keyHost: string; keyPort: number; knownFiles: string[] } {
  return { keyHost: cfg.hostKeyAlias ?? cfg.hostName, keyPort: cfg.hostKeyAlias ? 22 : cfg.port, knownFiles: [...cfg.userKnownHostsFiles, ...cfg.globalKnownHostsFiles] };
}

/** Asks the server first for the key types known_hosts already holds for it, as OpenSSH does. */
export function preferredHostKeyAlgorithms(cfg: SshHostConfig): string[] {
  const { keyHost, keyPort, knownFiles } = keyName(cfg);
  const preferred = hostKeyAlgorithmsFor(knownKeyTypes(readKnownHosts(knownFiles), keyHost, keyPort)).filter((a) => DEFAULT_HOST_KEY_ALGORITHMS.includes(a));
  return [...preferred, ...DEFAULT_HOST_KEY_ALGORITHMS.filter((a) => !preferred.includes(a))];
}

/**
 * ssh2's hostVerifier with OpenSSH's model: a known key passes; a revoked key, or any recorded key of the host (any
 * type) that does not match, is refused and nothing is written; an unknown host is asked about (never with
 * StrictHostKeyChecking yes) and recorded only when accepted. A refusal is left in `attempt.refusal` for the caller.
 */
export function hostKeyVerifier(cfg: SshHostConfig, prompts: SshPrompts, timer: PausableTimer, attempt: LoginAttempt): (key: Buffer, verify: (ok: boolean) => void) => void {
  const { keyHost, keyPort, knownFiles } = keyName(cfg);
  return (key: Buffer, verify: (ok: boolean) => void) => {
    void (async () => {
      const keyType = keyTypeOfBlob(key);
      const fp = sha256Fingerprint(key);
      const b64 = key.toString('base64');
      const check = checkHostKey(readKnownHosts(knownFiles), keyHost, keyPort, keyType, b64);
      if (check.status === 'known') return true;
      if (check.status === 'revoked') {
        attempt.refusal = new SshError('host-key-revoked', revokedHostKeyMessage(keyHost, keyPort, keyType, fp, check.entry));
        return false;
      }
      if (check.status === 'changed') {
        attempt.refusal = new SshError('host-key-changed', changedHostKeyMessage(keyHost, keyPort, keyType, fp, check.offending));
        return false;
      }
      const file = cfg.userKnownHostsFiles[0]!;
      if (cfg.strictHostKeyChecking === 'yes') {
        attempt.refusal = new SshError(
          'host-key-unknown',
          `No ${keyType} host key is known for ${knownHostsName(keyHost, keyPort)} and StrictHostKeyChecking is yes (key fingerprint ${fp}).\nHost key verification failed.`,
        );
        return false;
      }
      const hostField = cfg.hashKnownHosts ? '|1|…' : knownHostsName(keyHost, keyPort);
      const ok = await timer.while(() =>
        prompts.confirmUnknownHost(keyHost, keyPort, keyType, fp, { knownHostsFile: file, hostField }),
      );
      if (attempt.settled) return false;
      if (ok !== true) {
        attempt.refusal = new SshError('host-key-unknown', `The authenticity of host ${knownHostsName(keyHost, keyPort)} was not confirmed (${keyType} key ${fp}): connection refused.`);
        return false;
      }
      try {
        appendKnownHost(file, keyHost, keyPort, keyType, b64, cfg.hashKnownHosts);
      } catch (e) {
        attempt.refusal = new SshError('config', `could not record the host key in ${file}: ${(e as Error).message}`);
        return false;
      }
      return true;
    })().then(verify, (e: Error) => {
      attempt.refusal = new SshError('config', `host key check failed: ${e.message}`);
      verify(false);
    });
  };
}
