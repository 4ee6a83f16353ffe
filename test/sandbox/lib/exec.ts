// Small process helpers: run a command and capture output, or fail with its stderr.
import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';

export function run(cmd: string, args: string[], opts: SpawnSyncOptions & { input?: string } = {}): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...opts });
  if (r.error) throw r.error;
  if (r.status !== 0) {
    const out = (String(r.stderr ?? '').trim() || String(r.stdout ?? '').trim()).slice(0, 2000);
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${out}`);
  }
  return String(r.stdout ?? '');
}

export function tryRun(cmd: string, args: string[], opts: SpawnSyncOptions = {}): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...opts });
  return { code: r.status ?? -1, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
}

/** Runs a command with inherited stdio (progress visible to the user); rejects on failure. */
export function runVisible(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env, as?: RunAs): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], env, ...(as ? { uid: as.uid, gid: as.gid } : {}) });
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} exited ${code}`))));
  });
}

/** Who sandbox processes run as (the ssh login user when we are root). */
export interface RunAs { uid: number; gid: number }

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function pidAlive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}
