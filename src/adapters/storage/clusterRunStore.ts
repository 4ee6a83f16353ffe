import * as fs from 'node:fs';
import * as path from 'node:path';
import { isClusterRun, type ClusterRunState } from '../../core/clusterUpgrade/state';

/** Cluster runs, one JSON file each, written atomically like the node runs, so Resume survives a reload or a crash. */
export class ClusterRunStore {
  constructor(readonly dir: string) {}

  async save(state: ClusterRunState): Promise<void> {
    await fs.promises.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const file = this.file(state.id);
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await fs.promises.writeFile(tmp, JSON.stringify(state, null, 2), { mode: 0o600 });
    await fs.promises.rename(tmp, file);
  }

  /** Newest first; files that are not cluster runs are skipped (one bad file must not break Resume for all). */
  async list(): Promise<ClusterRunState[]> {
    let names: string[];
    try {
      names = await fs.promises.readdir(this.dir);
    } catch {
      return [];
    }
    const runs: ClusterRunState[] = [];
    for (const n of names.filter((x) => x.endsWith('.json'))) {
      try {
        const r: unknown = JSON.parse(await fs.promises.readFile(path.join(this.dir, n), 'utf8'));
        if (isClusterRun(r)) runs.push(r);
      } catch {
        // unreadable: skipped
      }
    }
    return runs.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  }

  private file(id: string): string {
    if (!/^[A-Za-z0-9._-]+$/.test(id)) throw new Error(`bad run id ${id}`);
    return path.join(this.dir, `${id}.json`);
  }
}
