// `npm start`: builds once — again only when a source is newer than the build (or a piece of
// the build is missing) — then runs the server in the foreground (it stops on Ctrl+C/SIGTERM),
// and beside it the keeper (keeper/), a member of the server's rooms that holds their messages
// for members who are away. The two share a random token made here (or PARLEY_KEEPER_TOKEN),
// which only the keeper's connection to the server presents. `PARLEY_KEEPER=off` runs the
// server alone. A rebuild takes about a minute on 2 cores; an up-to-date start takes well
// under a second.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What the build makes; the oldest of them is the build's age. */
export const OUTPUTS = [
  'dist/index.html',
  'dist/lib/parley.js',
  'dist/node/index.js',
  'dist-server/server.js',
  'dist-server/keeper.js',
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
  'keeper',
  'scripts/build-keeper.mjs',
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
  const keeperOn = process.env.PARLEY_KEEPER !== 'off';
  const token = process.env.PARLEY_KEEPER_TOKEN || randomBytes(32).toString('base64url');
  const env = keeperOn ? { ...process.env, PARLEY_KEEPER_TOKEN: token } : process.env;
  const server = spawn(process.execPath, ['dist-server/server.js'], {
    cwd: root,
    stdio: 'inherit',
    env,
  });
  const keeper = keeperOn ? runKeeper(root, env) : undefined;
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      keeper?.stop(signal);
      server.kill(signal);
    });
  }
  server.on('exit', (code, signal) => {
    keeper?.stop('SIGTERM');
    process.exit(code ?? (signal ? 1 : 0));
  });
}

/** The server's own address for the keeper (loopback when it listens on every interface). */
function serverUrl(env) {
  const host =
    !env.HOST || env.HOST === '0.0.0.0' ? '127.0.0.1' : env.HOST === '::' ? '::1' : env.HOST;
  return `http://${host.includes(':') ? `[${host}]` : host}:${env.PORT || 8080}`;
}

/**
 * Runs the keeper beside the server, started again if it dies (after 2 s; at most 5 times in a
 * row, counted afresh once it has run a minute). Its store is PARLEY_KEEPER_DIR (keeper-data).
 */
function runKeeper(root, env) {
  if (env.PORT === '0') {
    console.error('keeper: not started (PORT=0: its server address is not known in advance)');
    return undefined;
  }
  let child;
  let stopping = false;
  let failures = 0;
  const start = () => {
    const began = Date.now();
    child = spawn(process.execPath, ['dist-server/keeper.js', '--server', serverUrl(env)], {
      cwd: root,
      stdio: 'inherit',
      env,
    });
    child.on('exit', (code, signal) => {
      if (stopping) return;
      failures = Date.now() - began > 60_000 ? 1 : failures + 1;
      console.error(`keeper: exited (${code ?? signal})`);
      if (failures > 5) return console.error('keeper: not started again (it keeps failing)');
      setTimeout(start, 2000).unref();
    });
  };
  start();
  return {
    stop: (signal) => {
      stopping = true;
      child?.kill(signal);
    },
  };
}
