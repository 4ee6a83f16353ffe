import { execFile } from 'node:child_process';

/** The local kubectl's client version (`kubectl version --client -o json`), or undefined when there is none. */
export function localKubectlVersion(kubectlPath: string, timeoutMs = 5000): Promise<string | undefined> {
  if (!kubectlPath) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    execFile(kubectlPath, ['version', '--client', '-o', 'json'], { timeout: timeoutMs }, (err, stdout) => {
      if (err) return resolve(undefined);
      try {
        const v = (JSON.parse(stdout) as { clientVersion?: { gitVersion?: string } }).clientVersion?.gitVersion;
        resolve(typeof v === 'string' ? v : undefined);
      } catch {
        resolve(undefined);
      }
    });
  });
}
