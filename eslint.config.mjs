// Lint rules that keep the architecture honest: src/core and webview/ stay pure (no vscode, no Node I/O, no client
// libraries; webview/ reads only src/core), promises are never left floating,
// and only src/ui talks to the user through the vscode API.
import tseslint from 'typescript-eslint';

const nodeIo = ['fs', 'fs/promises', 'child_process', 'net', 'tls', 'http', 'https', 'dgram', 'os', 'readline'];
const banned = (names) => names.flatMap((n) => [n, `node:${n}`]);

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'out/**', 'test-results/**', 'test/sandbox/**/*.js'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
    },
  },
  {
    // Type-aware rules: a promise nobody awaits is an upgrade step whose failure nobody sees.
    files: ['src/**/*.ts', 'webview/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test's describe/it return promises the runner itself awaits.
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] }] },
      ],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...banned(nodeIo).map((name) => ({ name, message: 'src/core is pure: do I/O in src/adapters.' })),
            { name: 'vscode', message: 'src/core must not import vscode: put UI in src/ui.' },
            { name: 'ssh2', message: 'src/core must not import ssh2: use the executor interface.' },
            { name: '@kubernetes/client-node', message: 'src/core must not import client-node: use ClusterSource.' },
          ],
          patterns: [{ group: ['**/adapters/**', '**/ui/**'], message: 'src/core must not depend on adapters or UI.' }],
        },
      ],
    },
  },
  {
    // webview/ runs in the browser: it gets its data only through the message protocol (src/core/clusterPanel).
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...banned([...nodeIo, 'path', 'crypto', 'util']).map((name) => ({ name, message: 'webview/ runs in the browser: no Node modules.' })),
            { name: 'vscode', message: 'webview/ talks to the host only through acquireVsCodeApi messages.' },
            { name: 'ssh2', message: 'webview/ must not reach nodes.' },
            { name: '@kubernetes/client-node', message: 'webview/ must not reach the cluster.' },
          ],
          patterns: [
            { group: ['**/src/adapters/**', '**/src/ui/**', '**/src/cli/**', '**/src/cli'], message: 'webview/ may import only src/core (view models, protocol).' },
          ],
        },
      ],
    },
  },
  {
    // The terminal executor is the one adapter that needs VS Code (its integrated terminal).
    files: ['src/adapters/k8s/**/*.ts', 'src/adapters/ssh/**/*.ts', 'src/cli.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'Only src/ui and src/extension.ts talk to VS Code.' }] }],
    },
  },
);
