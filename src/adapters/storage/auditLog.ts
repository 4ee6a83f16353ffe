import * as fs from 'node:fs';
import * as path from 'node:path';
import { auditEntryProblem } from '../../core/audit/entryShape';
import type { AuditEntry } from '../../core/audit/entry';

/** Appends one JSON line per command run on a node: what, where, exit code, duration. Never passwords. */
export class AuditLog {
  constructor(readonly file: string) {}

  append(entry: AuditEntry): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    fs.appendFileSync(this.file, JSON.stringify(entry) + '\n', { mode: 0o600 });
  }

  /** Every entry; a line that does not parse or is not an entry (auditEntryProblem) is skipped and told to `onSkip` (1-based line). */
  read(onSkip: (line: number, reason: string) => void = () => {}): AuditEntry[] {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch {
      return [];
    }
    return text.split('\n').flatMap((l, i) => {
      if (!l.trim()) return [];
      let parsed: unknown;
      try {
        parsed = JSON.parse(l);
      } catch (e) {
        onSkip(i + 1, `not JSON: ${(e as Error).message}`);
        return [];
      }
      const problem = auditEntryProblem(parsed);
      if (problem) {
        onSkip(i + 1, `not an audit entry: ${problem}`);
        return [];
      }
      return [parsed as AuditEntry];
    });
  }
}
