/**
 * Child processes for tests and benchmarks: a Parley server process (the built bundle) and a
 * throwaway Debian `redis-server`, each on a free loopback port, and the one way every child
 * we start is ended: by its PID, waiting until it is gone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A process we started; `kill()` ends it (SIGKILL) and waits until it is gone. */
export interface ServerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Sends `signal` (SIGKILL unless told) to `child` unless it has exited, and resolves once it
 * has — or after `waitMs` at the most, so a run with a deadline cannot hang on a stuck child.
 */
export function stopChild(
  child: ChildProcess,
  signal: NodeJS.Signals = 'SIGKILL',
  waitMs = Infinity,
): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = Number.isFinite(waitMs) ? setTimeout(resolve, waitMs) : undefined;
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

async function waitFor(what: string, child: ChildProcess, ready: () => Promise<boolean>) {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}`);
    if (await ready()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`${what} did not start within 10 s`);
}

/**
 * Starts `node dist-server/server.js` on `port` with extra environment `env` and waits until
 * it answers /healthz. Its output is dropped unless `PARLEY_TEST_LOGS=1`.
 */
export async function spawnServer(
  port: number,
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['dist-server/server.js'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ...env },
    stdio: process.env.PARLEY_TEST_LOGS === '1' ? 'inherit' : 'ignore',
  });
  const url = `http://localhost:${port}`;
  await waitFor('the server', child, () =>
    fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    ),
  );
  return { url, port, child, kill: (signal) => stopChild(child, signal) };
}

/** A running `redis-server`; `stop()` kills it and removes its folder. */
export interface RedisProcess {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * Starts Debian's `redis-server` in the foreground on a free loopback port, with no
 * persistence, in a temporary folder. Fails with an install hint when it is missing.
 */
export async function startRedis(): Promise<RedisProcess> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'parley-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child = spawn('redis-server', [...args, '--dir', dir], { stdio: 'ignore' });
  const spawned = new Promise<void>((resolve, reject) => {
    child.once('error', (err) =>
      reject(new Error(`cannot start redis-server (apt-get install redis-server): ${err.message}`)),
    );
    child.once('spawn', resolve);
  });
  await spawned;
  await waitFor('redis-server', child, () => answersPing(port));
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: async () => {
      await stopChild(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const conn = createConnection({ port, host: '127.0.0.1' });
    conn.once('error', () => resolve(false));
    conn.once('connect', () => conn.write('PING\r\n'));
    conn.once('data', (d) => {
      resolve(d.toString().startsWith('+PONG'));
      conn.destroy();
    });
  });
}
