import { createHash } from 'node:crypto';

/** `SHA256:<base64 without padding>` of a public key blob: what `ssh-keygen -lf` and OpenSSH's prompts show. */
export function sha256Fingerprint(blob: Uint8Array): string {
  return 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
}

/** The key type written at the start of an SSH public key blob (`ssh-ed25519`, `ssh-rsa`, `ecdsa-sha2-nistp256`, …). */
export function keyTypeOfBlob(blob: Uint8Array): string {
  if (blob.length < 4) throw new Error('public key blob too short');
  const len = ((blob[0]! << 24) | (blob[1]! << 16) | (blob[2]! << 8) | blob[3]!) >>> 0;
  if (len === 0 || len > 64 || 4 + len > blob.length) throw new Error('public key blob has no key type');
  return new TextDecoder().decode(blob.subarray(4, 4 + len));
}

/** The short name OpenSSH prints in messages ("ED25519 key", "ECDSA key", "RSA key"). */
export function keyTypeLabel(keyType: string): string {
  if (keyType === 'ssh-ed25519') return 'ED25519';
  if (keyType.startsWith('ecdsa-')) return 'ECDSA';
  if (keyType === 'ssh-rsa') return 'RSA';
  if (keyType === 'ssh-dss') return 'DSA';
  if (keyType.startsWith('sk-ssh-ed25519')) return 'ED25519-SK';
  if (keyType.startsWith('sk-ecdsa')) return 'ECDSA-SK';
  return keyType.toUpperCase();
}
