import { explain, isBadInput, renderText, toJson } from '../core/explain';
import { parse, readInput, UsageError } from './args';
import { EXPLAIN_USAGE } from './usage';


/**
 * `kubeadm-upgrade explain`: reads the output of kubeadm upgrade plan|apply|node, apt, yum or kubectl drain from FILE
 * or stdin and says what happened and what to do. --json prints the Explanation (apiVersion kubeadm-upgrade/v1).
 * Exit 0 when the output shows success, 1 when it shows a failure, 2 on bad input (empty, binary, unreadable),
 * 3 when it shows neither (cut off, or only warnings of an unfinished command).
 */
export async function explainCommand(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const { values, positionals } = parse(argv, {
    json: { type: 'boolean', default: false },
    node: { type: 'string' },
    target: { type: 'string' },
  });
  if (positionals.length > 1) throw new UsageError(`one input at most\nusage: ${EXPLAIN_USAGE}`);
  const file = positionals[0] ?? '-';
  const text = readInput(file);
  const result = explain(text, {
    ...(values.node ? { node: values.node } : {}),
    ...(values.target ? { targetVersion: values.target } : {}),
  });
  if (isBadInput(result)) {
    err(`kubeadm-upgrade explain: ${file === '-' ? 'stdin' : file}: ${result.bad === 'empty' ? 'the input is empty' : 'the input is binary, not command output'}`);
    return 2;
  }
  out(values.json ? toJson(result) : renderText(result));
  const outcome = result.explanation.outcome;
  return outcome === 'succeeded' ? 0 : outcome === 'failed' ? 1 : 3;
}
