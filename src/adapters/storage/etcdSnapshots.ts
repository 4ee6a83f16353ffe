import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SnapshotRecord } from '../../core/etcd/snapshot';
import { snapshotRecordProblem } from '../../core/etcd/snapshotRecordShape';

/**
 * The local folder of etcd snapshots: `<file>.db` (mode 0600, folder 0700) and `<file>.db.json` (its SnapshotRecord).
 * The record's sha256 is the node's; the file's own is recomputed when listed, so a changed file shows.
 */
export const etcdSnapshotStore = {
  async saveLocal(outDir: string, fileName: string, base64: string): Promise<{ path: string; sha256: string }> {
    if (path.basename(fileName) !== fileName) throw new Error(`bad file name ${fileName}`);
    await fs.promises.mkdir(outDir, { recursive: true, mode: 0o700 });
    const data = Buffer.from(base64, 'base64');
    const p = path.join(outDir, fileName);
    await fs.promises.writeFile(p, data, { mode: 0o600, flag: 'wx' });
    return { path: p, sha256: createHash('sha256').update(data).digest('hex') };
  },

  async writeRecord(record: SnapshotRecord): Promise<void> {
    await fs.promises.writeFile(`${record.localPath}.json`, JSON.stringify(record, null, 2) + '\n', { mode: 0o600 });
  },

  /**
   * Records in `dir`, newest first; a folder that does not exist has none. A record that does not parse or is not a
   * snapshot record (snapshotRecordProblem) is skipped and told to `onSkip`; its .db stays for the user to inspect.
   */
  list(dir: string, onSkip: (file: string, reason: string) => void = () => {}): SnapshotRecord[] {
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      return [];
    }
    const out: SnapshotRecord[] = [];
    for (const n of names.filter((x) => x.endsWith('.db.json'))) {
      const file = path.join(dir, n);
      let parsed: unknown;
      try {
        parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
      } catch (e) {
        onSkip(file, `not JSON: ${(e as Error).message}`);
        continue;
      }
      const problem = snapshotRecordProblem(parsed);
      if (problem) onSkip(file, `not an etcd snapshot record: ${problem}`);
      else out.push(parsed as SnapshotRecord);
    }
    return out.sort((a, b) => b.takenAt.localeCompare(a.takenAt));
  },

  sha256Of(file: string): string {
    return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  },
};
