/**
 * The one place where values become shell text. Every node name, version, path and flag that goes into a command run
 * on a node passes through `quote` (or the `sh` tag), so no value can break out of its argument.
 */

/** A command line that was assembled from quoted parts. Only `sh` and `raw` make one. */
export type ShellCommand = string & { readonly __shell: unique symbol };

/** POSIX single-quote quoting: safe for any byte string except NUL, which no argument may contain. */
export function quote(value: string): string {
  if (value.includes('\0')) throw new UnsafeValueError(`a NUL byte cannot be passed to a shell`);
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Template tag: literal parts are trusted text written in this codebase; every interpolated value is quoted. */
export function sh(strings: TemplateStringsArray, ...values: (string | number | readonly string[])[]): ShellCommand {
  let out = strings[0]!;
  values.forEach((v, i) => {
    const text = Array.isArray(v) ? v.map((x) => quote(String(x))).join(' ') : quote(String(v));
    out += text + strings[i + 1]!;
  });
  return out as ShellCommand;
}

/** For fixed text written in this codebase only (never with user or cluster data). */
export function raw(text: string): ShellCommand {
  return text as ShellCommand;
}

export class UnsafeValueError extends Error {}

/** RFC 1123 subdomain: what Kubernetes allows in a node name. Anything else is refused before it reaches a shell. */
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function validateNodeName(name: string): string {
  if (!DNS_SUBDOMAIN.test(name)) throw new UnsafeValueError(`"${name}" is not a valid Kubernetes node name (RFC 1123 subdomain)`);
  return name;
}

/** `v1.32.3` / `1.32.3` / `1.32.3-1.1` / `1.32.3-*` (a package version or the docs' glob): digits, dots, one dash part. */
export function validateVersion(v: string): string {
  if (!/^v?\d+\.\d+\.\d+(-[0-9A-Za-z.*]+)?$/.test(v)) throw new UnsafeValueError(`"${v}" is not a version`);
  return v;
}

/** Absolute path without shell-significant surprises (no newline, no NUL, no `..` segments). */
export function validatePath(p: string): string {
  if (!p.startsWith('/') || /[\n\0]/.test(p) || p.split('/').includes('..')) throw new UnsafeValueError(`"${p}" is not an absolute path`);
  return p;
}
