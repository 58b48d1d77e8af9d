/**
 * Bundles the site-chat widget into one minified IIFE, `web/dist/widget.js`, which the server
 * serves as `/widget.js`. Prints raw and gzipped size and fails above the budget: the widget is
 * loaded on every page of every customer site, so its weight is a feature.
 */
import { build } from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const GZIP_BUDGET_BYTES = 25 * 1024;

const entry = fileURLToPath(new URL('./main.ts', import.meta.url));
const outfile = fileURLToPath(new URL('../dist/widget.js', import.meta.url));

await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  minify: true,
  format: 'iife',
  platform: 'browser',
  // Evergreen browsers from 2020–21 on; Safari 15, because esbuild cannot emit around Safari 14's destructuring bug.
  target: ['chrome87', 'firefox78', 'safari15', 'edge88'],
  legalComments: 'none',
  logLevel: 'warning',
});

if (!existsSync(outfile)) {
  console.error(`widget build: ${outfile} was not written`);
  process.exit(1);
}
const code = readFileSync(outfile);
const gzipped = gzipSync(code, { level: 9 }).length;
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
console.log(`widget: ${outfile} ${kb(code.length)} raw, ${kb(gzipped)} gzipped (budget ${kb(GZIP_BUDGET_BYTES)})`);
if (gzipped > GZIP_BUDGET_BYTES) {
  console.error('widget build: over the gzip budget; look for a dependency that slipped into the bundle (zod?)');
  process.exit(1);
}
