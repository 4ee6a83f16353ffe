import * as http from 'node:http';
import * as https from 'node:https';
import { createHash } from 'node:crypto';
import {
  createConfiguration, ResponseContext, ServerConfiguration, wrapHttpLibrary, type Configuration, type HttpLibrary, type KubeConfig, type RequestContext,
  type SecurityAuthentication,
} from '@kubernetes/client-node';
import { guardConnect, httpRequest } from './requestTimeouts';

/**
 * `kc.makeApiClient(Api)`, with connections kept between requests. client-node 1.4 gives every request a new
 * `https.Agent`, so each one opens its own TCP connection and does a full TLS handshake (with the client certificate):
 * measured on the sandbox, 200 GETs 50 at a time took 5.1 s that way and 1.0 s over kept connections, and a drain's
 * 200 evictions paid it 200 times. kubectl keeps one connection (HTTP/2) for the whole command.
 */
export function makeApiClient<T>(kc: KubeConfig, Api: new (config: Configuration) => T): T {
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new Error('No active cluster!');
  const auth: SecurityAuthentication = {
    getName: () => 'kubeconfig, kept connections',
    applySecurityAuthentication: async (context: RequestContext) => {
      await kc.applySecurityAuthentication(context); // credentials (headers, exec plugins) are still applied per request
      const agent = context.getAgent();
      if (agent) context.setAgent(keptAgent(kc, agent));
    },
  };
  return new Api(createConfiguration({ baseServer: new ServerConfiguration(server, {}), authMethods: { default: auth }, httpApi: timedHttp() }));
}

/**
 * client-node's requests through Node's own client (httpRequest) with the request's agent, headers and body, and a
 * deadline on each request, body included (requestTimeouts.ts): one that runs out fails with "no answer from the API
 * at … within 30 s" (ETIMEDOUT), never hangs. (Its default library, node-fetch, has no deadline of its own.)
 */
// Made on first use: wrapHttpLibrary is client-node's, whose bundle is loaded only when the API is first used.
let timed: HttpLibrary | undefined;
const timedHttp = (): HttpLibrary => (timed ??= wrapHttpLibrary({
  async send(request: RequestContext): Promise<ResponseContext> {
    const url = new URL(request.getUrl());
    const body = request.getBody();
    if (body !== undefined && typeof body !== 'string' && !Buffer.isBuffer(body)) throw new Error('only string or Buffer request bodies are supported');
    const agent = request.getAgent();
    const signal = request.getSignal();
    const r = await httpRequest(
      url,
      { method: request.getHttpMethod().toString(), headers: request.getHeaders(), ...(body !== undefined ? { body } : {}), ...(agent ? { agent } : {}), ...(signal ? { signal } : {}) },
      url.protocol === 'http:' ? http : https,
    );
    return new ResponseContext(r.status, r.headers, { text: async () => r.body.toString('utf8'), binary: async () => r.body });
  },
}));
/**
 * The kept-alive agent standing in for `fresh` (the per-request agent client-node or `applyToHTTPSOptions` made):
 * one per KubeConfig and TLS identity (CA, client certificate and key, server name, verification), so credentials that
 * change (an exec plugin's new certificate) get a connection of their own. Proxy agents are returned unchanged.
 */
export function keptAgent(kc: KubeConfig, fresh: http.Agent): http.Agent {
  const isPlain = fresh.constructor === https.Agent || fresh.constructor === http.Agent;
  if (!isPlain) return guardConnect(fresh); // a proxy's agent: its connections get the deadline too
  const options = (fresh as http.Agent & { options: https.AgentOptions }).options;
  const key = identity(fresh instanceof https.Agent ? 'https' : 'http', options);
  let byIdentity = agents.get(kc);
  if (!byIdentity) agents.set(kc, (byIdentity = new Map()));
  let agent = byIdentity.get(key);
  if (!agent) {
    // Idle sockets are closed after 30 s, well before the apiserver's own 90 s idle timeout, so a request is never
    // sent on a connection the server is closing.
    const kept = { ...options, keepAlive: true, timeout: 30_000 };
    agent = guardConnect(fresh instanceof https.Agent ? new https.Agent(kept) : new http.Agent(kept));
    byIdentity.set(key, agent);
  }
  return agent;
}

const agents = new WeakMap<KubeConfig, Map<string, http.Agent>>();

function identity(protocol: string, o: https.AgentOptions): string {
  const h = createHash('sha256').update(protocol);
  for (const v of [o.ca, o.cert, o.key, o.pfx, o.passphrase, o.servername, o.rejectUnauthorized]) h.update('\0').update(String(v ?? ''));
  return h.digest('hex');
}
