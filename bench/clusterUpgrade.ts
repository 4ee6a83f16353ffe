// Whole-cluster wall time with --max-unavailable 1 vs 3 on `cluster-bench` (3 control planes + 12 workers, real
// apiserver and sshd): does batching pay? Each setting gets a fresh sandbox. Run: npx tsx bench/clusterUpgrade.ts
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { upgradeClusterCommand } from '../src/cli/upgradeClusterCommand';
import { startSandbox } from '../test/integration/sandbox';
import { sandboxPrompts, TARGET } from '../test/integration/clusterUpgrade/helpers';

async function once(maxUnavailable: string): Promise<{ seconds: number; code: number; batches: number }> {
  const sb = await startSandbox('cluster-bench');
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cluster-bench-'));
  try {
    const out: string[] = [];
    const started = Date.now();
    const code = await upgradeClusterCommand(
      ['--to', TARGET, '--max-unavailable', maxUnavailable, '--skip-snapshot', '--yes', '--json', '--kubeconfig', sb.kubeconfig, '--ssh-config', sb.sshConfig!, '--state-dir', stateDir],
      (s) => out.push(s),
      (s) => process.stderr.write(`  ${s}\n`),
      { prompts: sandboxPrompts },
    );
    const seconds = Math.round((Date.now() - started) / 1000);
    const batches = out.filter((l) => l.startsWith('{"event":"batch"')).length;
    return { seconds, code, batches };
  } finally {
    await sb.down();
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const rows: string[] = [];
  for (const m of ['1', '3']) {
    const r = await once(m);
    rows.push(`| --max-unavailable ${m} | ${r.seconds} s | ${r.batches} worker batches | exit ${r.code} |`);
    process.stdout.write(rows[rows.length - 1] + '\n');
  }
  process.stdout.write(`\n| setting | wall time | batches | result |\n|---|---|---|---|\n${rows.join('\n')}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
