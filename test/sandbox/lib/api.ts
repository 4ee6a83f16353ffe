// A minimal client for the sandbox apiserver (flattened kubeconfig, admin cert), used where
// kubectl is too slow: kubectl creates list items one by one under client-side throttling.
import * as fs from 'node:fs';
import * as https from 'node:https';
import { parse } from 'yaml';

export interface Api {
  request(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export function apiFromKubeconfig(kubeconfig: string): Api {
  const kc = parse(fs.readFileSync(kubeconfig, 'utf8'));
  const ctx = kc.contexts.find((c: { name: string }) => c.name === kc['current-context']).context;
  const cluster = kc.clusters.find((c: { name: string }) => c.name === ctx.cluster).cluster;
  const user = kc.users.find((u: { name: string }) => u.name === ctx.user).user;
  const pick = (o: Record<string, string>, k: string) =>
    o[`${k}-data`] ? Buffer.from(o[`${k}-data`], 'base64') : o[k] ? fs.readFileSync(o[k]) : undefined;
  const server = new URL(cluster.server);
  const agent = new https.Agent({
    keepAlive: true, maxSockets: 32,
    ca: pick(cluster, 'certificate-authority'), cert: pick(user, 'client-certificate'), key: pick(user, 'client-key'),
  });
  return {
    request: (method, path, body) => new Promise((resolve, reject) => {
      const req = https.request({ host: server.hostname, port: server.port, method, path, agent,
        headers: { 'content-type': 'application/json', accept: 'application/json' } }, (res) => {
        let data = '';
        res.on('data', (d) => (data += d));
        res.on('end', () => {
          let parsed: unknown = data;
          try { parsed = JSON.parse(data); } catch { /* not JSON */ }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      });
      req.on('error', reject);
      if (body !== undefined) req.write(JSON.stringify(body));
      req.end();
    }),
  };
}

/** POSTs every object with `concurrency` requests in flight; fails on the first error. */
export async function createAll(api: Api, path: (o: any) => string, objs: unknown[], concurrency: number, progress?: (n: number) => void): Promise<void> { // eslint-disable-line @typescript-eslint/no-explicit-any
  let next = 0; let done = 0;
  const worker = async () => {
    while (next < objs.length) {
      const o = objs[next++];
      const r = await api.request('POST', path(o), o);
      if (r.status >= 300 && r.status !== 409) throw new Error(`POST ${path(o)}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
      if (++done % 1000 === 0 || done === objs.length) progress?.(done);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
