/**
 * What the SSH executor needs to ask the user. Declared here (pure) and implemented by the UI (src/ui) with VS Code
 * inputs, or by tests. Every method may resolve to `undefined`/`false` when the user cancels. Secrets returned here are
 * kept in memory only (for the connection or the pool's lifetime) and are never logged nor written anywhere by the
 * executor; persisting them (SecretStorage, only when the user opts in) is the UI's business.
 */
export interface SshPrompts {
  /**
   * The host presented a key that no known_hosts file lists. Show the fingerprint (`SHA256:…`, as `ssh-keygen -lf`
   * prints it) and ask whether to trust it. `true`: the key is recorded in `details.knownHostsFile` and the connection
   * goes on; `false`/`undefined`: refused, nothing recorded.
   */
  confirmUnknownHost(host: string, port: number, keyType: string, sha256Fingerprint: string, details: UnknownHostDetails): Promise<boolean | undefined>;
  /** Passphrase for an encrypted private key. Asked once per key for the life of the pool; `retry` after a wrong one. */
  askPassphrase(keyPath: string, retry: boolean): Promise<string | undefined>;
  /** The sudo password of `user` on `host`. Kept in memory for that connection only; asked again after a wrong one. */
  askSudoPassword(host: string, user: string): Promise<string | undefined>;
  /** Optional: sudo did not accept the password `askSudoPassword` gave (the UI drops it from SecretStorage, if kept there). */
  sudoPasswordRejected?(host: string, user: string): void;
  /** Optional: login password when no key is accepted (password / keyboard-interactive auth). Absent: never asked. */
  askLoginPassword?(host: string, user: string): Promise<string | undefined>;
}

export interface UnknownHostDetails {
  /** Where an accepted key will be written. */
  readonly knownHostsFile: string;
  /** The known_hosts host field that will be written (`host` or `[host]:port`, hashed when HashKnownHosts is on). */
  readonly hostField: string;
}
