import { raw } from '../../exec/shell';
import type { NodeSnapshot } from '../../snapshot/model';
import { DETECT_PACKAGE_MANAGER, freshVersionsCommand, parseAvailableVersions, parsePackageManager, type PackageManager } from '../../upgrade/packages';
import { FIND_REPO_LINES, parseRepoLines, planRepoChange, repoDiffText } from '../../upgrade/repo';
import { formatMinor, formatVersion } from '../../version';
import { CannotRun, commandEvidence, failureText, type ReadinessContext } from '../context';
import { result, type CheckResult } from '../types';
import { notRun, type Check } from './check';

const SUDO_PROBE = raw('true');

/** Per node, once per run: reachable (host key accepted by the executor), sudo works, a package manager is found. */
const accessByNode = new WeakMap<ReadinessContext, Map<string, Promise<PackageManager>>>();

export function nodeAccess(ctx: ReadinessContext, node: NodeSnapshot): Promise<PackageManager> {
  let m = accessByNode.get(ctx);
  if (!m) accessByNode.set(ctx, (m = new Map()));
  let p = m.get(node.name);
  if (!p) {
    p = (async () => {
      let sudo;
      try {
        sudo = await ctx.run(node, SUDO_PROBE, true, 30_000);
      } catch (e) {
        if (e instanceof CannotRun) throw e; // the host reached is not this Node: that is the reason, not "unreachable"
        throw new CannotRun(`${node.name} is not reachable: ${(e as Error).message}`);
      }
      if (sudo.exitCode !== 0) throw new CannotRun(`${node.name}: ${sudo.exitCode === null ? `not reachable (${failureText(sudo)})` : `sudo does not work (${failureText(sudo)})`}`);
      const pm = await ctx.run(node, DETECT_PACKAGE_MANAGER);
      if (pm.exitCode === null) throw new CannotRun(`${node.name} is not reachable: ${failureText(pm)}`);
      const found = parsePackageManager(pm.stdout);
      if (!found) throw new CannotRun(`${node.name}: no apt-get, dnf or yum found (${failureText(pm)})`);
      return found;
    })();
    m.set(node.name, p);
  }
  return p;
}

/** Runs `f` for every node in parallel; a node that cannot be checked gets a "could not run" result. */
export async function perNode(_ctx: ReadinessContext, id: Check['id'], nodes: readonly NodeSnapshot[], f: (n: NodeSnapshot) => Promise<CheckResult[]>, blockerWhenNotRun = false): Promise<CheckResult[]> {
  const all = await Promise.all(
    nodes.map((n) =>
      f(n).catch((e: unknown) => [notRun(id, n.name, e instanceof Error ? e.message : String(e), blockerWhenNotRun)]),
    ),
  );
  return all.flat();
}

export const nodeAccessCheck: Check = {
  id: 'node-access',
  async run(ctx) {
    const nodes = (await ctx.snapshot()).nodes;
    return perNode(ctx, 'node-access', nodes, async (n) => {
      const pm = await nodeAccess(ctx, n);
      const ex = await ctx.executor(n);
      return [result('node-access', 'ok', n.name, `${n.name} reachable (${ex.description}), sudo works, package manager ${pm}`, [ex.description, `package manager: ${pm}`])];
    }, true);
  },
};

/** `package-repo`: the node's pkgs.k8s.io repository offers the target, or will after the per-minor switch. */
export const packageRepo: Check = {
  id: 'package-repo',
  async run(ctx) {
    const nodes = (await ctx.snapshot()).nodes;
    const t = ctx.target;
    return perNode(ctx, 'package-repo', nodes, async (n) => {
      const pm = await nodeAccess(ctx, n);
      const repoOut = await ctx.run(n, FIND_REPO_LINES);
      const lines = parseRepoLines(repoOut.stdout);
      if (lines.length === 0) {
        return [result('package-repo', 'blocker', n.name, `${n.name} has no pkgs.k8s.io repository`, commandEvidence(String(FIND_REPO_LINES), repoOut),
          'Add the community repository for the target minor (https://kubernetes.io/docs/setup/production-environment/tools/kubeadm/install-kubeadm/); the legacy apt.kubernetes.io/yum.kubernetes.io repositories are frozen.')];
      }
      const change = planRepoChange(lines, t);
      if (change) {
        return [result('package-repo', 'ok', n.name, `${n.name}'s repository is at v${formatMinor(change.from)}: the upgrade switches it to v${formatMinor(t)} first`, repoDiffText(change).split('\n'))];
      }
      // Refreshes the index first (sudo): a patch published since the node's last refresh is offered.
      const listCmd = freshVersionsCommand(pm, 'kubeadm');
      const out = await ctx.run(n, listCmd, true, 180_000);
      const versions = parseAvailableVersions(out.stdout, 'kubeadm');
      if (versions.some((v) => v.version.minor === t.minor && v.version.patch === t.patch)) {
        return [result('package-repo', 'ok', n.name, `${n.name}'s repository offers kubeadm ${formatVersion(t)}`, [`$ ${listCmd}`, ...versions.slice(0, 5).map((v) => v.packageVersion)])];
      }
      return [result('package-repo', 'blocker', n.name, `${n.name}'s repository does not offer kubeadm ${formatVersion(t)}`, commandEvidence(String(listCmd), out),
        `Pick a version the repository lists (newest: ${versions[0]?.packageVersion ?? 'none'}); if the index refresh failed (see the warning above), fix the node's access to pkgs.k8s.io.`)];
    });
  },
};
