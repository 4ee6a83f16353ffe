// Small checks shared by the validators of stored records (run files, cluster runs, snapshot records, audit lines):
// what a file on disk holds is untrusted input, and one bad record must never break a whole list.

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** What a non-object is, for the skip message: `null`, `an array`, `string`. */
export function kindOf(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v;
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

/** A UTC time as `Date.toISOString()` writes it (what every record of ours stores), and a real date. */
export function isIsoTime(v: unknown): v is string {
  return typeof v === 'string' && ISO_UTC.test(v) && Number.isFinite(Date.parse(v));
}

/** The first field of `names` in `o` that is not a non-empty string, or undefined. */
export function missingString(o: Obj, names: readonly string[]): string | undefined {
  return names.find((n) => typeof o[n] !== 'string' || o[n] === '');
}

/**
 * What is wrong with the times `names` of `o` (`no createdAt`, `takenAt "yesterday" is not an ISO time`), or
 * undefined; `optional` times may be absent.
 */
export function timeProblem(o: Obj, names: readonly string[], optional = false): string | undefined {
  const bad = names.find((n) => !(optional && o[n] === undefined) && !isIsoTime(o[n]));
  if (bad === undefined) return undefined;
  return o[bad] === undefined ? `no ${bad}` : `${bad} ${JSON.stringify(o[bad])} is not an ISO time`;
}

export function isKubeVersion(v: unknown): boolean {
  return isObj(v) && ['major', 'minor', 'patch'].every((k) => Number.isInteger(v[k]));
}
