// kubectl drain (and `oc adm drain`): the PodDisruptionBudget refusal, the filter refusals (pods without a
// controller, emptyDir/local storage, DaemonSet pods), current and older wordings (kubectl pkg/drain/filters.go), and
// the global timeout (`There are pending pods in node "…" when an error occurred: […global timeout reached: 6m0s…]`,
// then the pods still there as `pod/<name>` lines, kubectl pkg/cmd/drain).
import type { Acc, Recogniser } from './acc';
import type { FindingId } from './catalog';

// `cannot delete Pods that declare no controller (use --force to override): default/httpd, default/trust`
// older: `pods with local storage (use --delete-local-data to override): a; DaemonSet-managed pods (use --ignore-daemonsets to ignore): b`
const FILTER = /(?:Pods that declare no controller|pods? (?:not )?managed by [^(]*|[Pp]ods with local storage|DaemonSet-managed [Pp]ods)\s*\(use (--[\w-]+) to (?:override|ignore)\):\s*(.*?)(?=, cannot delete|; |\]|, continuing command|$)/g;

const FLAG_ID: Record<string, FindingId> = {
  '--force': 'drain-unmanaged-pods',
  '--delete-emptydir-data': 'drain-local-storage',
  '--delete-local-data': 'drain-local-storage',
  '--ignore-daemonsets': 'drain-daemonset-pods',
};

function nodeOf(text: string, acc: Acc): void {
  const m =
    /^node\/(\S+) (?:cordoned|already cordoned|drained)$/.exec(text) ??
    /node "([^"]+)" (?:already )?cordoned/.exec(text) ??
    /unable to drain node "([^"]+)"/.exec(text) ??
    /There are pending pods in node "([^"]+)"/.exec(text);
  if (m) acc.node = m[1]!;
}

const GLOBAL_TIMEOUT = /global timeout reached: (\w+)/;

/** The pods a timeout error names: `pod "a" terminating`, `pods/"b" -n "ns"` (as `ns/b`). */
function timedOutPods(text: string): string[] {
  return [...text.matchAll(/(?:waiting for pod "([^"]+)"|evicting pods?\/"([^"]+)"(?: -n "([^"]+)")?)[^,\]]*global timeout reached/g)].map((m) =>
    m[1] ?? (m[3] ? `${m[3]}/${m[2]}` : m[2]!),
  );
}

function addPending(acc: Acc, pods: readonly string[]): void {
  const t = acc.raw.find((r) => r.id === 'drain-timeout');
  if (!t) return;
  const items = [...t.facts.items ?? []];
  for (const p of pods) if (!items.some((i) => i === p || i.endsWith(`/${p}`) || p.endsWith(`/${i}`))) items.push(p);
  t.facts = { ...t.facts, items };
}

export const DRAIN_FAILURES: readonly Recogniser[] = [
  function globalTimeout(_e, acc, msg) {
    const m = GLOBAL_TIMEOUT.exec(msg);
    if (!m) return false;
    nodeOf(msg, acc);
    acc.mark('drain');
    acc.fatal = true;
    const first = !acc.raw.some((r) => r.id === 'drain-timeout');
    acc.add('drain-timeout', { phase: 'drain', value: m[1]! }, msg);
    addPending(acc, timedOutPods(msg));
    // `There are pending pods in node "…" when an error occurred: […]` is followed by the pods still there, one a line.
    if (first && /^There are pending pods in node/.test(msg)) acc.listMode = 'pending-pods';
    return true;
  },
  function pendingPod(e, acc) {
    const m = /^pod\/(\S+)$/.exec(e.text);
    if (!m || acc.listMode !== 'pending-pods') return false;
    addPending(acc, [m[1]!]);
    return true;
  },
  function unableToDrain(e, acc) {
    // `error: unable to drain node "x", aborting command...` after the timeout: the node, said again.
    if (!/^error: unable to drain node "[^"]+", aborting command/.test(e.text)) return false;
    nodeOf(e.text, acc);
    acc.listMode = null;
    acc.fatal = true;
    if (!acc.raw.some((r) => r.id.startsWith('drain-'))) acc.lastError = { message: e.text, phase: 'drain' };
    return true;
  },
  function pdb(e, acc) {
    const m =
      /error when evicting pods\/"([^"]+)" -n "([^"]+)".*Cannot evict pod as it would violate the pod's disruption budget/.exec(e.text) ??
      /error when evicting pod "([^"]+)"().*Cannot evict pod as it would violate the pod's disruption budget/.exec(e.text);
    if (!m) return false;
    acc.mark('drain');
    acc.add('drain-pdb-blocked', { phase: 'drain', items: [m[2] ? `${m[2]}/${m[1]}` : m[1]!] }, e.text.replace(/^.*?(error when evicting)/, '$1'));
    return true;
  },
  function filters(e, acc) {
    const hits = [...e.text.matchAll(FILTER)];
    if (hits.length === 0) return false;
    nodeOf(e.text, acc);
    acc.mark('drain');
    for (const h of hits) {
      const id = FLAG_ID[h[1]!];
      if (!id) continue;
      const pods = h[2]!.split(/,\s*/).map((p) => p.trim()).filter(Boolean);
      acc.add(id, { phase: 'drain', items: pods }, h[0].trim());
    }
    acc.fatal = true;
    return true;
  },
  function nodeLines(e, acc) {
    if (!/^node\/\S+ (?:cordoned|already cordoned|drained|uncordoned)$|^node "[^"]+" (?:already )?cordoned$/.test(e.text)) return false;
    nodeOf(e.text, acc);
    acc.mark('drain');
    if (/ drained$/.test(e.text)) acc.done = true;
    return true;
  },
  function progress(e, acc) {
    if (!/^evicting pod \S+$|^pod\/\S+ evicted$|^Warning: ignoring DaemonSet-managed Pods: |^WARNING: (?:ignoring|deleting|About to delete)|^There are pending nodes to be drained:$/.test(e.text)) return false;
    acc.mark('drain');
    // The node names that follow, one a line.
    if (e.text.startsWith('There are pending')) acc.listMode = 'other';
    return true;
  },
];
