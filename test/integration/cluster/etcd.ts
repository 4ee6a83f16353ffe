// Compacts the sandbox's real etcd at its current revision (etcd's JSON gateway, /v3/kv/*), reached with the same
// URL and client certificates kube-apiserver uses (read from the apiserver's recorded command line).
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as path from 'node:path';
import { instanceDir } from '../../sandbox/lib/paths';

function flag(args: string[], name: string): string | undefined {
  const a = args.find((x) => x.startsWith(`--${name}=`));
  return a?.slice(name.length + 3);
}

function post(url: URL, body: unknown, tls: { cert?: Buffer; key?: Buffer; ca?: Buffer }): Promise<{ status: number; body: Record<string, unknown> }> {
  const data = JSON.stringify(body);
  const mod = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) }, ...tls }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

/** Compacts etcd (physically) at its current revision; returns that revision. */
export async function compactEtcd(sandboxName: string): Promise<number> {
  const dir = instanceDir(sandboxName);
  const { args, cwd } = JSON.parse(fs.readFileSync(path.join(dir, 'apiserver-cmdline.json'), 'utf8')) as { args: string[]; cwd: string };
  const server = flag(args, 'etcd-servers')!.split(',')[0]!;
  const file = (name: string) => {
    const f = flag(args, name);
    return f ? fs.readFileSync(path.resolve(cwd, f)) : undefined;
  };
  const tls = { cert: file('etcd-certfile'), key: file('etcd-keyfile'), ca: file('etcd-cafile') };
  const range = await post(new URL('/v3/kv/range', server), { key: Buffer.from('/').toString('base64'), limit: 1 }, tls);
  if (range.status !== 200) throw new Error(`etcd range: HTTP ${range.status} ${JSON.stringify(range.body)}`);
  const revision = Number((range.body['header'] as { revision?: string }).revision);
  const compact = await post(new URL('/v3/kv/compaction', server), { revision, physical: true }, tls);
  if (compact.status !== 200) throw new Error(`etcd compaction: HTTP ${compact.status} ${JSON.stringify(compact.body)}`);
  return revision;
}
