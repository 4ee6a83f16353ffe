import type { ClusterRunState } from '../../core/clusterUpgrade/state';
import { clusterRunProblem } from '../../core/clusterUpgrade/runShape';
import { JsonRecordStore } from './jsonRecordStore';

/** Cluster runs, one JSON file each, written atomically like the node runs, so Resume survives a reload or a crash. */
export class ClusterRunStore extends JsonRecordStore<ClusterRunState> {
  constructor(
    dir: string,
    /** Told about each file that is skipped (does not parse, or is not a cluster run), with the reason. */
    onSkip: (file: string, reason: string) => void = () => {},
  ) {
    super(
      dir,
      (parsed) => {
        const problem = clusterRunProblem(parsed);
        return problem && `not a cluster run: ${problem}`;
      },
      onSkip,
    );
  }
}
