import { formatVersion } from '../../version';
import { apiRowName, apiVerdict, kindsToScan, manifestObjects, type ApiVerdict } from '../apiRemovals';
import type { ReadinessContext } from '../context';
import { API_LIFECYCLE_SOURCE } from '../data/apiLifecycle';
import type { HelmRelease } from '../ports';
import { result, type CheckResult } from '../types';
import { notRun, type Check } from './check';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const MAX_NAMED = 20;

const named = (items: readonly string[]) => (items.length > MAX_NAMED ? [...items.slice(0, MAX_NAMED), `… and ${items.length - MAX_NAMED} more`] : [...items]);

function verdictText(v: ApiVerdict, ctx: ReadinessContext): string {
  return v.state === 'removed'
    ? `${apiRowName(v.row)} is not served from ${v.row.removed} (target ${formatVersion(ctx.target)})`
    : `${apiRowName(v.row)} is deprecated since ${v.row.deprecated} and removed in ${v.row.removed}`;
}

const replacementText = (v: ApiVerdict) => (v.row.replacement ? `use ${v.row.replacement}` : 'move to a version the target serves');

/** Where objects of a kind can be listed: the replacement's group/version, else the group's v1, and the old one. */
function listings(target: ReadinessContext['target']): { group: string; version: string; kind: string }[] {
  const seen = new Map<string, { group: string; version: string; kind: string }>();
  const add = (group: string, version: string, kind: string) => seen.set(`${group}/${version}/${kind}`, { group, version, kind });
  for (const r of kindsToScan(target)) {
    const m = r.replacement ? /^(?:(.*)\/)?([^/ ]+) (\S+)$/.exec(r.replacement) : null;
    if (m) add(m[1] ?? '', m[2]!, m[3]!);
    else add(r.group, 'v1', r.kind);
    add(r.group, r.version, r.kind);
  }
  return [...seen.values()];
}

/** Objects whose last-applied-configuration names a group/version the target deprecates or no longer serves. */
async function storedObjects(ctx: ReadinessContext): Promise<CheckResult[]> {
  const byApi = new Map<string, { v: ApiVerdict; objects: Set<string> }>();
  const failures: string[] = [];
  let read = 0;
  await Promise.all(
    listings(ctx.target).map(async (l) => {
      let objects;
      try {
        objects = await ctx.deps.api.objectsOf(l.group, l.version, l.kind);
      } catch (e) {
        failures.push((e as Error).message);
        return;
      }
      for (const o of objects ?? []) {
        read++;
        const text = o.annotations?.[LAST_APPLIED];
        if (!text) continue;
        let applied: { apiVersion?: unknown; kind?: unknown };
        try {
          applied = JSON.parse(text) as typeof applied;
        } catch {
          continue;
        }
        if (typeof applied.apiVersion !== 'string' || typeof applied.kind !== 'string') continue;
        const v = apiVerdict(applied.apiVersion, applied.kind, ctx.target);
        if (!v) continue;
        const key = apiRowName(v.row);
        const entry = byApi.get(key) ?? { v, objects: new Set<string>() };
        entry.objects.add(`${applied.kind}/${o.namespace ? `${o.namespace}/` : ''}${o.name}`);
        byApi.set(key, entry);
      }
    }),
  );
  const out: CheckResult[] = [...byApi.values()].map(({ v, objects }) => {
    const list = [...objects].sort();
    return result('removed-api-in-use', v.state === 'removed' ? 'blocker' : 'warning', null,
      `${list.length} object(s) were last applied as ${apiRowName(v.row)}: ${verdictText(v, ctx)}`,
      [...named(list).map((o) => `${o}: ${LAST_APPLIED} apiVersion ${v.row.group ? `${v.row.group}/` : ''}${v.row.version}`), `table: ${API_LIFECYCLE_SOURCE}`],
      `Update the manifests these objects come from (${replacementText(v)}; \`kubectl convert\` rewrites a file) and apply them again — \`kubectl apply\` of the old file fails once ${v.row.version} is not served. The stored objects themselves are converted by the apiserver.`);
  });
  if (failures.length > 0) out.push(notRun('removed-api-in-use', null, `stored objects: ${[...new Set(failures)].join('; ')}`));
  else if (out.length === 0) out.push(result('removed-api-in-use', 'ok', null, `No stored object was last applied with an API the target deprecates or removes (${read} object(s) of ${listings(ctx.target).length} kind/version(s) read)`, [`table: ${API_LIFECYCLE_SOURCE}`]));
  return out;
}

/** The revision Helm compares against on its next upgrade: the newest one of each release. */
function latestRevisions(releases: readonly HelmRelease[]): HelmRelease[] {
  const latest = new Map<string, HelmRelease>();
  for (const r of releases) {
    const key = `${r.namespace}/${r.name}`;
    const had = latest.get(key);
    if (!had || r.revision > had.revision) latest.set(key, r);
  }
  return [...latest.values()].sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
}

async function helmReleases(ctx: ReadinessContext): Promise<CheckResult[]> {
  let all;
  try {
    all = await ctx.deps.api.helmReleases();
  } catch (e) {
    return [notRun('removed-api-in-use', null, `Helm releases: ${(e as Error).message}`)];
  }
  const out: CheckResult[] = [];
  const releases = latestRevisions(all);
  for (const r of releases) {
    const what = `Helm release ${r.namespace}/${r.name} (revision ${r.revision}, ${r.status}${r.chart ? `, chart ${r.chart}` : ''})`;
    if (r.error) {
      out.push(notRun('removed-api-in-use', null, `${what}: its stored release could not be decoded (${r.error}) in ${r.storage}`));
      continue;
    }
    let objects;
    try {
      objects = manifestObjects(r.manifest);
    } catch (e) {
      out.push(notRun('removed-api-in-use', null, `${what}: its manifest is not YAML (${(e as Error).message})`));
      continue;
    }
    const hits = objects.flatMap((o) => {
      const v = apiVerdict(o.apiVersion, o.kind, ctx.target);
      return v ? [{ o, v }] : [];
    });
    if (hits.length === 0) continue;
    const removed = hits.some((h) => h.v.state === 'removed');
    out.push(result('removed-api-in-use', removed ? 'blocker' : 'warning', null,
      `${what} has ${hits.length} object(s) in ${[...new Set(hits.map((h) => apiRowName(h.v.row)))].join(', ')}: ${removed ? `its next \`helm upgrade\` fails on ${formatVersion(ctx.target)} ("unable to build kubernetes objects from current release manifest")` : 'deprecated, removed in a later minor'}`,
      [r.storage, ...named(hits.map((h) => `${h.o.apiVersion} ${h.o.kind}${h.o.name ? ` ${h.o.namespace ? `${h.o.namespace}/` : ''}${h.o.name}` : ''}: ${verdictText(h.v, ctx)}`)), `table: ${API_LIFECYCLE_SOURCE}`],
      `Rewrite the stored release with the helm-mapkubeapis plugin (\`helm mapkubeapis ${r.name} --namespace ${r.namespace}\`), then upgrade to a chart version that uses ${[...new Set(hits.map((h) => h.v.row.replacement ?? 'a served version'))].join(', ')}.`));
  }
  if (out.length === 0) out.push(result('removed-api-in-use', 'ok', null, `No Helm release uses an API the target deprecates or removes (${releases.length} release(s) read)`, releases.map((r) => r.storage)));
  return out;
}

/**
 * `removed-api-in-use`: what the apiserver's request metric cannot see — stored objects whose last-applied
 * configuration names an API the target does not serve (re-applying that manifest fails), and Helm releases whose
 * stored manifest does (the release's next upgrade fails). Both against the table generated from k8s.io/api.
 */
export const removedApiInUse: Check = {
  id: 'removed-api-in-use',
  async run(ctx) {
    const [stored, helm] = await Promise.all([storedObjects(ctx), helmReleases(ctx)]);
    return [...stored, ...helm];
  },
};
