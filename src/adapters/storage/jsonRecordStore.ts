import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Records of one kind (node runs, cluster runs) as one JSON file each (`<dir>/<id>.json`), written atomically (temp
 * file + rename) so a crash or a window reload never leaves a half-written record. A file that does not parse or is
 * not such a record is skipped (and told to `onSkip`): one bad file must not break Resume for all the others.
 */
export class JsonRecordStore<T extends { readonly id: string; readonly updatedAt: string }> {
  constructor(
    readonly dir: string,
    /** Why a parsed file is not a record of this kind (`not an upgrade run: no id`); undefined when it is one. */
    private readonly problemOf: (parsed: unknown) => string | undefined,
    private readonly onSkip: (file: string, reason: string) => void = () => {},
  ) {}

  async save(record: T): Promise<void> {
    await fs.promises.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const file = this.file(record.id);
    // pid and a random part: two saves of one record in flight at once never share a temp file.
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await fs.promises.writeFile(tmp, JSON.stringify(record, null, 2), { mode: 0o600 });
    await fs.promises.rename(tmp, file);
  }

  /** Every valid record, newest first. */
  async list(): Promise<T[]> {
    let names: string[];
    try {
      names = await fs.promises.readdir(this.dir);
    } catch {
      return [];
    }
    const records: T[] = [];
    for (const n of names.filter((x) => x.endsWith('.json'))) {
      const file = path.join(this.dir, n);
      let parsed: unknown;
      try {
        parsed = JSON.parse(await fs.promises.readFile(file, 'utf8'));
      } catch (e) {
        this.onSkip(file, `not JSON: ${(e as Error).message}`);
        continue;
      }
      const problem = this.problemOf(parsed);
      if (problem) this.onSkip(file, problem);
      else records.push(parsed as T);
    }
    return records.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  }

  async remove(id: string): Promise<void> {
    await fs.promises.rm(this.file(id), { force: true });
  }

  private file(id: string): string {
    if (!/^[A-Za-z0-9._-]+$/.test(id)) throw new Error(`bad run id ${id}`);
    return path.join(this.dir, `${id}.json`);
  }
}
