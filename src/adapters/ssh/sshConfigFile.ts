import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import SSHConfig from 'ssh-config';
import { expandTilde, hostConfigFromComputed, hostLineNames, type LocalEnv, type SshDestination, type SshHostConfig } from '../../core/ssh/hostConfig';

/**
 * ssh_config read with the `ssh-config` package. `Match exec` is never evaluated (a config must not run commands
 * because the extension looked a host up). `Include` is inlined (relative paths from ~/.ssh, `*`/`?` globs in the
 * last path component), nested at most 8 deep.
 */
export class SshConfigFile {
  private constructor(
    private readonly config: SSHConfig,
    readonly file: string | undefined,
    private readonly env: LocalEnv,
    /** The text parsed (Includes inlined): a re-read that gives the same text needs no new parse. */
    readonly text: string,
  ) {}

  /** `file` undefined: ~/.ssh/config (missing is fine: OpenSSH's defaults). */
  static load(file: string | undefined, env: LocalEnv = localEnv()): SshConfigFile {
    const p = file ? expandTilde(file, env.home) : path.join(env.home, '.ssh', 'config');
    let text = '';
    try {
      text = fs.readFileSync(p, 'utf8');
    } catch (e) {
      if (file && (e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      if (file) throw new Error(`ssh config file ${p} does not exist`);
    }
    return SshConfigFile.fromText(inlineIncludes(text, env.home, 0), p, env);
  }

  /**
   * `previous` when the file (with its Includes) still reads the same, else the file parsed again: an ssh_config
   * edited while the extension runs (a node's Port, HostName, User) is used from the next command on.
   */
  static reload(previous: SshConfigFile | undefined, file: string | undefined, env: LocalEnv = localEnv()): SshConfigFile {
    const fresh = SshConfigFile.load(file, env);
    return previous && previous.text === fresh.text ? previous : fresh;
  }

  static fromText(text: string, file: string | undefined, env: LocalEnv = localEnv()): SshConfigFile {
    return new SshConfigFile(SSHConfig.parse(text), file, env, text);
  }

  /** Whether a `Host` line names `name` literally (not only through wildcards). */
  namesHost(name: string): boolean {
    return this.config.some((line) => {
      if (!('param' in line) || line.param.toLowerCase() !== 'host') return false;
      const v = line.value;
      const patterns = Array.isArray(v) ? v.map((x) => x.val) : String(v).split(/\s+/);
      return hostLineNames(patterns, name);
    });
  }

  /** The `User` ssh_config gives for `host`, if any. */
  configuredUser(host: string): string | undefined {
    const u = this.config.compute(host, { ignoreCase: true, matchExec: false })['user'];
    return Array.isArray(u) ? u[0] : u;
  }

  resolve(destination: SshDestination): SshHostConfig {
    const computed = this.config.compute(destination.host, { ignoreCase: true, matchExec: false });
    return hostConfigFromComputed(destination, computed, this.env);
  }
}

export function localEnv(): LocalEnv {
  const home = os.homedir();
  let localUser = process.env['USER'] ?? '';
  try {
    localUser = os.userInfo().username;
  } catch {
    // no passwd entry: keep $USER
  }
  const authSock = process.env['SSH_AUTH_SOCK'];
  return { home, localUser, ...(authSock ? { authSock } : {}) };
}

function inlineIncludes(text: string, home: string, depth: number): string {
  if (depth > 8) throw new Error('ssh config: Include nested too deep');
  return text
    .split(/\r?\n/)
    .map((line) => {
      const m = /^\s*include\s*(?:=\s*|\s)(.+)$/i.exec(line);
      if (!m) return line;
      return m[1]!
        .trim()
        .split(/\s+/)
        .map((f) => f.replace(/^"(.*)"$/, '$1'))
        .flatMap((f) => globFiles(path.isAbsolute(expandTilde(f, home)) ? expandTilde(f, home) : path.join(home, '.ssh', f)))
        .map((f) => inlineIncludes(fs.readFileSync(f, 'utf8'), home, depth + 1))
        .join('\n');
    })
    .join('\n');
}

function globFiles(p: string): string[] {
  const base = path.basename(p);
  if (!/[*?]/.test(base)) return fs.existsSync(p) ? [p] : [];
  const dir = path.dirname(p);
  const re = new RegExp('^' + base.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$');
  try {
    return fs
      .readdirSync(dir)
      .filter((n) => re.test(n))
      .sort()
      .map((n) => path.join(dir, n));
  } catch {
    return [];
  }
}
