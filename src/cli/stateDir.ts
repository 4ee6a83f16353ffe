import * as os from 'node:os';
import * as path from 'node:path';
import type { AuditSink } from '../adapters/storage/audited';
import { AuditLog } from '../adapters/storage/auditLog';

/** Where the CLI keeps runs and its audit log: --state-dir, else $XDG_STATE_HOME/kubeadm-upgrade (~/.local/state). */
export function cliStateDir(flag?: string, env = process.env): string {
  return flag ?? path.join(env['XDG_STATE_HOME'] ?? path.join(os.homedir(), '.local', 'state'), 'kubeadm-upgrade');
}

/** The CLI's audit log: one JSON line per command run on a node and per API change. */
export function cliAudit(stateDir: string): { log: AuditLog; sink: AuditSink } {
  const log = new AuditLog(path.join(stateDir, 'audit.jsonl'));
  return { log, sink: (e) => log.append(e) };
}
