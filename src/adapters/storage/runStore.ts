import type { UpgradeRunState } from '../../core/upgrade/state';
import { JsonRecordStore } from './jsonRecordStore';
import { runShapeProblem } from './runShape';

/** Finished (done) runs kept per node; older ones are deleted when a run finishes. Unfinished runs are never pruned. */
export const KEEP_FINISHED_PER_NODE = 5;

/**
 * Upgrade runs as one JSON file each (`<dir>/<run id>.json`), saved after every step (atomically: see
 * JsonRecordStore). A finished run prunes its node's older finished runs.
 */
export class RunStore extends JsonRecordStore<UpgradeRunState> {
  constructor(
    dir: string,
    /** Told about each file that is skipped (does not parse, or is not a run), with the reason. */
    onSkip: (file: string, reason: string) => void = () => {},
    private readonly keepFinished = KEEP_FINISHED_PER_NODE,
  ) {
    super(
      dir,
      (parsed) => {
        const problem = runShapeProblem(parsed);
        return problem && `not an upgrade run: ${problem}`;
      },
      onSkip,
    );
  }

  override async save(state: UpgradeRunState): Promise<void> {
    await super.save(state);
    if (state.status === 'done') await this.prune(state.context.cluster, state.context.node);
  }

  /** Deletes all but the newest `keepFinished` done runs of one node. */
  async prune(cluster: string, node: string): Promise<void> {
    const done = (await this.list()).filter((r) => r.status === 'done' && r.context.cluster === cluster && r.context.node === node);
    for (const r of done.slice(this.keepFinished)) await this.remove(r.id);
  }
}
