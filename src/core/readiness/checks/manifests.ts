import { collectUpgradeDiff } from '../../manifestDiff/collect';
import { archiveReadableCommand, CRICTL_IMAGES, imageRepositoryOf, imagesListCommand, missingImages, parseCrictlImages, parseImagesList, registryOf, registryReachableCommand } from '../../images/targetImages';
import { formatVersion } from '../../version';
import { CannotRun, commandEvidence, failureText } from '../context';
import { result } from '../types';
import type { Check } from './check';
import { nodeAccess, perNode } from './nodeAccess';

export const DRIFT_FIX =
  'Move each hand edit where kubeadm keeps it: flags into the ClusterConfiguration (`apiServer.extraArgs`, `controllerManager.extraArgs`, ' +
  '`scheduler.extraArgs`), volumes into its `extraVolumes` (`kubectl -n kube-system edit cm kubeadm-config`, or `kubeadm upgrade apply --config` ' +
  'with an UpgradeConfiguration), or into a patches folder on the node (e.g. /etc/kubernetes/patches/kube-apiserver+json.yaml) named in the ' +
  'setting kubeadm.upgrade.patchesDir / `--patches DIR`, which Upgrade Node/Cluster pass to `kubeadm upgrade apply/node`. Or override `manifest-drift` to let the upgrade erase them.';

/**
 * `manifest-drift`: kubeadm's own `upgrade diff` against the *current* version on each control plane — what differs is
 * a hand edit that `kubeadm upgrade apply/node` regenerates away. A blocker (overridable by id), naming each file and
 * flag or field; with a patches folder, the edits a patch re-applies are kept, not lost.
 */
export const manifestDrift: Check = {
  id: 'manifest-drift',
  async run(ctx) {
    const cps = (await ctx.snapshot()).nodes.filter((n) => n.controlPlane);
    return perNode(ctx, 'manifest-drift', cps, async (n) => {
      await nodeAccess(ctx, n);
      const current = n.controlPlaneComponents['kube-apiserver']?.version;
      if (!current) throw new CannotRun(`the version of ${n.name}'s kube-apiserver cannot be read from its mirror pod`);
      const v = formatVersion(current);
      const d = await collectUpgradeDiff(await ctx.executor(n), { node: n.name, current: v, target: v, ...(ctx.deps.patchesDir ? { patchesDir: ctx.deps.patchesDir } : {}) });
      const kept = d.keptByPatches.map((l) => `kept by ${d.patches?.dir}: ${l.file}: ${l.text}`);
      const cmd = `$ kubeadm upgrade diff ${v} --context-lines 10000`;
      if (d.lost.length === 0) {
        return [result('manifest-drift', 'ok', n.name, `${n.name}'s static Pod manifests are what kubeadm writes at ${v}${kept.length ? ` with the patches in ${d.patches!.dir} (${kept.length} hand edit(s) kept)` : ''}: nothing is lost by the upgrade`, [cmd, ...kept])];
      }
      const evidence = [cmd, ...d.lost.map((l) => `will be lost: ${l.file}: ${l.text}${l.becomes ? ` → ${l.becomes}` : ''}`), ...kept];
      return [result('manifest-drift', 'blocker', n.name, `${d.lost.length} hand edit(s) in ${n.name}'s static Pod manifests will be lost by \`kubeadm upgrade\`: ${d.lost.map((l) => `${l.component} ${l.text}`).join('; ')}`, evidence, DRIFT_FIX)];
    });
  },
};

/**
 * `images-available`: the target's images (`kubeadm config images list --kubernetes-version <target>`, with the
 * cluster's imageRepository) against each control plane's runtime (`crictl images`). Missing: a warning when the node
 * reaches the registry (the upgrade pulls them before the apply), a blocker when it cannot (air-gapped: import them).
 */
export const imagesAvailable: Check = {
  id: 'images-available',
  async run(ctx) {
    const cps = (await ctx.snapshot()).nodes.filter((n) => n.controlPlane);
    const target = formatVersion(ctx.target);
    const repo = imageRepositoryOf((await ctx.kubeadmConfig())?.['ClusterConfiguration']);
    return perNode(ctx, 'images-available', cps, async (n) => {
      await nodeAccess(ctx, n);
      const listCmd = imagesListCommand(target, repo);
      const list = await ctx.run(n, listCmd, true);
      if (list.exitCode !== 0) throw new CannotRun(`${String(listCmd)} on ${n.name}: ${failureText(list)}`);
      const listed = parseImagesList(list.stdout);
      if (listed.length === 0) throw new CannotRun(`${String(listCmd)} on ${n.name} listed no image (${failureText(list)})`);
      const have = await ctx.run(n, CRICTL_IMAGES, true);
      if (have.exitCode !== 0) throw new CannotRun(`crictl images on ${n.name}: ${failureText(have)}`);
      let present: Set<string>;
      try {
        present = parseCrictlImages(have.stdout);
      } catch (e) {
        throw new CannotRun(`crictl images -o json on ${n.name}: ${(e as Error).message}`);
      }
      const missing = missingImages(listed, present);
      const kubeadmNote = n.kubeadm?.version && formatVersion(n.kubeadm.version) !== target ? ` (as kubeadm ${formatVersion(n.kubeadm.version)} on ${n.name} lists them; the target's kubeadm may name other etcd/CoreDNS/pause tags)` : '';
      const evidence = [...commandEvidence(String(listCmd), list, 15), `$ ${String(CRICTL_IMAGES)}: ${present.size} image tag(s)`];
      if (missing.length === 0) return [result('images-available', 'ok', n.name, `All ${listed.length} images of ${target} are on ${n.name}${kubeadmNote}`, evidence)];
      const registries = [...new Set(missing.map(registryOf))];
      const unreachable: string[] = [];
      for (const host of registries) {
        const probe = await ctx.run(n, registryReachableCommand(host), false, 30_000);
        evidence.push(`$ ${String(registryReachableCommand(host))}${probe.exitCode === 0 ? ': reachable' : `: not reachable (${failureText(probe)})`}`);
        if (probe.exitCode !== 0) unreachable.push(host);
      }
      const pull = `kubeadm config images pull --kubernetes-version ${target}${repo ? ` --image-repository ${repo}` : ''}`;
      const message = `${missing.length} of ${listed.length} images of ${target} are not on ${n.name}: ${missing.join(', ')}${kubeadmNote}`;
      if (unreachable.length === 0) {
        if (ctx.deps.prepullImages === false) {
          return [result('images-available', 'warning', n.name, `${message}; ${n.name} reaches ${registries.join(', ')}, but pre-pull is off: \`kubeadm upgrade\` pulls them itself, while the control plane is down`, evidence,
            `Turn the pre-pull back on (setting kubeadm.upgrade.prepullImages, or run without \`--no-pre-pull\`), so Upgrade Node/Cluster pull them before the drain; or beforehand: \`sudo ${pull}\` on ${n.name}.`)];
        }
        return [result('images-available', 'warning', n.name, `${message}; ${n.name} reaches ${registries.join(', ')}: the upgrade pulls them before the drain and the apply`, evidence,
          `Nothing to do: Upgrade Node/Cluster pull them first (setting kubeadm.upgrade.prepullImages, on by default); or beforehand: \`sudo ${pull}\` on ${n.name}.`)];
      }
      const archive = ctx.deps.imagesArchive;
      if (archive) {
        // The upgrade imports the archive before the apply (and fails there, before any downtime, if an image is still missing).
        const there = await ctx.run(n, archiveReadableCommand(archive), true, 30_000);
        evidence.push(`$ ${String(archiveReadableCommand(archive))}${there.exitCode === 0 ? ': readable' : `: ${failureText(there)}`}`);
        if (there.exitCode === 0) {
          return [result('images-available', 'warning', n.name, `${message}; ${n.name} cannot reach ${unreachable.join(', ')} (air-gapped): the upgrade imports ${archive} before the apply`, evidence,
            `Make sure ${archive} on ${n.name} holds them (the import step checks each image and stops before \`kubeadm upgrade\` if one is still missing).`)];
        }
      }
      return [result('images-available', 'blocker', n.name, `${message}; ${n.name} cannot reach ${unreachable.join(', ')} (air-gapped): \`kubeadm upgrade\` would fail pulling them${archive ? `, and the archive ${archive} is not readable there` : ''}`, evidence,
        `Bring them from an archive: \`sudo ctr -n k8s.io images import <archive.tar>\` on ${n.name}, or name the archive (on the node) in the setting kubeadm.upgrade.imagesArchive / \`--images-archive FILE\` and Upgrade Node/Cluster import it before the apply; with a registry reachable: \`sudo ${pull}\`.`)];
    });
  },
};
