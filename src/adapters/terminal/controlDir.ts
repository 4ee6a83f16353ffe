import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * The folder for ssh's multiplexing sockets (ControlPath). Whoever can create or swap the socket there receives
 * every command of the terminal executor and the sudo password typed into it, so it must be private:
 * `$XDG_RUNTIME_DIR/kubeadm-upgrade-ssh` (that runtime dir is already the user's own, 0700), else a fresh
 * `mkdtemp` folder for this process. A folder that exists already is used only when it is a real directory (not a
 * symlink) owned by us with mode 0700; anything else is refused, never "fixed" with chmod.
 */

export class UnsafeControlDirError extends Error {}

let cached: string | undefined;

/** The private control folder, created once per process. Throws UnsafeControlDirError. `env`: tests. */
export function controlDir(env: NodeJS.ProcessEnv = process.env, fresh = false): string {
  if (cached && !fresh) return checkPrivate(cached);
  const runtime = env['XDG_RUNTIME_DIR'];
  let dir: string;
  if (runtime && path.isAbsolute(runtime)) {
    checkPrivate(runtime, true);
    dir = path.join(runtime, 'kubeadm-upgrade-ssh');
    try {
      fs.mkdirSync(dir, { mode: 0o700 });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  } else {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeadm-upgrade-ssh-')); // 0700, a new name: nobody pre-created it
  }
  cached = checkPrivate(dir);
  return cached;
}

/** `dir` itself is a directory (lstat: not a symlink), owned by us, no access for group or others. */
export function checkPrivate(dir: string, groupReadable = false): string {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(dir);
  } catch (e) {
    throw new UnsafeControlDirError(`ssh control folder ${dir}: ${(e as Error).message}`);
  }
  const uid = process.getuid?.();
  const problems = [
    ...(st.isSymbolicLink() ? ['it is a symbolic link'] : []),
    ...(!st.isSymbolicLink() && !st.isDirectory() ? ['it is not a directory'] : []),
    ...(uid !== undefined && st.uid !== uid ? [`it is owned by uid ${st.uid}, not by you (uid ${uid})`] : []),
    ...((st.mode & (groupReadable ? 0o022 : 0o077)) !== 0 ? [`its mode is ${(st.mode & 0o777).toString(8).padStart(4, '0')}, not 0700`] : []),
  ];
  if (problems.length > 0) {
    throw new UnsafeControlDirError(
      `Refusing the ssh control folder ${dir}: ${problems.join('; ')}. Another user could take over the connection there (and read the sudo password). Remove it, or set XDG_RUNTIME_DIR to a private folder.`,
    );
  }
  return dir;
}
