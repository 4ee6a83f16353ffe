import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SnapshotRecord, StagedFile } from '../../core/etcd/snapshot';
import { snapshotRecordProblem } from '../../core/etcd/snapshotRecordShape';

/**
 * The local folder of etcd snapshots: `<file>.db` (mode 0600, folder 0700) and `<file>.db.json` (its SnapshotRecord).
 * The record's sha256 is the node's; the file's own is recomputed when listed, so a changed file shows.
 */
export const etcdSnapshotStore = {
  /**
   * A staging file in `<outDir>/.partial/` (folder 0700, file 0600): each chunk is written at once (writeSync) and
   * hashed, so memory holds one chunk whatever the size. `commit` renames it into `outDir` (refusing to replace a
   * file), `discard` removes it.
   */
  async stage(outDir: string, fileName: string): Promise<StagedFile> {
    if (path.basename(fileName) !== fileName || fileName.startsWith('.')) throw new Error(`bad file name ${fileName}`);
    await fs.promises.mkdir(outDir, { recursive: true, mode: 0o700 });
    const dir = path.join(outDir, '.partial');
    await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
    await fs.promises.chmod(dir, 0o700);
    const part = path.join(dir, `${fileName}.part`);
    const fd = fs.openSync(part, 'wx', 0o600);
    const hash = createHash('sha256');
    let bytes = 0;
    let open = true;
    const close = () => {
      if (open) fs.closeSync(fd);
      open = false;
    };
    const tidy = () => fs.promises.rmdir(dir).catch(() => undefined); // only when empty: another copy may be under way
    return {
      get bytes() {
        return bytes;
      },
      append(chunk: Uint8Array) {
        for (let off = 0; off < chunk.length; ) off += fs.writeSync(fd, chunk, off, chunk.length - off);
        hash.update(chunk);
        bytes += chunk.length;
      },
      async commit() {
        fs.fsyncSync(fd);
        close();
        const final = path.join(outDir, fileName);
        await fs.promises.link(part, final); // fails if `final` exists: never replaces a snapshot
        await fs.promises.unlink(part);
        await tidy();
        return { path: final, sha256: hash.digest('hex') };
      },
      async discard() {
        close();
        await fs.promises.rm(part, { force: true });
        await tidy();
      },
    };
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

  /** Read 1 MiB at a time: a snapshot of several GiB is never in memory at once. */
  sha256Of(file: string): string {
    const hash = createHash('sha256');
    const fd = fs.openSync(file, 'r');
    try {
      const buf = Buffer.alloc(1024 * 1024);
      for (let n; (n = fs.readSync(fd, buf, 0, buf.length, null)) > 0; ) hash.update(buf.subarray(0, n));
    } finally {
      fs.closeSync(fd);
    }
    return hash.digest('hex');
  },
};
