import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SnapshotRecord } from '../../core/etcd/snapshot';

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

  /** Records in `dir`, newest first; a folder that does not exist has none. */
  list(dir: string): SnapshotRecord[] {
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      return [];
    }
    const out: SnapshotRecord[] = [];
    for (const n of names.filter((x) => x.endsWith('.db.json'))) {
      try {
        out.push(JSON.parse(fs.readFileSync(path.join(dir, n), 'utf8')) as SnapshotRecord);
      } catch {
        // a half-written record is skipped; its .db stays for the user to inspect
      }
    }
    return out.sort((a, b) => b.takenAt.localeCompare(a.takenAt));
  },

  sha256Of(file: string): string {
    return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  },
};
