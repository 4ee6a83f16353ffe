import { parse as parseYaml, stringify } from 'yaml';
import { changeOf, compareManifests, isEmptyChange, type ManifestChange } from './compare';
import { applyPatches, type PatchFile } from './patches';
import { parseUnifiedDiff, type FileDiff } from './unifiedDiff';

/** One hand edit the upgrade would erase: its file and the flag or field. */
export interface LostEdit {
  readonly file: string;
  readonly component: string;
  readonly kind: 'flag' | 'image' | 'volume' | 'field';
  /** `--event-ttl=2h0m0s`, `volume audit: hostPath /etc/kubernetes/audit`, … as it is in the live manifest. */
  readonly text: string;
  /** What kubeadm writes instead (`(removed)` when it writes nothing). */
  readonly becomes: string;
}

/** `kubeadm-upgrade diff` (`--json` kind `UpgradeDiff`): what apply/node changes on one control plane, and what it erases. */
export interface UpgradeDiff {
  readonly node: string;
  readonly current: string;
  readonly target: string;
  /** Per manifest, live → kubeadm's manifest at the target (patches applied when a patches folder is used). */
  readonly changes: readonly ManifestChange[];
  /** Hand edits: live → kubeadm's manifest at the *current* version. Empty: nothing would be lost. */
  readonly lost: readonly LostEdit[];
  /** Hand edits a patch of the patches folder re-applies: they survive the upgrade. */
  readonly keptByPatches: readonly LostEdit[];
  /** The patches folder used, its patch files, and where it was named (the setting / `--patches`, or the node's kubeadm configuration). */
  readonly patches?: { readonly dir: string; readonly files: readonly string[]; readonly source?: string };
  /** kubeadm's own messages, and its errors (then the lists above are incomplete). */
  readonly notes: readonly string[];
  readonly errors: readonly string[];
}

/** The hand edits a drift change (live → kubeadm at the current version) stands for. */
export function lostEdits(c: ManifestChange): LostEdit[] {
  const e = (kind: LostEdit['kind'], text: string, becomes: string): LostEdit => ({ file: c.path, component: c.component, kind, text, becomes });
  return [
    ...(c.image ? [e('image', `image: ${c.image.from}`, `image: ${c.image.to}`)] : []),
    ...c.flags.removed.map((f) => e('flag', `--${f.name}${f.value ? `=${f.value}` : ''}`, '(removed)')),
    ...c.flags.changed.map((f) => e('flag', `--${f.name}=${f.from}`, `--${f.name}=${f.to}`)),
    // A flag kubeadm writes that the live manifest lacks: the hand removal is undone.
    ...c.flags.added.map((f) => e('flag', `(no --${f.name})`, `--${f.name}${f.value ? `=${f.value}` : ''}`)),
    ...c.volumes.removed.map((v) => e('volume', v, '(removed)')),
    ...c.volumes.added.map((v) => e('volume', `(no ${v})`, v)),
    ...c.other.map((o) => e('field', o, '')),
    ...c.rawLines.map((l) => e('field', l, '')),
  ];
}

/** The file's change, with the patches folder's patches applied to kubeadm's manifest first (needs whole files). */
function changeWithPatches(f: FileDiff, patches: readonly PatchFile[] | undefined): ManifestChange {
  if (!patches || !f.whole || !patches.some((p) => p.target === f.component)) return changeOf(f);
  const patched = applyPatches(f.component, parseYaml(f.whole.generated), patches).result;
  return compareManifests(f.component, f.path, f.whole.live, stringify(patched));
}

const key = (l: LostEdit) => `${l.file}\n${l.kind}\n${l.text}`;

/**
 * The report from kubeadm's two diffs on the node: `targetOutput` (`kubeadm upgrade diff <target>`) and
 * `currentOutput` (`kubeadm upgrade diff <current>`), both with a large `--context-lines` so each manifest is whole.
 */
export function buildUpgradeDiff(o: {
  node: string; current: string; target: string; targetOutput: string; currentOutput: string;
  patches?: { dir: string; files: readonly PatchFile[]; source?: string };
}): UpgradeDiff {
  const t = parseUnifiedDiff(o.targetOutput);
  const c = parseUnifiedDiff(o.currentOutput);
  const files = o.patches?.files;
  const changes = t.files.map((f) => changeWithPatches(f, files)).filter((x) => !isEmptyChange(x));
  const lostPlain = c.files.flatMap((f) => lostEdits(changeOf(f)));
  const lost = files ? c.files.flatMap((f) => lostEdits(changeWithPatches(f, files))) : lostPlain;
  const still = new Set(lost.map(key));
  return {
    node: o.node,
    current: o.current,
    target: o.target,
    changes,
    lost,
    keptByPatches: lostPlain.filter((l) => !still.has(key(l))),
    ...(o.patches ? { patches: { dir: o.patches.dir, files: o.patches.files.map((p) => p.name), ...(o.patches.source ? { source: o.patches.source } : {}) } } : {}),
    notes: [...new Set([...t.notes, ...c.notes])],
    errors: [...t.errors, ...c.errors],
  };
}

/** The report as text, for the CLI and the extension's output. */
export function renderUpgradeDiff(d: UpgradeDiff): string {
  const out: string[] = [`What \`kubeadm upgrade\` to ${d.target} changes on ${d.node} (now ${d.current})${d.patches ? `, with the patches in ${d.patches.dir} (${d.patches.files.join(', ') || 'none for these manifests'}${d.patches.source ? `; named by ${d.patches.source}` : ''})` : ''}:`];
  if (d.changes.length === 0) out.push('  no static Pod manifest changes');
  for (const c of d.changes) {
    out.push(`  ${c.path}`);
    if (c.image) out.push(`    image: ${c.image.from} → ${c.image.to}`);
    for (const f of c.flags.added) out.push(`    + --${f.name}${f.value ? `=${f.value}` : ''}`);
    for (const f of c.flags.removed) out.push(`    - --${f.name}${f.value ? `=${f.value}` : ''}`);
    for (const f of c.flags.changed) out.push(`    ~ --${f.name}: ${f.from} → ${f.to}`);
    for (const v of c.volumes.added) out.push(`    + ${v}`);
    for (const v of c.volumes.removed) out.push(`    - ${v}`);
    for (const x of [...c.other, ...c.rawLines]) out.push(`    ~ ${x}`);
  }
  out.push('');
  if (d.lost.length === 0) out.push('Will be lost: nothing (the manifests are what kubeadm writes at the current version).');
  else {
    out.push(`Will be lost (${d.lost.length} hand edit(s) that kubeadm regenerates away):`);
    for (const l of d.lost) out.push(`  ${l.file}: ${l.text}${l.becomes ? ` → ${l.becomes}` : ''}`);
    out.push('Fix: move each into the ClusterConfiguration (apiServer/controllerManager/scheduler extraArgs, extraVolumes) and `kubeadm upgrade apply --config` with an UpgradeConfiguration, or into a patches folder (`--patches DIR`).');
  }
  if (d.keptByPatches.length > 0) {
    out.push(`Kept by the patches folder (${d.keptByPatches.length}):`);
    for (const l of d.keptByPatches) out.push(`  ${l.file}: ${l.text}`);
  }
  for (const e of d.errors) out.push(`kubeadm: ${e}`);
  return out.join('\n');
}
