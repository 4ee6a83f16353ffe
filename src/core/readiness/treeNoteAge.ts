/**
 * The readiness note on a cluster's tree item, as it was when the report came back. A report says what held then:
 * once the cluster's versions change (a blocker fixed by upgrading a node, an upgrade run verified) the note is marked
 * with the time it was checked, so it is never read as today's verdict.
 */
export interface ReadinessNote {
  /** `readiness v1.36.3: 3 blockers` (treeNote). */
  readonly text: string;
  /** When the report came back. */
  readonly at: Date;
  /** The cluster's versions then (`versionsKey`), null when no snapshot was loaded. */
  readonly versions: string | null;
}

/** The note as shown now: as is while the versions are the same, else `… (checked 17:02; the cluster changed since — re-check)`. */
export function shownReadinessNote(note: ReadinessNote, versionsNow: string | null): string {
  if (note.versions === null || versionsNow === null || note.versions === versionsNow) return note.text;
  const hhmm = `${String(note.at.getHours()).padStart(2, '0')}:${String(note.at.getMinutes()).padStart(2, '0')}`;
  return `${note.text} (checked ${hhmm}; the cluster changed since — re-check)`;
}
