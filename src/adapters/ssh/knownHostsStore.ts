import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { knownHostsLine, parseKnownHosts, type KnownHostEntry } from '../../core/ssh/knownHosts';

/** Reads known_hosts files (missing ones are empty) and appends accepted keys in OpenSSH's format. */
export function readKnownHosts(files: readonly string[]): KnownHostEntry[] {
  return files.flatMap((f) => {
    try {
      return parseKnownHosts(fs.readFileSync(f, 'utf8'), f);
    } catch {
      return [];
    }
  });
}

/** Appends `host keytype key` (or `|1|…` when `hash`), creating the file 0600 (and its folder 0700) if needed. */
export function appendKnownHost(file: string, host: string, port: number, keyType: string, keyBase64: string, hash: boolean): string {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const line = knownHostsLine(host, port, keyType, keyBase64, hash ? randomBytes(20) : undefined);
  let prefix = '';
  try {
    const st = fs.statSync(file);
    if (st.size > 0) {
      const fd = fs.openSync(file, 'r');
      const last = Buffer.alloc(1);
      fs.readSync(fd, last, 0, 1, st.size - 1);
      fs.closeSync(fd);
      if (last[0] !== 0x0a) prefix = '\n';
    }
  } catch {
    // new file
  }
  fs.appendFileSync(file, `${prefix}${line}\n`, { mode: 0o600 });
  return line;
}
