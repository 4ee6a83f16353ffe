// The sandbox's own kubectl (the pinned 1.N build), run as a baseline: wall time, and its requests from -v=6.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { binaries } from '../../test/sandbox/lib/paths';
import { countKubectlRequests } from './requests';
import { msSince } from './stats';

export interface KubectlRun {
  ms: number;
  requests: number;
  stdout: string;
  stderr: string;
}

/** Runs kubectl with -v=6 and a fresh discovery cache (so every run pays what a first run pays, alike). */
export function kubectl(kubeconfig: string, args: string[], opts: { freshCache?: boolean } = {}): Promise<KubectlRun> {
  const cache = opts.freshCache === false ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'kup-bench-kcache-'));
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(binaries().kubectl, ['--kubeconfig', kubeconfig, ...(cache ? ['--cache-dir', cache] : []), '-v=6', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = msSince(t0);
      if (cache) fs.rmSync(cache, { recursive: true, force: true });
      if (code !== 0) reject(new Error(`kubectl ${args.join(' ')}: exit ${code}\n${stderr.split('\n').filter((l) => !/^I\d{4}/.test(l)).join('\n').slice(-2000)}`));
      else resolve({ ms, requests: countKubectlRequests(stderr), stdout, stderr });
    });
  });
}
