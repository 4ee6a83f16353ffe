// Preloaded into the shipped CLI (`node --require bench/children/maxRss.cjs dist/cli.js …`): when the process exits,
// its peak resident memory (maxRSS) is written to the file named by BENCH_RSS_FILE, so the bench measures the bundle
// users run, not a TypeScript loader's extra memory.
// A CommonJS preload (--require) loads before the bundle, which is CommonJS too.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fs = require('node:fs');

process.on('exit', () => {
  const file = process.env.BENCH_RSS_FILE;
  if (file) fs.writeFileSync(file, JSON.stringify({ maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
});
