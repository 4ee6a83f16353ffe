import type { NodeExecutor } from '../exec/executor';
import { sh, validatePath, validateVersion, type ShellCommand } from '../exec/shell';
import { findConfiguredPatches } from './configuredPatches';
import { parseHeadListing, patchFile, type PatchFile } from './patches';
import { buildUpgradeDiff, type UpgradeDiff } from './upgradeDiff';

/**
 * Larger than any static Pod manifest: go-difflib then prints one hunk holding both files whole, so they can be read
 * by meaning rather than line by line (kubeadm ≥ 1.31 defaults to 0 context lines).
 */
export const WHOLE_FILE_CONTEXT = 10000;

/** `kubeadm upgrade diff <version>`: the version always explicit, so kubeadm never looks up "stable" online. */
export function kubeadmDiffCommand(version: string): ShellCommand {
  return sh`kubeadm upgrade diff ${validateVersion(version)} --context-lines ${WHOLE_FILE_CONTEXT}`;
}

/** Every file of a patches folder with its name (`head -v` headers); exit ≠ 0 when the folder does not exist. */
export function listPatchesCommand(dir: string): ShellCommand {
  return sh`find ${validatePath(dir)} -maxdepth 1 -type f -exec head -v -n 100000 -- {} +`;
}

/** Where a patches folder given by the user comes from, as the plan says it. */
export const PATCHES_SETTING = 'the setting kubeadm.upgrade.patchesDir / --patches';

/** Thrown when kubeadm's diff cannot be had (the message says why: kubeadm's own error, the connection). */
export class DiffUnavailable extends Error {}

/** The patches folder's kubeadm patches on the node, or undefined when the node has no such folder. */
export async function readPatches(executor: NodeExecutor, dir: string): Promise<PatchFile[] | undefined> {
  const r = await executor.run(listPatchesCommand(dir), { sudo: true, timeoutMs: 60_000 });
  if (r.exitCode !== 0) return undefined;
  return parseHeadListing(r.stdout).flatMap((f) => patchFile(f.name, f.content) ?? []);
}

/**
 * What `kubeadm upgrade apply/node` to `target` changes on a control plane and which hand edits it erases: kubeadm's
 * own diff against the target and against the `current` version, read by meaning; with `patchesDir` (when the node
 * has that folder), kubeadm's manifests with its patches applied. Without `patchesDir`, the folder named in the node's
 * kubeadm configuration files (`patches.directory`), as Upgrade Node/Cluster use it. Shared by `kubeadm-upgrade diff`,
 * the `manifest-drift` readiness check and the Plan view.
 */
export async function collectUpgradeDiff(executor: NodeExecutor, o: { node: string; current: string; target: string; patchesDir?: string; patchesSource?: string }): Promise<UpgradeDiff> {
  const run = async (version: string) => {
    const r = await executor.run(kubeadmDiffCommand(version), { sudo: true, timeoutMs: 180_000 });
    if (r.exitCode !== 0) {
      const why = r.failure ?? (r.stderr.trim() || r.stdout.trim() || `exit ${r.exitCode}`).split('\n').filter((l) => !/^To see the stack trace/.test(l)).slice(-2).join(' ');
      throw new DiffUnavailable(`kubeadm upgrade diff ${version} on ${o.node} failed: ${why}`);
    }
    return `${r.stdout}\n${r.stderr}`;
  };
  const targetOutput = await run(o.target);
  const currentOutput = o.current === o.target ? targetOutput : await run(o.current);
  const folder = o.patchesDir ? { dir: o.patchesDir, source: o.patchesSource ?? PATCHES_SETTING } : await findConfiguredPatches(executor, 'apply');
  const files = folder ? await readPatches(executor, folder.dir) : undefined;
  return buildUpgradeDiff({ node: o.node, current: o.current, target: o.target, targetOutput, currentOutput, ...(folder && files ? { patches: { ...folder, files } } : {}) });
}
