// Import this first: it makes ssh2 load as in our esbuild bundle, where `cpu-features` and the native
// `sshcrypto.node` are external and missing, so ssh2 runs on its pure-JS fallbacks.
import Module from 'node:module';

type Load = (request: string, parent: unknown, isMain: boolean) => unknown;
const mod = Module as unknown as { _load: Load };
const original = mod._load;
export const blocked: string[] = [];

mod._load = function (this: unknown, request: string, parent: unknown, isMain: boolean) {
  if (request === 'cpu-features' || request.endsWith('sshcrypto.node')) {
    blocked.push(request);
    const e = new Error(`Cannot find module '${request}' (blocked: as in the esbuild bundle)`) as NodeJS.ErrnoException;
    e.code = 'MODULE_NOT_FOUND';
    throw e;
  }
  return original.call(this, request, parent, isMain);
} as Load;
