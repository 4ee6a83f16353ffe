import type { NodeExecutor } from '../exec/executor';
import { findConfiguredPatches, type ConfiguredPatches } from '../manifestDiff/configuredPatches';
import type { ClusterSnapshot } from '../snapshot/model';
import type { KubeVersion } from '../version';
import { checkUpgrade, type Guard } from './guards';
import { DETECT_PACKAGE_MANAGER, freshVersionsCommand, parseAvailableVersions, parsePackageManager, type PackageManager, type PackageVersion } from './packages';
import type { UpgradeContext, UpgradeOptions } from './phases';
import { FIND_REPO_LINES, parseRepoLines, planRepoChange, type RepoLine } from './repo';

/** What the node says it can install: its package manager, its pkgs.k8s.io repo lines, the kubeadm versions offered. */
export interface NodeFacts {
  readonly packageManager: PackageManager;
  readonly repo: readonly RepoLine[];
  readonly versions: readonly PackageVersion[];
  /** The patches folder the node's kubeadm configuration files name, for `upgrade apply` and for `upgrade node` (when any). */
  readonly configuredPatches?: { readonly apply?: ConfiguredPatches; readonly node?: ConfiguredPatches };
}

/**
 * Three read-only commands on the node; nothing is changed. The node's name is only used in messages here: it was
 * checked where it became a host to reach (the executor's NodeAccess, or the CLI's argument parsing).
 */
export async function gatherNodeFacts(nodeName: string, executor: NodeExecutor): Promise<NodeFacts> {
  const pmOut = await executor.run(DETECT_PACKAGE_MANAGER, { timeoutMs: 60_000 });
  // No exit status: the command never ran (SSH refused, timed out, dropped). Say that, not "no package manager".
  if (pmOut.exitCode === null) throw new Error(`cannot run commands on ${nodeName} (${executor.description}): ${pmOut.failure ?? 'no exit status'}`);
  const packageManager = parsePackageManager(pmOut.stdout);
  if (!packageManager) {
    throw new Error(`no apt-get, dnf or yum found on ${nodeName} (${pmOut.failure ?? (pmOut.stdout.trim() || pmOut.stderr.trim() || `exit ${pmOut.exitCode}`)})`);
  }
  const repoOut = await executor.run(FIND_REPO_LINES, { timeoutMs: 60_000 });
  if (repoOut.exitCode === null) throw new Error(`${nodeName}: ${repoOut.failure ?? 'no exit code'}`);
  // Refreshed first (sudo), so the versions offered include a patch published since the node's last refresh.
  const versionsOut = await executor.run(freshVersionsCommand(packageManager, 'kubeadm'), { sudo: true, timeoutMs: 180_000 });
  const configuredPatches = await configuredPatchesOf(executor);
  return { packageManager, repo: parseRepoLines(repoOut.stdout), versions: parseAvailableVersions(versionsOut.stdout, 'kubeadm'), ...(configuredPatches ? { configuredPatches } : {}) };
}

/** The patches folder named in the node's kubeadm configuration, per kubeadm command; nothing when none is, or it cannot be read. */
async function configuredPatchesOf(executor: NodeExecutor): Promise<NodeFacts['configuredPatches']> {
  const [apply, node] = [await findConfiguredPatches(executor, 'apply').catch(() => undefined), await findConfiguredPatches(executor, 'node').catch(() => undefined)];
  return apply || node ? { ...(apply ? { apply } : {}), ...(node ? { node } : {}) } : undefined;
}

export interface Prepared {
  readonly context: UpgradeContext;
  readonly guards: readonly Guard[];
}

/**
 * A control plane's patches folder: the one the user named (setting / `--patches`) wins; else the one its kubeadm
 * configuration names for the command it will run (`upgrade apply` on the first control plane, `upgrade node` after).
 */
function withConfiguredPatches(options: UpgradeOptions, role: UpgradeContext['role'], facts: NodeFacts): UpgradeOptions {
  if (role === 'worker' || options.patchesDir) return options;
  const found = role === 'first-control-plane' ? facts.configuredPatches?.apply : facts.configuredPatches?.node;
  return found ? { ...options, patchesDir: found.dir, patchesSource: found.source } : options;
}

/** The run's context for a chosen target, and the guards to honour (refuse) or ask about before it starts. */
export function buildContext(cluster: string, snapshot: ClusterSnapshot, nodeName: string, facts: NodeFacts, target: KubeVersion, options: UpgradeOptions, now: Date): Prepared {
  const decision = checkUpgrade(snapshot, nodeName, target);
  const exact = facts.versions.find((p) => p.version.major === target.major && p.version.minor === target.minor && p.version.patch === target.patch);
  const repoChange = planRepoChange(facts.repo, target);
  const context: UpgradeContext = {
    cluster,
    node: nodeName,
    role: decision.role,
    target,
    packageManager: facts.packageManager,
    // The docs' `1.32.3-*` glob when the repo lists no exact build yet (it will after the repo switch).
    packageVersion: exact?.packageVersion ?? `${target.major}.${target.minor}.${target.patch}-*`,
    ...(repoChange ? { repoChange } : {}),
    stamp: now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z'),
    options: withConfiguredPatches(options, decision.role, facts),
  };
  return { context, guards: decision.guards };
}
