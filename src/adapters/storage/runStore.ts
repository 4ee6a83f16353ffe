import * as fs from 'node:fs';
import * as path from 'node:path';
import type { UpgradeRunState } from '../../core/upgrade/state';
import { runShapeProblem } from './runShape';

/** Finished (done) runs kept per node; older ones are deleted when a run finishes. Unfinished runs are never pruned. */
export const KEEP_FINISHED_PER_NODE = 5;

/**
 * Upgrade runs as one JSON file each (`<dir>/<run id>.json`), written atomically (temp file + rename) after every
 * step, so a crash or a window reload never leaves a half-written state behind.
 */
export class RunStore {
  constructor(
    private readonly dir: string,
    /** Told about each file that is skipped (does not parse, or is not a run), with the reason. */
    private readonly onSkip: (file: string, reason: string) => void = () => {},
    private readonly keepFinished = KEEP_FINISHED_PER_NODE,
  ) {}

  async save(state: UpgradeRunState): Promise<void> {
    await fs.promises.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const file = this.file(state.id);
    const tmp = `${file}.${process.pid}.tmp`;
    await fs.promises.writeFile(tmp, JSON.stringify(state, null, 2), { mode: 0o600 });
    await fs.promises.rename(tmp, file);
    if (state.status === 'done') await this.prune(state.context.cluster, state.context.node);
  }

  /** Every valid run, newest first. Bad files are skipped with a warning: the other runs stay resumable. */
  async list(): Promise<UpgradeRunState[]> {
    let names: string[];
    try {
      names = await fs.promises.readdir(this.dir);
    } catch {
      return [];
    }
    const runs: UpgradeRunState[] = [];
    for (const n of names.filter((x) => x.endsWith('.json'))) {
      const file = path.join(this.dir, n);
      let parsed: unknown;
      try {
        parsed = JSON.parse(await fs.promises.readFile(file, 'utf8'));
      } catch (e) {
        this.onSkip(file, `not JSON: ${(e as Error).message}`);
        continue;
      }
      const problem = runShapeProblem(parsed);
      if (problem) this.onSkip(file, `not an upgrade run: ${problem}`);
      else runs.push(parsed as UpgradeRunState);
    }
    return runs.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  }

  async remove(id: string): Promise<void> {
    await fs.promises.rm(this.file(id), { force: true });
  }

  /** Deletes all but the newest `keepFinished` done runs of one node. */
  async prune(cluster: string, node: string): Promise<void> {
    const done = (await this.list()).filter((r) => r.status === 'done' && r.context.cluster === cluster && r.context.node === node);
    for (const r of done.slice(this.keepFinished)) await this.remove(r.id);
  }

  private file(id: string): string {
    if (!/^[A-Za-z0-9._-]+$/.test(id)) throw new Error(`bad run id ${id}`);
    return path.join(this.dir, `${id}.json`);
  }
}
