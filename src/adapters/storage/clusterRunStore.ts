import { isClusterRun, type ClusterRunState } from '../../core/clusterUpgrade/state';
import { JsonRecordStore } from './jsonRecordStore';

/** Cluster runs, one JSON file each, written atomically like the node runs, so Resume survives a reload or a crash. */
export class ClusterRunStore extends JsonRecordStore<ClusterRunState> {
  constructor(dir: string) {
    super(dir, (parsed) => (isClusterRun(parsed) ? undefined : 'not a cluster run'));
  }
}
