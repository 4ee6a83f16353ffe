// Entry point bundled by bundle.test.ts with the extension's esbuild settings, then run by plain node.
import { SshPool } from '../../../src/adapters/ssh/sshPool';
import { raw } from '../../../src/core/exec/shell';

async function main() {
  const { configFile, home } = JSON.parse(process.env['KUP_BUNDLE_TEST']!) as { configFile: string; home: string };
  const pool = new SshPool({
    prompts: {
      confirmUnknownHost: async () => false,
      askPassphrase: async () => undefined,
      askSudoPassword: async () => undefined,
    },
    configFile,
    env: { home, localUser: 'x' },
  });
  const r = await pool.getExecutor('node-a').run(raw('echo bundled; exit 2'));
  pool.dispose();
  const native = Object.keys(require.cache).filter((k) => k.endsWith('.node'));
  process.stdout.write(JSON.stringify({ ...r, native }));
}

void main();
