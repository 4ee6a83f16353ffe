// Counts the HTTP requests this process sends (node:http/https and undici/fetch), through Node's diagnostics
// channels: the count includes every request a library makes, not only the ones our code asks for.
import * as dc from 'node:diagnostics_channel';

let count = 0;
const paths: string[] = [];
let installed = false;

function install() {
  if (installed) return;
  installed = true;
  dc.subscribe('http.client.request.start', (msg) => {
    count++;
    const req = (msg as { request?: { method?: string; path?: string } }).request;
    paths.push(`${req?.method ?? '?'} ${req?.path ?? '?'}`);
  });
  dc.subscribe('undici:request:create', (msg) => {
    count++;
    const req = (msg as { request?: { method?: string; path?: string } }).request;
    paths.push(`${req?.method ?? '?'} ${req?.path ?? '?'}`);
  });
}

/** Requests sent while `fn` runs (and the request lines, for the report). */
export async function countRequests<T>(fn: () => Promise<T>): Promise<{ result: T; requests: number; lines: string[] }> {
  install();
  const start = count;
  const from = paths.length;
  const result = await fn();
  return { result, requests: count - start, lines: paths.slice(from) };
}

/** kubectl -v=6 logs one line per request; counts them (klog's old and structured formats). */
export function countKubectlRequests(stderr: string): number {
  return stderr.split('\n').filter((l) => /\b(GET|POST|PUT|PATCH|DELETE) https?:\/\//.test(l) || /"Response" verb="?(GET|POST|PUT|PATCH|DELETE)/.test(l) || /verb="(GET|POST|PUT|PATCH|DELETE)" url=/.test(l)).length;
}
