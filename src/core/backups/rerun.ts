// "Run kubeadm upgrade again" from the run that made the backup: its own subcommand (apply on the first control
// plane, node on the others) and its own target, read from the audit entry — never from the target setting.
import { quote, raw, type ShellCommand } from '../exec/shell';
import { auditLinks, type AuditEntryLike } from './audit';
import type { RecoveryStep } from './recovery';

/** Flags of a recorded `kubeadm upgrade` worth repeating; anything else is left out rather than re-run blindly. */
const FLAG = /^--[a-z][a-z0-9-]*(=[A-Za-z0-9._,:/=-]*)?$/;
const VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

export interface RecordedUpgrade {
  readonly mode: 'apply' | 'node';
  readonly target: string | null;
  readonly command: ShellCommand;
  /** The audit line it came from, e.g. "2026-… sudo kubeadm upgrade apply --yes v1.36.3 → exit 1". */
  readonly source: string;
}

/** The `kubeadm upgrade apply|node` entry of `entries` that made the backup at `backupIso` on `node`, rebuilt safely. */
export function recordedUpgrade(entries: readonly AuditEntryLike[], node: string, backupIso: string): RecordedUpgrade | null {
  const [link] = auditLinks(entries, node, backupIso);
  const entry = link ? entries[link.line - 1] : undefined;
  const m = entry && /\bkubeadm\s+upgrade\s+(apply|node)\b(.*)$/.exec(entry.command);
  if (!m || !link) return null;
  const mode = m[1] as 'apply' | 'node';
  const words = m[2]!.trim().split(/\s+/).filter(Boolean).map((w) => w.replace(/^'(.*)'$/, '$1'));
  const target = mode === 'apply' ? words.find((w) => VERSION.test(w)) ?? null : null;
  const kept = words.filter((w) => FLAG.test(w) || (target !== null && w === target));
  return { mode, target, command: raw(['sudo', 'kubeadm', 'upgrade', mode, ...kept].map((w, i) => (i < 4 ? w : quote(w))).join(' ')), source: link.text };
}

/** The rerun step for a run whose command is known; `fallback` (the generic step) otherwise, without a guessed command. */
export function rerunStep(recorded: RecordedUpgrade | null, fallback: RecoveryStep): RecoveryStep {
  if (!recorded) {
    return {
      ...fallback,
      why:
        'If kubeadm upgrade failed and did not roll back (for example the node shut down during it), run the same command again: it is idempotent. ' +
        'No upgrade run of this extension matches this backup, so the command is not known here: on the first control plane it was ' +
        '`kubeadm upgrade apply <version>`, on the other control planes `kubeadm upgrade node`.',
      command: null,
    };
  }
  return {
    ...fallback,
    title: `Run \`kubeadm upgrade ${recorded.mode}\` again${recorded.target ? ` (${recorded.target})` : ''}`,
    why:
      `This backup was made by \`kubeadm upgrade ${recorded.mode}\`${recorded.target ? ` to ${recorded.target}` : ''} (audit log: ${recorded.source}). ` +
      'If it failed and did not roll back (for example the node shut down during it), run the same command again: it is idempotent and eventually makes the actual state the desired state.',
    command: recorded.command,
  };
}
