import type { AuditEntry } from './entry';
import { endedIds, isEndedStart } from './record';

/**
 * The audit log as a readable page: one block per run (cluster, node, run id), one aligned row per command with its
 * time, phase, exit code and duration, the command last so long ones do not push the other columns away.
 */
export function auditTable(entries: readonly AuditEntry[], rawFile: string, skipped: readonly string[] = []): string {
  // An action is one row: read from its end line; a start line stays only when its end is missing.
  const ended = endedIds(entries);
  const shown = entries.filter((e) => !isEndedStart(e, ended));
  const out = [`# Kubeadm audit log: ${shown.length} command(s) run on nodes`, `# raw JSON lines: ${fileUri(rawFile)}`];
  if (skipped.length > 0) out.push(`# ${skipped.length} line(s) skipped, not audit entries: ${skipped.join('; ')}`);
  out.push('');
  const runs = new Map<string, AuditEntry[]>();
  for (const e of shown) runs.set(e.run, [...(runs.get(e.run) ?? []), e]);
  for (const [run, list] of runs) {
    const first = list[0]!;
    out.push(`## ${first.cluster} / ${first.node} — run ${run} (${first.where})`);
    const rows = list.map((e) => [e.time.replace('T', ' ').replace(/\.\d+Z$/, 'Z'), e.phase, exit(e), e.stage === 'start' ? '?' : duration(e.durationMs), e.command + note(e)]);
    out.push(...align([['time', 'phase', 'exit', 'took', 'command'], ...rows]), '');
  }
  return out.join('\n');
}

function exit(e: AuditEntry): string {
  return e.stage === 'start' ? 'no end' : e.exitCode === null ? 'none' : String(e.exitCode);
}

function note(e: AuditEntry): string {
  if (e.stage === 'start') return '   # started, no end recorded: still running, or the process stopped mid-command';
  return e.failure ? `   # ${e.failure}` : '';
}

function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : ms < 120_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 60_000)} min`;
}

function align(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd());
}

function fileUri(p: string): string {
  return 'file://' + encodeURI(p.startsWith('/') ? p : `/${p.replace(/\\/g, '/')}`);
}
