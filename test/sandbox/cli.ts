// npm run sandbox -- up|down|status|build [--real-node] [--real-ha]|restart-apiserver|fault [--scenario NAME] [--name NAME]
import { up, down, status } from './lib/sandbox';
import { ensurePrerequisites } from './lib/sandbox';
import { scenarioNames } from './lib/scenario';
import { cacheRoot, instanceDir } from './lib/paths';
import { restartApiserver, currentApiserverBinary } from './lib/apiserver-restart';
import { setFault } from './lib/noderoot';
import { realNodeUnsupported } from './realnode/node';
import { ensureRealPrerequisites } from './realnode/up';
import { ensureImages } from './realnode/images';
import { buildRealHa } from './realha/cluster';

function arg(flag: string, def: string): string {
  const i = process.argv.indexOf(flag);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : def;
}

async function main(): Promise<number> {
  const cmd = process.argv[2];
  const name = arg('--name', process.env.KUBEADM_UPGRADE_SANDBOX_NAME || 'default');
  switch (cmd) {
    case 'up': {
      const st = await up(name, arg('--scenario', 'healthy'));
      console.log(`kubeconfig: ${st.kubeconfig}`);
      if (st.sshConfig) console.log(`ssh_config: ${st.sshConfig}`);
      console.log(`try: kubectl --kubeconfig ${st.kubeconfig} get nodes -o wide`);
      if (st.sshConfig) console.log(`     ssh -F ${st.sshConfig} ${st.nodes[0].name} kubeadm version -o short`);
      return 0;
    }
    case 'down': await down(name); return 0;
    case 'status': console.log(status(name)); return 0;
    case 'restart-apiserver': {
      // Fault on demand: restart the real apiserver (same binary) after --delay-ms, with
      // --down-ms of downtime; e.g. start it, then drain, to hit the restart mid-drain.
      const dir = instanceDir(name);
      const delay = Number(arg('--delay-ms', '0'));
      if (delay) await new Promise((r) => setTimeout(r, delay));
      const pid = await restartApiserver(dir, currentApiserverBinary(dir), Number(arg('--down-ms', '2000')));
      console.log(`kube-apiserver restarted (pid ${pid})`);
      return 0;
    }
    case 'fault': {
      // npm run sandbox -- fault NODE STEP KIND   (KIND "" or "none" clears)
      const [node, step, kind] = process.argv.slice(3).filter((a, i, all) => !a.startsWith('--') && !(all[i - 1] ?? '').startsWith('--'));
      if (!node || !step) { console.error('usage: fault NODE STEP fail|hang|drop|never-ready|none'); return 2; }
      setFault(instanceDir(name), node, step, kind === 'none' ? '' : (kind ?? ''));
      console.log(`${node}: ${step}=${kind ?? ''}`);
      return 0;
    }
    case 'build': {
      await ensurePrerequisites(true);
      // --real-node: also what the real-control-plane scenario needs (its packages, binaries and images), or
      // why this machine cannot run it (its tests are then skipped with that reason).
      if (process.argv.includes('--real-node')) {
        const why = realNodeUnsupported();
        if (why) console.log(`real-control-plane: not built: ${why}`);
        else { await ensureRealPrerequisites(); ensureImages((m) => process.stderr.write(`[sandbox] ${m}\n`)); }
      }
      // --real-ha: also the real-ha scenario's Debian root, kubectl at K8S_OLD and its signed package repository.
      if (process.argv.includes('--real-ha')) {
        const why = realNodeUnsupported();
        if (why) console.log(`real-ha: not built: ${why}`);
        else await buildRealHa();
      }
      console.log(`binaries in ${cacheRoot()}`);
      return 0;
    }
    default:
      console.error(`usage: npm run sandbox -- up|down|status|build [--real-node] [--real-ha]|restart-apiserver|fault [--scenario ${scenarioNames().join('|')}] [--name NAME]`);
      return 2;
  }
}

main().then((c) => process.exit(c), (e: Error) => { console.error(`sandbox: ${e.message}`); process.exit(1); });
