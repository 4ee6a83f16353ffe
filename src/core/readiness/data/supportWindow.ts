/**
 * Release and end-of-life dates of Kubernetes minors, checked in by hand from the release pages
 * https://kubernetes.io/releases/<minor>/ ("End Of Life Date", "Maintenance Mode Start Date"; the release date is the
 * `<minor>.0` target date of the patch table / the release announcement), read on 2026-12-07. The EOL dates are the
 * project's plan and may move; update this table when a minor is released.
 */
export const SUPPORT_WINDOW_SOURCE = 'https://kubernetes.io/releases/ (per-minor pages), read 2026-12-07';

export interface MinorSupport {
  readonly minor: string;
  readonly released: string;
  readonly maintenanceFrom?: string;
  readonly endOfLife: string;
}

export const SUPPORT_WINDOW: readonly MinorSupport[] = [
  { minor: '1.29', released: '2023-12-13', endOfLife: '2025-02-28' },
  { minor: '1.30', released: '2024-04-17', endOfLife: '2025-07-15' },
  { minor: '1.31', released: '2024-08-13', endOfLife: '2025-10-28' },
  { minor: '1.32', released: '2024-12-11', endOfLife: '2026-02-28' },
  { minor: '1.33', released: '2025-04-23', maintenanceFrom: '2026-04-28', endOfLife: '2026-06-28' },
  { minor: '1.34', released: '2025-08-27', maintenanceFrom: '2026-08-27', endOfLife: '2026-10-27' },
  { minor: '1.35', released: '2025-12-17', maintenanceFrom: '2026-12-28', endOfLife: '2027-02-28' },
  { minor: '1.36', released: '2026-04-22', maintenanceFrom: '2027-04-28', endOfLife: '2027-06-28' },
  { minor: '1.37', released: '2026-08-26', maintenanceFrom: '2027-08-28', endOfLife: '2027-10-28' },
];

export function supportOf(minor: { major: number; minor: number }): MinorSupport | undefined {
  return SUPPORT_WINDOW.find((s) => s.minor === `${minor.major}.${minor.minor}`);
}

/** The target's changelog, where "Urgent Upgrade Notes" says what must be done before upgrading. */
export function changelogUrl(minor: { major: number; minor: number }): string {
  return `https://github.com/kubernetes/kubernetes/blob/master/CHANGELOG/CHANGELOG-${minor.major}.${minor.minor}.md#urgent-upgrade-notes`;
}
