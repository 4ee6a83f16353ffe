// Grows a sandbox's real etcd past a size by writing 1 MiB values straight into it (etcd's v3 JSON gateway on the
// sandbox's loopback port), four requests in flight: the database an admin with a busy cluster has.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { instanceDir } from '../../test/sandbox/lib/paths';

function put(port: number, key: string, value: Buffer): Promise<void> {
  const body = JSON.stringify({ key: Buffer.from(key).toString('base64'), value: value.toString('base64') });
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/v3/kv/put', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`etcd put ${key}: HTTP ${res.statusCode} ${text.slice(0, 300)}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The sandbox etcd's client port (kwokctl's configuration in the instance folder). */
export function etcdPort(sandboxName: string): number {
  const conf = fs.readFileSync(path.join(instanceDir(sandboxName), 'kwokctl.yaml'), 'utf8');
  const port = Number(/^ {2}etcdPort: *(\d+)/m.exec(conf)?.[1]);
  if (!port) throw new Error(`no etcdPort in ${sandboxName}'s kwokctl.yaml`);
  return port;
}

/** Writes `mib` values of 1 MiB (random, so nothing compresses) under /bench/grow/. */
export async function growEtcd(sandboxName: string, mib: number, say: (s: string) => void): Promise<void> {
  const port = etcdPort(sandboxName);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < mib; i = next++) {
      await put(port, `/bench/grow/${String(i).padStart(5, '0')}`, randomBytes(1 << 20));
      if (i % 128 === 0) say(`etcd grown by ${i} MiB of ${mib}`);
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
}
