// Reading the text form of `kubeadm upgrade plan` line by line.
//
// What kubeadm prints (cmd/kubeadm/app/cmd/upgrade/plan.go, all releases since 1.8), per available upgrade:
//
//   [External components that should be upgraded manually before ...:   + table]   (<= 1.12, external etcd)
//   [Components that must be upgraded manually after ... 'kubeadm upgrade apply':   + kubelet table]
//   Upgrade to the latest <description>:
//   <component table>
//   You can now apply the upgrade by executing the following command:
//   <TAB>kubeadm upgrade apply vX.Y.Z [--allow-*-upgrades]
//   [Note: Before you can perform this upgrade, you have to update kubeadm to vX.Y.Z.]
//   _____________________________________________________________________
//
// then, since 1.19, the component-config table and another separator. Tables come in two layouts:
// `COMPONENT CURRENT TARGET|AVAILABLE` with `N x vX` kubelet cells (<= 1.29) and `COMPONENT NODE CURRENT TARGET`
// (>= 1.30). Before all that come `[phase] ...` progress lines, and klog lines if stderr was captured too.
//
// The reader is deliberately forgiving: any line it cannot place goes to `unparsed`, nothing throws, and a
// block cut off mid-way (truncated paste) still yields what it had.
import {
  DiagnosticSink,
  genericFix,
  isKnownFailure,
  knownFix,
  preflightItem,
} from './diagnostics';
import { apiserverVersions, apiserverVersionsDiagnostic } from './apiserverVersions';
import { isSeparator, parseKlog, parseProgress } from './lines';
import { readComponentRow, readConfigRow, readTableHeader, type ComponentTable, type ConfigTable } from './tables';
import type { AvailableUpgrade, ConfigVersion, DiagnosticSeverity, PlanComponent, PlanDiagnostic } from './types';
import {
  APPLY_INTRO,
  BLOCK_START,
  BULLET,
  ERROR_PHASE,
  ERROR_PREFIX,
  isApplyCommand,
  LIST_END,
  NOTE,
  PREFLIGHT_SUMMARY_FIX,
  PROSE,
  targetFromApply,
  UP_TO_DATE,
  UPGRADE_HEADER,
} from './textPatterns';
import { isNewer, normalizeKubeVersion, targetFromComponents } from './versions';

export interface TextResult {
  clusterVersion: string | null;
  kubeadmVersion: string | null;
  availableUpgrades: AvailableUpgrade[];
  configVersions: ConfigVersion[];
  unparsed: string[];
  diagnostics: PlanDiagnostic[];
  /** kubeadm printed "Awesome, you're up-to-date! Enjoy!" (older releases on stdout, recent ones only at --v=1). */
  saidUpToDate: boolean;
  /**
   * kubeadm got as far as looking up versions to upgrade to. Recent releases print no tables at all when
   * there is nothing to do, so this plus "no tables, no errors" is how "up to date" reads in text.
   */
  lookedForUpgrades: boolean;
  /**
   * A `Latest ...:` or `Target version:` line named a version newer than the cluster version. kubeadm then
   * always offers an upgrade, so if no block follows, the output was cut off.
   */
  newerVersionAnnounced: boolean;
  /** kubeadm warned that the control planes run different kube-apiserver versions (an upgrade half done). */
  apiserversDiffer: boolean;
}

interface Block {
  description: string | null;
  applyCommand: string | null;
  note: string | null;
  components: PlanComponent[];
}

export class TextPlanReader {
  private clusterVersion: string | null = null;
  private kubeadmVersion: string | null = null;
  private readonly upgrades: AvailableUpgrade[] = [];
  private readonly configVersions: ConfigVersion[] = [];
  private readonly unparsed: string[] = [];
  private readonly sink = new DiagnosticSink();
  private saidUpToDate = false;
  private lookedForUpgrades = false;
  /** `[upgrade/versions] Latest <description>: <version>`, to name the target of a block cut off before its apply command. */
  private readonly latest = new Map<string, string>();
  /** Every version announced by `Latest ...:` and `Target version:` lines. */
  private readonly announced: string[] = [];
  private table: ComponentTable | ConfigTable | null = null;
  private block: Block | null = null;
  private apiserversDiffer = false;
  /** The preflight item the last line added: a following line nothing else reads continues its message. */
  private openItem: PlanDiagnostic | null = null;

  line(raw: string): void {
    const trimmed = raw.trim();
    if (!trimmed) {
      // Blank lines end tables, never error lists: kubeadm puts blank lines between list items.
      this.table = null;
      return;
    }
    const klog = parseKlog(trimmed);
    if (klog) {
      // klog lines interleave anywhere (stderr), so they neither end a table nor a list.
      this.onKlog(klog.severity, klog.message);
      return;
    }
    if (this.table && this.tableRow(raw)) return;
    this.table = null;
    this.onLine(raw, trimmed);
  }

  finish(): TextResult {
    this.endBlock();
    this.table = null;
    this.sink.closeGroup();
    return {
      clusterVersion: this.clusterVersion,
      kubeadmVersion: this.kubeadmVersion,
      availableUpgrades: this.upgrades,
      configVersions: this.configVersions,
      unparsed: this.unparsed,
      diagnostics: this.sink.items,
      saidUpToDate: this.saidUpToDate,
      lookedForUpgrades: this.lookedForUpgrades,
      newerVersionAnnounced: this.announced.some((v) => isNewer(v, this.clusterVersion)),
      apiserversDiffer: this.apiserversDiffer,
    };
  }

  private onLine(raw: string, trimmed: string): void {
    if (isSeparator(trimmed)) {
      this.endBlock();
      this.sink.closeGroup();
      return;
    }
    if (this.tableHeader(raw, trimmed)) {
      this.sink.closeGroup();
      return;
    }
    if (this.planLine(trimmed)) {
      this.sink.closeGroup();
      return;
    }
    const open = this.openItem;
    this.openItem = null;
    if (this.problemLine(trimmed)) return;
    const progress = parseProgress(trimmed);
    if (progress) {
      this.onProgress(progress.tag, progress.message, trimmed);
      return;
    }
    if (open) {
      // A preflight warning or error continued over several lines (CoreDNS's plugin list, crictl's output): one item.
      const joined = { ...open, message: `${open.message} ${trimmed}` };
      this.sink.replace(open, joined);
      this.openItem = joined;
      return;
    }
    this.unparsed.push(trimmed);
  }

  /** Headings, apply command, note and prose of the plan itself. */
  private planLine(trimmed: string): boolean {
    if (BLOCK_START.some((re) => re.test(trimmed))) {
      this.startBlockIfDone();
      this.ensureBlock();
      return true;
    }
    const header = UPGRADE_HEADER.exec(trimmed);
    if (header) {
      this.startBlockIfDone();
      this.ensureBlock().description = header[1]!;
      return true;
    }
    if (APPLY_INTRO.test(trimmed)) {
      // Always inside a block; opening one here keeps a paste that starts at this line readable.
      if (this.block?.applyCommand) this.endBlock();
      this.ensureBlock();
      return true;
    }
    if (isApplyCommand(trimmed)) {
      // Only inside a block: the same command typed later in a pasted session is not part of the plan.
      if (!this.block) return false;
      if (this.block.applyCommand) this.endBlock();
      this.ensureBlock().applyCommand = trimmed;
      return true;
    }
    const note = NOTE.exec(trimmed);
    if (note) {
      // The note follows the apply command inside the block; attach it to the last block if a separator
      // already closed it (hand-edited paste).
      const target = this.block ?? this.upgrades[this.upgrades.length - 1];
      if (!target) return false;
      target.note = note[1]!.trim();
      return true;
    }
    if (UP_TO_DATE.test(trimmed)) {
      this.saidUpToDate = true;
      return true;
    }
    return PROSE.some((re) => re.test(trimmed));
  }

  /** Preflight items, error/fatal lines, items of an open error list. */
  private problemLine(trimmed: string): boolean {
    const item = preflightItem(trimmed);
    if (item) {
      this.sink.add(item);
      this.openItem = item;
      return true;
    }
    if (LIST_END.some((re) => re.test(trimmed))) {
      this.sink.closeGroup();
      return true;
    }
    const phase = ERROR_PHASE.exec(trimmed);
    if (phase) {
      const fix = phase[1]!.trim() === 'preflight' ? PREFLIGHT_SUMMARY_FIX : null;
      this.problem('error', trimmed, phase[2]!, fix);
      return true;
    }
    const bullet = BULLET.exec(trimmed);
    const open = this.sink.openGroup;
    if (bullet && (open || isKnownFailure(bullet[1]!))) {
      const message = bullet[1]!.trim();
      this.sink.add({ severity: open ?? 'error', message, fix: knownFix(message) ?? genericFix(open ?? 'error') });
      return true;
    }
    const prefixed = ERROR_PREFIX.exec(trimmed);
    if (prefixed) {
      this.problem('error', trimmed, prefixed[2]!, null);
      return true;
    }
    // kubeadm's error handler prints some errors bare, without any prefix.
    if (isKnownFailure(trimmed) && !parseProgress(trimmed)) {
      this.sink.add({ severity: open ?? 'error', message: trimmed, fix: knownFix(trimmed)! });
      return true;
    }
    return false;
  }

  private onProgress(tag: string, message: string, trimmed: string): void {
    let m: RegExpExecArray | null;
    if ((m = /^Cluster version:\s*(\S+)/i.exec(message))) {
      this.clusterVersion = normalizeKubeVersion(m[1]) ?? m[1]!;
    } else if ((m = /^kubeadm version:\s*(\S+)/i.exec(message))) {
      this.kubeadmVersion = normalizeKubeVersion(m[1]) ?? m[1]!;
    } else if ((m = /^Latest (.+?):\s*(\S+)$/i.exec(message))) {
      this.lookedForUpgrades = true;
      const v = normalizeKubeVersion(m[2]);
      if (v) {
        this.latest.set(m[1]!.trim(), v);
        this.announced.push(v);
      }
    } else if ((m = /^Target version:\s*(\S+)/i.exec(message))) {
      this.lookedForUpgrades = true;
      const v = normalizeKubeVersion(m[1]);
      if (v) this.announced.push(v);
    } else if (/^Fetching available versions/i.test(message)) {
      this.lookedForUpgrades = true;
    } else if (UP_TO_DATE.test(message)) {
      this.saidUpToDate = true;
    }

    // FATAL is matched in capitals only: "make a check non-fatal" is advice, not a failure.
    if (/\bFATAL\b/.test(message) || /fatal errors occurred/i.test(message)) {
      const fix = tag === 'preflight' || /fatal errors occurred/i.test(message) ? PREFLIGHT_SUMMARY_FIX : null;
      this.problem('error', trimmed, message, fix);
    } else if (/skipping since the --force flag is set/i.test(message)) {
      this.problem('warning', trimmed, message, null, 'warning');
    } else if (/^WARNING\b/i.test(message)) {
      this.problem('warning', trimmed, message, null);
    } else {
      // Any other progress line (including "[preflight] If you know what you are doing ...") ends a list.
      this.sink.closeGroup();
    }
  }

  /**
   * A failure line. One ending in ':' announces a list of items (each becomes its own diagnostic), so it is
   * recorded as a summary that the first item replaces.
   */
  private problem(
    severity: DiagnosticSeverity,
    line: string,
    message: string,
    fallbackFix: string | null,
    listSeverity: DiagnosticSeverity = severity,
  ): void {
    const d = { severity, message: line, fix: knownFix(message) ?? fallbackFix ?? genericFix(severity) };
    if (message.trim().endsWith(':')) this.sink.summary(d, listSeverity);
    else this.sink.add(d);
  }

  private onKlog(severity: 'I' | 'W' | 'E' | 'F', message: string): void {
    if (UP_TO_DATE.test(message)) this.saidUpToDate = true;
    const versions = apiserverVersions(message);
    if (versions) {
      this.apiserversDiffer = true;
      this.sink.add(apiserverVersionsDiagnostic(versions));
      return;
    }
    // Info and warning klog lines are chatter (e.g. "remote version is much newer ... falling back").
    // Error lines are kept as warnings: the real failure, if any, is printed again as kubeadm exits.
    if (severity === 'E' || severity === 'F') {
      const s: DiagnosticSeverity = severity === 'F' ? 'error' : 'warning';
      this.sink.add({ severity: s, message, fix: knownFix(message) ?? genericFix(s) });
    }
  }

  private tableHeader(raw: string, trimmed: string): boolean {
    const table = readTableHeader(raw, trimmed);
    if (!table) return false;
    if (table.kind === 'components') {
      // A component table after the apply command starts the next block (its separator was lost).
      if (this.block?.applyCommand) this.endBlock();
      this.ensureBlock();
    } else {
      this.endBlock();
    }
    this.table = table;
    return true;
  }

  /** Takes `raw` as a row of the open table; false if it does not look like one (the table has ended). */
  private tableRow(raw: string): boolean {
    const table = this.table!;
    if (table.kind === 'config') {
      const config = readConfigRow(table, raw);
      if (config) this.configVersions.push(config);
      return config !== null;
    }
    const component = readComponentRow(table, raw);
    if (component) this.ensureBlock().components.push(component);
    return component !== null;
  }

  private ensureBlock(): Block {
    this.block ??= { description: null, applyCommand: null, note: null, components: [] };
    return this.block;
  }

  /** A new heading after a block already has its own heading or command means a new block (separator lost). */
  private startBlockIfDone(): void {
    if (this.block && (this.block.description || this.block.applyCommand)) this.endBlock();
  }

  private endBlock(): void {
    const b = this.block;
    this.block = null;
    if (!b || (!b.description && !b.applyCommand && b.components.length === 0)) return;
    const latestKey = b.description?.replace(/^Upgrade to the latest\s+/i, '');
    const targetVersion =
      targetFromApply(b.applyCommand) ??
      (latestKey ? this.latest.get(latestKey) : undefined) ??
      targetFromComponents(b.components);
    this.upgrades.push({
      description: b.description ?? (targetVersion ? `Upgrade to ${targetVersion}` : 'Available upgrade'),
      targetVersion,
      applyCommand: b.applyCommand,
      note: b.note,
      components: b.components,
    });
  }
}
