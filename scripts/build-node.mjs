// Builds `parley/node`, the client for bots: src/node/index.ts bundled for Node (ESM, npm
// packages external) into dist/node/index.js, and its type declarations into dist/node/types/
// with dist/node/index.d.ts pointing at them. Run by `npm run build`.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

rmSync('dist/node', { recursive: true, force: true });
mkdirSync('dist/node', { recursive: true });
await build({
  entryPoints: ['src/node/index.ts'],
  outfile: 'dist/node/index.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
execFileSync('npx', ['tsc', '-p', 'scripts/tsconfig.node.json'], { stdio: 'inherit' });
writeFileSync('dist/node/index.d.ts', "export * from './types/node/index.js';\n");
