/**
 * Paginated LISTs (`limit` + `continue`, as kubectl and client-go's pager do) read over plain HTTPS and parsed one
 * page at a time: each page's JSON text is dropped as soon as its items are projected (e.g. `slimNode`), so the
 * peak memory of a 5,000-node LIST is one page plus what the caller keeps, and client-node's typed deserialisation
 * (the slowest part of a big LIST) is skipped. Errors look like client-node's ApiException (`code` = HTTP status,
 * `body` = the server's Status), so `failureFacts` reads them the same way.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { keptAgent } from './apiClient';
import { httpRequest } from './requestTimeouts';

/** kubectl's page size for `get` (--chunk-size default). */
export const DEFAULT_PAGE_SIZE = 500;

export interface PagedListOptions<T> {
  /** Items per page (`limit`). */
  limit?: number;
  fieldSelector?: string;
  labelSelector?: string;
  /** Projects each raw item; the default keeps it as parsed. */
  project?: (item: unknown) => T;
  signal?: AbortSignal;
}

export interface PagedListResult<T> {
  items: T[];
  /** The list's resourceVersion (of the first page, as the pager's consistent snapshot), for starting a watch. */
  resourceVersion?: string;
  /** Requests sent (one per page; more after an expired continue token). */
  pages: number;
}

/** An HTTP failure, shaped like client-node's ApiException. */
export class ListFailure extends Error {
  constructor(
    readonly code: number,
    readonly body: string,
  ) {
    super(`HTTP ${code}: ${statusMessage(body) ?? body.slice(0, 200)}`);
    this.name = 'ListFailure';
  }
}

/** Every item of `path` (e.g. `/api/v1/nodes`), page by page. A 410 on a continue token restarts the list, as client-go does. */
export async function listAllPages<T = unknown>(kc: KubeConfig, path: string, options: PagedListOptions<T> = {}): Promise<PagedListResult<T>> {
  const project = options.project ?? ((x: unknown) => x as T);
  let items: T[] = [];
  let resourceVersion: string | undefined;
  let cont: string | undefined;
  let pages = 0;
  let restarted = false;
  for (;;) {
    const query = new URLSearchParams({ limit: String(options.limit ?? DEFAULT_PAGE_SIZE) });
    if (options.fieldSelector) query.set('fieldSelector', options.fieldSelector);
    if (options.labelSelector) query.set('labelSelector', options.labelSelector);
    if (cont) query.set('continue', cont);
    pages++;
    let page: { metadata?: { continue?: string; resourceVersion?: string }; items?: unknown[] };
    try {
      page = JSON.parse(await get(kc, `${path}?${query}`, options.signal));
    } catch (e) {
      // The continue token expired (etcd compacted): start over once with a fresh list.
      if (e instanceof ListFailure && e.code === 410 && cont && !restarted) {
        restarted = true;
        items = [];
        cont = undefined;
        resourceVersion = undefined;
        continue;
      }
      throw e;
    }
    if (resourceVersion === undefined) resourceVersion = page.metadata?.resourceVersion;
    for (const item of page.items ?? []) items.push(project(item));
    cont = page.metadata?.continue || undefined;
    if (!cont) return { items, ...(resourceVersion !== undefined ? { resourceVersion } : {}), pages };
  }
}

/** One GET with the kubeconfig's credentials (client certificates, token, CA); the body as text. */
async function get(kc: KubeConfig, pathAndQuery: string, signal?: AbortSignal): Promise<string> {
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new Error('the kubeconfig has no current cluster');
  const url = new URL(server.replace(/\/+$/, '') + pathAndQuery);
  const opts: https.RequestOptions = { method: 'GET', headers: { Accept: 'application/json' } };
  await kc.applyToHTTPSOptions(opts);
  if (opts.agent instanceof http.Agent) opts.agent = keptAgent(kc, opts.agent); // one connection for every page, not a TLS handshake each
  // Each page within the response deadline, its connection within the connect deadline (keptAgent; requestTimeouts.ts).
  const r = await httpRequest(url, { method: 'GET', headers: (opts.headers ?? {}) as http.OutgoingHttpHeaders, ...(opts.agent instanceof http.Agent ? { agent: opts.agent } : {}), ...(signal ? { signal } : {}) }, url.protocol === 'http:' ? http : https);
  const body = r.body.toString('utf8');
  if (r.status >= 200 && r.status < 300) return body;
  throw new ListFailure(r.status, body);
}

function statusMessage(body: string): string | undefined {
  try {
    const m = (JSON.parse(body) as { message?: unknown }).message;
    return typeof m === 'string' ? m : undefined;
  } catch {
    return undefined;
  }
}
