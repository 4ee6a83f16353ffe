import { formatReport, verifyCluster } from '../core/clusterUpgrade/verify';
import { sameCluster } from '../core/identity/clusterIdentity';
import { parse, UsageError } from './args';
import { printJson } from './jsonOutput';
import { CliSession, SESSION_FLAGS } from './clusterSession';
import { strictTarget } from './strictTarget';
import { VERIFY_USAGE } from './usage';


/**
 * `kubeadm-upgrade verify`: the end-of-run verification alone, from the API. Exit 0 when it passed, 1 otherwise.
 * Nodes the newest cluster run of this cluster left cordoned are named.
 */
export async function verifyCommand(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const { values, positionals } = parse(argv, { ...SESSION_FLAGS, to: { type: 'string' } });
  if (positionals.length > 0) throw new UsageError(`unexpected ${positionals[0]}\nusage: ${VERIFY_USAGE}`);
  const target = strictTarget(values.to);
  const session = new CliSession(values, err);
  try {
    const probe = session.ports(() => {}, undefined);
    const [snapshot, addons, runs, nodeRuns, reached] = await Promise.all([session.snapshot(), probe.addons(), session.clusterRuns.list(), session.nodeRuns.list(), session.identity()]);
    // This cluster's newest run (by its identity; a run saved before identities, by the context name).
    const last = runs.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)).find((r) => (r.identity ? sameCluster(r.identity, reached) : r.cluster === session.ctx.name));
    const ids = new Set(last?.nodes.map((n) => n.runId).filter(Boolean));
    const leftCordoned = nodeRuns.filter((r) => ids.has(r.id) && r.cordoned).map((r) => r.context.node);
    const report = verifyCluster({ cluster: session.ctx.name, snapshot, target, kubeProxy: addons.kubeProxy, coredns: addons.coredns, leftCordonedByRun: leftCordoned, now: new Date() });
    out(values.json ? printJson('Verification', report) : formatReport(report));
    return report.passed ? 0 : 1;
  } finally {
    session.dispose();
  }
}
