// `npm start`: builds once — again only when a source is newer than the build (or a piece of
// the build is missing) — then runs the server in the foreground (it stops on Ctrl+C/SIGTERM).
// A rebuild takes about a minute on 2 cores; an up-to-date start takes well under a second.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What the build makes; the oldest of them is the build's age. */
export const OUTPUTS = [
  'dist/index.html',
  'dist/lib/parley.js',
  'dist/node/index.js',
  'dist-server/server.js',
];
/** What the build reads: folders (walked) and files. */
export const INPUTS = [
  'src',
  'signaling',
  'index.html',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.lib.json',
  'vite.config.ts',
  'vite.lib.config.ts',
  'custom-elements-manifest.config.mjs',
  'scripts/build-server.mjs',
  'scripts/build-node.mjs',
];

/** The newest modification time under `path` (a file, or a folder walked), 0 if absent. */
function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = 0;
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

/** Why `root` needs a build ('missing <file>' or 'sources changed'), or undefined. */
export function buildReason(root) {
  let built = Infinity;
  for (const out of OUTPUTS) {
    const file = join(root, out);
    if (!existsSync(file)) return `missing ${out}`;
    built = Math.min(built, statSync(file).mtimeMs);
  }
  const changed = Math.max(...INPUTS.map((p) => newest(join(root, p))));
  return changed > built ? 'sources changed' : undefined;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const why = buildReason(root);
  if (why) {
    console.log(`Building (${why})…`);
    const built = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
    if (built.status !== 0) process.exit(built.status ?? 1);
  }
  const server = spawn(process.execPath, ['dist-server/server.js'], {
    cwd: root,
    stdio: 'inherit',
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
  server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
