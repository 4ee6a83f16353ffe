import { upgradeDiffFor } from '../core/manifestDiff/forNode';
import { renderUpgradeDiff } from '../core/manifestDiff/upgradeDiff';
import { validateNodeName, validatePath } from '../core/exec/shell';
import { formatVersion, parseVersion } from '../core/version';
import { parse, UsageError } from './args';
import { CliSession, SESSION_FLAGS } from './clusterSession';
import { printJson } from './jsonOutput';
import { DIFF_USAGE } from './usage';

/**
 * `kubeadm-upgrade diff --node CP --to vX.Y.Z`: what `kubeadm upgrade apply/node` would change in that control plane's
 * static Pod manifests, and the hand edits it would erase ("will be lost"), from kubeadm's own `upgrade diff`.
 * Exit 0 when nothing would be lost; 1 when something would, or the diff could not run on the node (said why, with what to do); 2 on bad input or the API.
 */
export async function diffCommand(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const { values, positionals } = parse(argv, { ...SESSION_FLAGS, node: { type: 'string' }, to: { type: 'string' }, patches: { type: 'string' } });
  if (positionals.length > 0) throw new UsageError(`unexpected ${positionals[0]}\nusage: ${DIFF_USAGE}`);
  const target = parseVersion(values.to);
  if (!values.to || !target || !/^v?\d+\.\d+\.\d+$/.test(values.to)) throw new UsageError(`--to vX.Y.Z is required (got ${values.to ?? 'nothing'})\nusage: ${DIFF_USAGE}`);
  if (!values.node) throw new UsageError(`--node CP is required\nusage: ${DIFF_USAGE}`);
  try {
    validateNodeName(values.node);
    if (values.patches !== undefined) validatePath(values.patches);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const session = new CliSession(values, err);
  try {
    const snapshot = await session.snapshot();
    const node = snapshot.nodes.find((n) => n.name === values.node);
    if (!node?.controlPlane) throw new UsageError(`${values.node} is not a control-plane node of ${session.ctx.name} (control planes: ${snapshot.nodes.filter((n) => n.controlPlane).map((n) => n.name).join(', ') || 'none'})`);
    const ports = session.ports(() => {}, undefined, 'diff');
    const outcome = await upgradeDiffFor(node, formatVersion(target), (n) => ports.executorFor(n.name), values.patches);
    if (outcome.kind === 'notRun') {
      err(`could not run: ${outcome.reason}\n${outcome.fix}`);
      return 1;
    }
    const diff = outcome.diff;
    if (values.patches && !diff.patches) err(`${node.name} has no folder ${values.patches}: the diff is without patches`);
    out(values.json ? printJson('UpgradeDiff', diff) : renderUpgradeDiff(diff));
    return diff.lost.length > 0 ? 1 : 0;
  } finally {
    session.dispose();
  }
}
