// Switches the sandbox's real kube-apiserver to another binary: the process kwokctl
// started is stopped and the new binary started with the same flags against the same
// etcd, so clients see a real restart (connection refused, then a new /version).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { clusterDir } from './cluster';
import { pidAlive, sleep } from './exec';

/** Records the apiserver's flags once, at `up`: node tools run in a user namespace where
 *  /proc/<pid>/cwd of the apiserver is not readable, but they may still signal it. */
export function recordApiserverCmdline(dir: string): void {
  const pid = Number(fs.readFileSync(path.join(clusterDir(dir), 'pids', 'kube-apiserver.pid'), 'utf8').trim());
  const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).slice(1);
  const cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
  fs.writeFileSync(path.join(dir, 'apiserver-cmdline.json'), JSON.stringify({ args, cwd }));
}

export function currentApiserverBinary(dir: string): string {
  const pid = Number(fs.readFileSync(path.join(clusterDir(dir), 'pids', 'kube-apiserver.pid'), 'utf8').trim());
  return fs.readlinkSync(`/proc/${pid}/exe`);
}

export async function restartApiserver(dir: string, newBinary: string, downtimeMs = 0): Promise<number> {
  const pidFile = path.join(clusterDir(dir), 'pids', 'kube-apiserver.pid');
  const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
  const { args, cwd } = JSON.parse(fs.readFileSync(path.join(dir, 'apiserver-cmdline.json'), 'utf8')) as { args: string[]; cwd: string };
  process.kill(pid, 'SIGTERM');
  // kube-apiserver can take 30 s+ to drain watches on SIGTERM; a kubelet restarting a static
  // pod would not wait that long either.
  for (let i = 0; i < 50 && pidAlive(pid); i++) await sleep(100);
  if (pidAlive(pid)) process.kill(pid, 'SIGKILL');
  if (downtimeMs) await sleep(downtimeMs);
  const logFile = path.join(clusterDir(dir), 'logs', 'kube-apiserver.log');
  const out = fs.openSync(logFile, 'a');
  // Keep running as the sandbox's user even when root triggers the restart (fault injection).
  const owner = fs.statSync(dir);
  const as = process.getuid?.() === 0 ? { uid: owner.uid, gid: owner.gid } : {};
  const child = spawn(newBinary, args, { cwd, detached: true, stdio: ['ignore', out, out], ...as });
  child.unref();
  fs.writeFileSync(pidFile, String(child.pid));
  return child.pid!;
}
