// Bundles the keeper (keeper/main.ts with the Node client and protocol it runs) into
// dist-server/keeper.js, npm packages external (better-sqlite3 is native), so `npm start`
// runs it as plain JavaScript.
import { build } from 'esbuild';

await build({
  entryPoints: ['keeper/main.ts'],
  outfile: 'dist-server/keeper.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
