// Lint rules that keep the architecture honest: src/core stays pure (no vscode, no Node I/O, no client libraries),
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
    // The terminal executor is the one adapter that needs VS Code (its integrated terminal).
    files: ['src/adapters/k8s/**/*.ts', 'src/adapters/ssh/**/*.ts', 'src/cli.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'Only src/ui and src/extension.ts talk to VS Code.' }] }],
    },
  },
);
