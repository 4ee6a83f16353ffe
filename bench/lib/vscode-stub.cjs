// A stand-in `vscode` module for timing `require('dist/extension.js')` outside VS Code: every property is a
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS preload script */
// constructible function whose properties are stand-ins too, so top-level code such as `new vscode.EventEmitter()`
// or `vscode.TreeItemCollapsibleState.None` runs. Used with `node -r bench/lib/vscode-stub.cjs`.
const Module = require('node:module');

function stub() {
  const target = function () {};
  const cache = new Map();
  return new Proxy(target, {
    get(t, key) {
      if (key === 'then') return undefined;
      if (key === Symbol.toPrimitive) return () => 0;
      if (!cache.has(key)) cache.set(key, stub());
      return cache.get(key);
    },
    construct: () => stub(),
    apply: () => stub(),
  });
}

// esbuild's import interop copies the module's own properties onto an object whose prototype is the module's
// prototype: so the module is an object whose prototype answers every name with a stand-in.
const anything = new Proxy({}, { get: (t, key) => (key === 'then' ? undefined : stub()) });
const vscode = Object.create(anything);
const load = Module._load;
Module._load = function (request, ...rest) {
  if (request === 'vscode') return vscode;
  return load.call(this, request, ...rest);
};
