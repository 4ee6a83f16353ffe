/**
 * Parses `kubeadm certs check-expiration` text: the certificate table (kubeconfig files such as admin.conf and
 * super-admin.conf, and PKI certificates), the CERTIFICATE AUTHORITY table, `<invalid>` residual times (expired) and
 * `!MISSING! name` rows. Older kubeadm prints no CERTIFICATE AUTHORITY column; both layouts are read.
 */

export interface CertRow {
  readonly name: string;
  readonly authority: boolean;
  /** Undefined for a `!MISSING!` row. */
  readonly expires?: Date;
  /** As printed: `360d`, `9y`, `<invalid>`. */
  readonly residual?: string;
  readonly missing: boolean;
  readonly externallyManaged: boolean;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const ROW = /^(\S+)\s+([A-Z][a-z]{2}) (\d{2}), (\d{4}) (\d{2}):(\d{2}) UTC\s+(\S+)(.*)$/;

export function parseCheckExpiration(output: string): CertRow[] {
  const rows: CertRow[] = [];
  let table: 'none' | 'certs' | 'cas' = 'none';
  for (const rawLine of output.split('\n')) {
    const line = rawLine.trimEnd();
    if (/^CERTIFICATE AUTHORITY\s+EXPIRES/.test(line)) table = 'cas';
    else if (/^CERTIFICATE\s+EXPIRES/.test(line)) table = 'certs';
    if (table === 'none' || /^CERTIFICATE/.test(line)) continue;
    const missing = /^!MISSING!\s+(\S+)/.exec(line);
    if (missing) {
      rows.push({ name: missing[1]!, authority: table === 'cas', missing: true, externallyManaged: false });
      continue;
    }
    const m = ROW.exec(line);
    if (!m) continue;
    const month = MONTHS.indexOf(m[2]!);
    const expires = new Date(Date.UTC(Number(m[4]), month, Number(m[3]), Number(m[5]), Number(m[6])));
    const rest = m[8]!.trim().split(/\s+/);
    rows.push({
      name: m[1]!,
      authority: table === 'cas',
      expires,
      residual: m[7]!,
      missing: false,
      // The last column is EXTERNALLY MANAGED: `no`/`yes` (kubeadm ≥ 1.20) or `false`/`true` (older).
      externallyManaged: /^(yes|true)$/.test(rest[rest.length - 1] ?? ''),
    });
  }
  return rows;
}

export const DAY_MS = 24 * 3600 * 1000;

/** Whole days left, negative when expired (`<invalid>` in kubeadm's output). */
export function daysLeft(row: CertRow, now: Date): number | undefined {
  if (!row.expires) return undefined;
  return Math.floor((row.expires.getTime() - now.getTime()) / DAY_MS);
}
