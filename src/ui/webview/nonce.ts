import { randomBytes } from 'node:crypto';

/** A CSP nonce from the OS random source (not Math.random, as the samples do). */
export function getNonce(): string {
  return randomBytes(16).toString('base64');
}
