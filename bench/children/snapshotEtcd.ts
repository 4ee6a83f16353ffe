// One `kubeadm-upgrade snapshot-etcd` in a process of its own, so its peak memory (maxRSS) is the snapshot's.
// usage: node --import tsx bench/children/snapshotEtcd.ts NODE OUT_DIR -- CLI_FLAGS…
// → one JSON line {ms, maxRssMiB, code, record} (record: the command's --json output, the snapshot's record)
import { main } from '../../src/cli';

async function run() {
  const args = process.argv.slice(2);
  const [node, out] = args;
  const flags = args.slice(args.indexOf('--') + 1);
  const t0 = process.hrtime.bigint();
  const said: string[] = [];
  const code = await main(['snapshot-etcd', '--node', node!, '--out', out!, '--json', ...flags], (s) => said.push(s), (s) => process.stderr.write(s + '\n'));
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  console.log(JSON.stringify({ ms, maxRssMiB: process.resourceUsage().maxRSS / 1024, code, record: code === 0 ? JSON.parse(said.join('\n')) : null }));
}

run().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
