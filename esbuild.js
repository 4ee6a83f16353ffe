// Two bundles from one script: the extension (+ the headless CLI) for Node, and the webview for the browser.
// Usage: node esbuild.js [--watch] [--production]
const esbuild = require('esbuild');
const fs = require('node:fs');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints errors in the `file:line:col: error:` form that VS Code's esbuild problem matchers read. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => {
      if (watch) console.log(`[watch] build started (${build.initialOptions.outfile})`);
    });
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      if (watch) console.log(`[watch] build finished (${build.initialOptions.outfile})`);
    });
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  plugins: [problemMatcher],
};

const node = {
  ...common,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // vscode is provided by the host. ssh2's optional native helpers are left out so it uses its pure-JS fallbacks;
  // @kubernetes/client-node is ESM-only and is bundled (never external), converted to CJS here.
  external: ['vscode', 'cpu-features', './crypto/build/Release/sshcrypto.node'],
  // client-node reads import.meta.url in a few places; give the CJS bundle a working value.
  define: { 'import.meta.url': 'importMetaUrl' },
  banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" },
};

/**
 * The big libraries that activation does not need at once (ssh2: only when a node is reached over SSH;
 * @kubernetes/client-node: from the first API request) are bundled on their own into dist/vendor/, and the main
 * bundles see a stand-in module whose exports are getters: the vendor bundle is required on the first property read.
 * esbuild's import interop copies those getters without reading them, and reads `lib.Name` at each use, so an
 * import at the top of a file costs nothing until the code really runs. (esbuild's code splitting is ESM-only.)
 */
const LAZY_VENDORS = {
  ssh2: 'dist/vendor/ssh2.js',
  '@kubernetes/client-node': 'dist/vendor/client-node.js',
  yaml: 'dist/vendor/yaml.js',
};

/**
 * The names src/ imports from each vendor module (value imports; `import type` costs nothing), so the stand-in can
 * declare them without loading the module, and the vendor bundle keeps only what they reach (tree-shaking).
 */
function vendorImportNames() {
  const names = Object.fromEntries(Object.keys(LAZY_VENDORS).map((id) => [id, new Set()]));
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = require('node:path').join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.ts')) {
        const text = fs.readFileSync(p, 'utf8');
        for (const m of text.matchAll(/import\s+(type\s+)?(\*\s+as\s+\w+|\{([^}]*)\})\s+from\s+'([^']+)'/g)) {
          const set = names[m[4]];
          if (!set || m[1]) continue;
          if (!m[3]) throw new Error(`${p}: namespace import of ${m[4]} defeats lazy loading; import names`);
          for (const part of m[3].split(',')) {
            const t = part.trim();
            if (t && !t.startsWith('type ')) set.add(t.split(/\s+as\s+/)[0].trim());
          }
        }
      }
    }
  };
  walk('src');
  return Object.fromEntries(Object.entries(names).map(([id, set]) => [id, [...set].sort()]));
}

function lazyVendorPlugin(names) {
  return {
    name: 'lazy-vendor',
    setup(build) {
      const filter = new RegExp(`^(${Object.keys(LAZY_VENDORS).map((k) => k.replace(/[/@.-]/g, '\\$&')).join('|')})$`);
      build.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'lazy-vendor' }));
      build.onLoad({ filter: /.*/, namespace: 'lazy-vendor' }, (args) => {
        const file = require('node:path').basename(LAZY_VENDORS[args.path]);
        const contents = [
          'let lib;',
          `const load = () => (lib ??= require(require('node:path').join(__dirname, 'vendor', ${JSON.stringify(file)})));`,
          `for (const name of ${JSON.stringify(names[args.path])}) Object.defineProperty(exports, name, { enumerable: true, get: () => load()[name] });`,
        ].join('\n');
        return { contents, loader: 'js', resolveDir: __dirname };
      });
    },
  };
}

const vendorBuilds = (names) =>
  Object.entries(LAZY_VENDORS).map(([id, outfile]) => ({
    ...node,
    stdin: { contents: `export { ${names[id].join(', ')} } from ${JSON.stringify(id)};`, resolveDir: __dirname, loader: 'js' },
    outfile,
  }));

const builds = (names) => [
  ...vendorBuilds(names),
  { ...node, plugins: [...node.plugins, lazyVendorPlugin(names)], entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js' },
  {
    ...node,
    plugins: [...node.plugins, lazyVendorPlugin(names)],
    entryPoints: ['src/cli.ts'],
    outfile: 'dist/cli.js',
    banner: { js: '#!/usr/bin/env node\n' + node.banner.js },
  },
  {
    ...common,
    entryPoints: ['webview/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
  },
];

async function main() {
  fs.mkdirSync('dist/vendor', { recursive: true });
  const contexts = await Promise.all(builds(vendorImportNames()).map((b) => esbuild.context(b)));
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  fs.chmodSync('dist/cli.js', 0o755);
}

// Run as a script it builds; required (the bundle test reads the externals from here) it only exports.
if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}

module.exports = { nodeExternals: node.external };
