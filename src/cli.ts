// kubeadm-upgrade: the extension's core, headless, for CI jobs and for analysing cluster dumps offline.
import { UsageError } from './cli/args';
import { EXPLAIN_USAGE, explainCommand } from './cli/explainCommand';
import { CORDON_USAGE, DRAIN_USAGE, UNCORDON_USAGE, cordonCommand, drainCommand, uncordonCommand } from './cli/drainCommands';
import { PARSE_PLAN_USAGE, parsePlanCommand } from './cli/parsePlanCommand';
import { PREFLIGHT_USAGE, preflightCommand } from './cli/preflightCommand';
import { SKEW_USAGE, skewCommand } from './cli/skewCommand';
import { SNAPSHOT_ETCD_USAGE, snapshotEtcdCommand } from './cli/snapshotEtcdCommand';
import { UPGRADE_NODE_USAGE, upgradeNodeCommand } from './cli/upgradeNodeCommand';
import { UPGRADE_CLUSTER_USAGE, upgradeClusterCommand } from './cli/upgradeClusterCommand';
import { RESUME_USAGE, resumeCommand } from './cli/resumeCommand';
import { VERIFY_USAGE, verifyCommand } from './cli/verifyCommand';
import { PLAN_USAGE, planCommand } from './cli/planCommand';

const USAGE = `usage:
  ${SKEW_USAGE}
  ${PARSE_PLAN_USAGE}
  ${UPGRADE_NODE_USAGE}
  ${UPGRADE_CLUSTER_USAGE}
  ${RESUME_USAGE}
  ${VERIFY_USAGE}
  ${PLAN_USAGE}
  ${DRAIN_USAGE}
  ${CORDON_USAGE}
  ${UNCORDON_USAGE}
  ${EXPLAIN_USAGE}
  ${PREFLIGHT_USAGE}
  ${SNAPSHOT_ETCD_USAGE}

exit codes: 0 ok, 1 findings/failure, 2 bad input`;

type Command = (argv: string[], out: (s: string) => void, err: (s: string) => void) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  skew: skewCommand,
  'parse-plan': parsePlanCommand,
  'upgrade-node': upgradeNodeCommand,
  'upgrade-cluster': upgradeClusterCommand,
  resume: resumeCommand,
  verify: verifyCommand,
  plan: planCommand,
  drain: drainCommand,
  cordon: cordonCommand,
  uncordon: uncordonCommand,
  explain: explainCommand,
  preflight: preflightCommand,
  'snapshot-etcd': snapshotEtcdCommand,
};

export async function main(
  argv: string[],
  out: (s: string) => void = (s) => process.stdout.write(s + "\n"),
  err: (s: string) => void = (s) => process.stderr.write(s + "\n"),
): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    out(USAGE);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    err(`kubeadm-upgrade: unknown command "${name}"\n${USAGE}`);
    return 2;
  }
  try {
    return await command(rest, out, err);
  } catch (e) {
    if (e instanceof UsageError) {
      err(`kubeadm-upgrade ${name}: ${e.message}`);
      return 2;
    }
    // A clear one-line reason; the stack only when asked for (KUBEADM_UPGRADE_DEBUG=1).
    err(`kubeadm-upgrade ${name}: ${process.env['KUBEADM_UPGRADE_DEBUG'] ? ((e as Error).stack ?? String(e)) : ((e as Error).message ?? String(e))}`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
