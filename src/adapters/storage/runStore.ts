import * as fs from 'node:fs';
import * as path from 'node:path';
import type { UpgradeRunState } from '../../core/upgrade/state';

/**
 * Upgrade runs as one JSON file each (`<dir>/<run id>.json`), written atomically (temp file + rename) after every
 * step, so a crash or a window reload never leaves a half-written state behind.
 */
export class RunStore {
  constructor(private readonly dir: string) {}

  async save(state: UpgradeRunState): Promise<void> {
    await fs.promises.mkdir(this.dir, { recursive: true });
    const file = this.file(state.id);
    const tmp = `${file}.${process.pid}.tmp`;
    await fs.promises.writeFile(tmp, JSON.stringify(state, null, 2), { mode: 0o600 });
    await fs.promises.rename(tmp, file);
  }

  async list(): Promise<UpgradeRunState[]> {
    let names: string[];
    try {
      names = await fs.promises.readdir(this.dir);
    } catch {
      return [];
    }
    const runs: UpgradeRunState[] = [];
    for (const n of names.filter((x) => x.endsWith('.json'))) {
      try {
        runs.push(JSON.parse(await fs.promises.readFile(path.join(this.dir, n), 'utf8')) as UpgradeRunState);
      } catch {
        // A file that does not parse is skipped, not fatal: the other runs stay resumable.
      }
    }
    return runs.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  }

  async remove(id: string): Promise<void> {
    await fs.promises.rm(this.file(id), { force: true });
  }

  private file(id: string): string {
    if (!/^[A-Za-z0-9._-]+$/.test(id)) throw new Error(`bad run id ${id}`);
    return path.join(this.dir, `${id}.json`);
  }
}
