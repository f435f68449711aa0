// Bundles the Node server (signaling/ + the shared protocol) into dist-server/server.js,
// keeping npm packages external, so `npm start` runs plain JavaScript.
import { build } from 'esbuild';

await build({
  entryPoints: ['signaling/server.ts'],
  outfile: 'dist-server/server.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
