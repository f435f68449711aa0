/**
 * The load benchmark's processes: the servers under test (bare Socket.IO, Parley's built
 * bundle) and the clients process, each started here, tracked in a {@link Processes} registry
 * and stopped by its PID, and the servers' settled memory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, rm, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { freePort, spawnServer, stopChild } from '../../test/support/processes.js';
import { IpcChild } from './ipc-child.js';
import { rssKiB } from './procfs.js';
import type { Command, Reply } from './wire.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Every process the benchmark started, stopped together (latest first) by `stopAll()`. After
 * that, anything still being started is stopped as soon as it is added, so a run cut short by
 * the time limit leaves nothing behind.
 */
export class Processes {
  private stops: Array<() => Promise<void>> = [];
  private closed = false;

  /** Tracks a process by its stop function; throws if the run is already over. */
  async add(stop: () => Promise<void>): Promise<void> {
    if (!this.closed) return void this.stops.push(stop);
    await stop();
    throw new Error('bench: the run is over');
  }

  /** Stops everything tracked; never throws. */
  async stopAll(): Promise<void> {
    this.closed = true;
    for (const stop of this.stops.reverse()) await stop().catch(() => undefined);
    this.stops = [];
  }
}

/** SIGKILLs `child` unless it has exited, and waits until it has (5 s at most). */
const killChild = (child: ChildProcess) => stopChild(child, 'SIGKILL', 5000);

/** A server process under test. */
export interface ServerNode {
  pid: number;
  url: string;
  /** Where its memory hook writes `process.memoryUsage()` (see {@link settledMemory}). */
  memFile: string;
  /** Kills it (SIGKILL by PID) and waits until it is gone; harmless when already gone. */
  stop(): Promise<void>;
}

// Loaded into every server (never the clients) through NODE_OPTIONS: on SIGUSR2, collect all
// garbage and report memory, so idle memory is read after a full GC in both servers alike.
const MEM_HOOK =
  'import{writeFileSync}from"node:fs";import{getHeapSpaceStatistics}from"node:v8";' +
  'process.on("SIGUSR2",()=>{gc();gc();const young=getHeapSpaceStatistics()' +
  '.find((s)=>s.space_name==="new_space")?.space_size??0;writeFileSync(' +
  'process.env.PARLEY_BENCH_MEMFILE,JSON.stringify({...process.memoryUsage(),young}))});';

function serverEnv(memFile: string): Record<string, string> {
  const hook = `--import=data:text/javascript,${encodeURIComponent(MEM_HOOK)}`;
  const options = [process.env.NODE_OPTIONS, '--expose-gc', hook].filter(Boolean).join(' ');
  // 1,000 clients come from one address here; the per-address cap is for the internet.
  return { NODE_OPTIONS: options, PARLEY_BENCH_MEMFILE: memFile, PARLEY_MAX_CONN_PER_IP: '100000' };
}

/**
 * Bundles `entry` into `dir/<name>.mjs` as plain JavaScript, so it runs like Parley's bundle (no
 * TypeScript loader in the process); `dir/node_modules` links to the project's packages.
 */
async function bundleEntry(dir: string, entry: string, name: string): Promise<string> {
  const outfile = join(dir, `${name}.mjs`);
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  await symlink(join(repo, 'node_modules'), join(dir, 'node_modules'), 'dir').catch((err) => {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  });
  return outfile;
}

/** Bundles `bare-server.ts` into `dir` (see `bundleEntry`). */
export function bundleBare(dir: string): Promise<string> {
  return bundleEntry(
    dir,
    fileURLToPath(new URL('./bare-server.ts', import.meta.url)),
    'bare-server',
  );
}

/**
 * Bundles Parley's server from its sources (`signaling/server.ts`) into `dir`, as
 * `scripts/build-server.mjs` does for `dist-server/`: what runs is the code as it is now.
 */
export function bundleParley(dir: string): Promise<string> {
  return bundleEntry(dir, join(repo, 'signaling/server.ts'), 'parley-server');
}

/**
 * Starts a Parley server bundle (see {@link bundleParley}) on a free loopback port with extra
 * `env`, serving no page; resolves once it answers `/healthz`.
 */
export async function startParleyBundle(
  procs: Processes,
  bundle: string,
  memFile: string,
  env: Record<string, string> = {},
): Promise<ServerNode> {
  const port = await freePort();
  const child = spawn(process.execPath, [bundle], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      // A folder with no page in it: only the relay is under test.
      PARLEY_STATIC_DIR: dirname(bundle),
      ...serverEnv(memFile),
      ...env,
    },
    // One log line per connection is part of the server's work; where it goes is not.
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  child.on('error', (err) => console.error('bench: parley server:', err.message));
  const stop = () => killChild(child);
  await procs.add(stop);
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`the Parley server exited with ${child.exitCode}`);
    const up = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (i >= 200) throw new Error('the Parley server did not start within 10 s');
    await sleep(50);
  }
  return { pid: child.pid!, url, memFile, stop };
}

/** Starts the bundled bare relay; resolves once it listens. */
export async function startBare(
  procs: Processes,
  bundle: string,
  memFile: string,
): Promise<ServerNode> {
  const child = spawn(process.execPath, [bundle], {
    env: { ...process.env, ...serverEnv(memFile) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child.on('error', (err) => console.error('bench: load: bare relay:', err.message));
  const stop = () => killChild(child);
  await procs.add(stop);
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the bare relay did not start in 10 s')), 10e3);
    child.once('exit', (code) => reject(new Error(`the bare relay exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /^listening (\d+)$/.exec(line);
      if (!match) return;
      clearTimeout(timer);
      resolve(Number(match[1]));
    });
  });
  return { pid: child.pid!, url: `http://127.0.0.1:${port}`, memFile, stop };
}

/** Starts one Parley server process (`dist-server/server.js`) with extra `env`. */
export async function startParley(
  procs: Processes,
  memFile: string,
  env: Record<string, string> = {},
): Promise<ServerNode> {
  const server = await spawnServer(await freePort(), { ...env, ...serverEnv(memFile) });
  const stop = () => server.kill();
  await procs.add(stop);
  return { pid: server.child.pid!, url: `http://127.0.0.1:${server.port}`, memFile, stop };
}

/** Memory of a server after a full GC, in KiB. */
export interface Memory {
  rss: number;
  heapUsed: number;
  external: number;
  /** V8's young generation, which only shrinks back to its floor once the process idles. */
  young: number;
  /** Whether the young generation was back at its floor when RSS was read. */
  settled: boolean;
}

/**
 * V8's smallest young generation in Node 20 (1 MiB semi-space). After a burst of allocation it
 * can stay 32 times that size for seconds, which alone is ~30 KiB per connection of noise in
 * RSS; so memory is read only once V8's memory reducer has shrunk it back.
 */
const YOUNG_FLOOR_KIB = 1024;
/** Longest wait for that. */
const SETTLE_LIMIT_MS = 15_000;

/** Asks `node` to collect garbage and report its memory (see `MEM_HOOK`). */
async function report(node: ServerNode): Promise<NodeJS.MemoryUsage & { young: number }> {
  await rm(node.memFile, { force: true });
  process.kill(node.pid, 'SIGUSR2');
  for (let i = 0; i < 100; i++) {
    await sleep(50);
    const text = await readFile(node.memFile, 'utf8').catch(() => '');
    try {
      return JSON.parse(text) as NodeJS.MemoryUsage & { young: number };
    } catch {
      continue; // not written yet, or half-written
    }
  }
  throw new Error(`process ${node.pid} did not report its memory within 5 s`);
}

/**
 * Has `node` collect its garbage until its young generation is back at its floor (at most
 * {@link SETTLE_LIMIT_MS}), then reads its memory (RSS from `/proc`).
 */
export async function settledMemory(node: ServerNode): Promise<Memory> {
  const kib = (n: number) => Math.round(n / 1024);
  const started = performance.now();
  for (;;) {
    const usage = await report(node);
    const settled = kib(usage.young) <= YOUNG_FLOOR_KIB;
    if (settled || performance.now() - started > SETTLE_LIMIT_MS) {
      // Give freed pages a moment to go back to the system before reading RSS.
      await sleep(300);
      return {
        rss: rssKiB(node.pid),
        heapUsed: kib(usage.heapUsed),
        external: kib(usage.external),
        young: kib(usage.young),
        settled,
      };
    }
    await sleep(700);
  }
}

/** The load benchmark's clients process (`clients.ts`), driven one command at a time. */
export type ClientsProcess = IpcChild<Command, Reply>;

/** Starts the load benchmark's clients process. */
export const ClientsProcess = {
  start: (procs: Processes): Promise<ClientsProcess> =>
    IpcChild.start<Command, Reply>(procs, new URL('./clients.ts', import.meta.url)),
};
