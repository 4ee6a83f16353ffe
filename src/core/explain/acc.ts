// What the recognisers accumulate while reading one output. Findings are kept as raw facts and turned into text at
// the end, when every fact (the target version is often printed late) is known.
import type { Entry } from './input';
import type { FindingId } from './catalog';
import type { Facts } from './facts';
import type { ExplainContext, SkippedComponent } from './types';

export type Marker = 'apply' | 'node' | 'plan' | 'apt' | 'yum' | 'drain';

export interface RawFinding {
  id: FindingId;
  facts: Partial<Facts>;
  message: string;
  /** Overrides the catalog's severity (a klog W of a normally fatal error, a --force'd version error). */
  severity?: 'failure' | 'warning';
  /** Which run of the command printed it (a retry, or the same command typed again, starts a new one). */
  segment: number;
}

/** Ids whose repeats (one line per package, per retry, per pod) are merged into one finding with all items. */
const MERGED: ReadonlySet<FindingId> = new Set<FindingId>(['package-repo-404', 'package-repo-retired', 'package-excluded', 'drain-timeout', 'package-key-expired', 'drain-pdb-blocked', 'addons-deferred', 'drain-unmanaged-pods', 'drain-local-storage', 'drain-daemonset-pods', 'preflight-runtime-config']);

export class Acc {
  readonly markers = new Set<Marker>();
  readonly commands: string[] = [];
  readonly raw: RawFinding[] = [];
  readonly backups: string[] = [];
  readonly upgraded: string[] = [];
  readonly skipped: SkippedComponent[] = [];
  readonly addons: string[] = [];
  readonly unknown: string[] = [];
  target: string | null = null;
  node: string | null = null;
  /** kubeadm said SUCCESS (apply) / updated the node's configuration (node); drain said drained; apt/yum finished. */
  done = false;
  /** A FATAL / error line was seen, whether or not it was recognised in detail. */
  fatal = false;
  rolledBack = false;
  /** Phase tag of the last "FATAL: [preflight] Some fatal errors occurred:" line, for the items after it. */
  preflightPhase = 'preflight';
  /** After `Some fatal errors occurred:`, until kubeadm's hint: a bare line is one of the errors (kubeadm ≥1.26 prints
   * some without `[ERROR …]`). */
  preflightOpen = false;
  /** Version errors after "skipping since the --force flag is set" are warnings. */
  forced = false;
  /** The last `Static pod: <component>-<node> hash: ...` line (old kubeadm names no component in the timeout error). */
  lastStaticPod: { component: string; node: string } | null = null;
  /** The component whose new manifest kubeadm moved in last (`Moved new manifest to ".../kube-apiserver.yaml"`): the one it waits for. */
  waitingFor: string | null = null;
  /** The last `error execution phase …` / `FATAL` / `error:` line, for the rule that a failed output names a failure. */
  lastError: { message: string; phase: string | null } | null = null;
  /** Runs of the command seen so far; a new prompt, a retry banner or kubeadm's first line starts the next. */
  segment = 0;
  /** An indented name list follows (`The following held packages will be changed:`). */
  listMode: 'held' | 'other' | 'pending-pods' | null = null;
  heldPackages: string[] = [];

  constructor(readonly context: ExplainContext) {}

  mark(m: Marker): void {
    this.markers.add(m);
  }

  add(id: FindingId, facts: Partial<Facts>, message: string, severity?: 'failure' | 'warning'): void {
    const same = this.raw.find((r) => r.id === id && (MERGED.has(id) || r.message === message));
    if (!same) {
      this.raw.push({ id, facts: { ...facts, items: [...(facts.items ?? [])] }, message, segment: this.segment, ...(severity ? { severity } : {}) });
      return;
    }
    const items = [...(same.facts.items ?? [])];
    for (const i of facts.items ?? []) if (!items.includes(i)) items.push(i);
    same.facts = { ...facts, ...same.facts, items };
  }

  backup(dir: string): void {
    if (!this.backups.includes(dir)) this.backups.push(dir);
  }

  skip(component: string, reason: string): void {
    if (!this.skipped.some((s) => s.component === component)) this.skipped.push({ component, reason });
  }
}

/** A recogniser: true when it accounted for the entry. Ordered lists of these, most specific first, do the work. */
export type Recogniser = (e: Entry, acc: Acc, message: string) => boolean;
