import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AuditEntry } from '../../core/upgrade/ports';

/** Appends one JSON line per command run on a node: what, where, exit code, duration. Never passwords. */
export class AuditLog {
  constructor(readonly file: string) {}

  append(entry: AuditEntry): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    fs.appendFileSync(this.file, JSON.stringify(entry) + '\n', { mode: 0o600 });
  }

  read(): AuditEntry[] {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch {
      return [];
    }
    return text
      .split('\n')
      .filter(Boolean)
      .flatMap((l) => {
        try {
          return [JSON.parse(l) as AuditEntry];
        } catch {
          return [];
        }
      });
  }
}
