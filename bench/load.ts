/**
 * Server load: 1,000 socket.io clients in 100 rooms of 10, each room carrying 10 chat
 * messages per second (1,000 messages and 9,000 deliveries per second in all), against
 * (a) a bare Socket.IO relay doing the same work (`load/bare-server.ts`), (b) Parley's relay
 * (`dist-server/server.js`) with its validation and limits, and (c) Parley on two nodes over
 * Redis, every room spanning both. Each server is its own process, and so are the clients
 * (`load/clients.ts`), which time every delivery on one clock.
 *
 * Reported per contender: delivery latency p50/p99, loss, server CPU over the counted window
 * (% of one core) and memory per idle connection (RSS after a full GC with 1,000 idle joined
 * clients, minus the same with none, over 1,000). Goals: Parley's p99 within 1.2x bare, no
 * loss, memory per connection within 1.3x bare. Loopback only, and bounded: everything is
 * stopped by PID after {@link DEADLINE_MS} at the latest.
 */
import { statSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedis } from '../scripts/processes.js';
import { findPid } from './load/procfs.js';
import {
  bundleBare,
  ClientsProcess,
  Processes,
  settledMemory,
  startBare,
  startParley,
  type Memory,
  type ServerNode,
} from './load/processes.js';
import type { FullStats } from './load/wire.js';
import type { Benchmark, BenchResult } from './run.js';

const CLIENTS = 1000;
const ROOMS = 100;
const PER_ROOM_RATE = 10;
/** Connections opened at once. */
const BATCH = 50;
/** Quiet time for a fresh server before its baseline memory. */
const SETTLE_MS = 1500;
/** Quiet time with every client joined before idle memory. */
const IDLE_MS = 5000;
const WARMUP_MS = 5000;
const MEASURE_MS = 15_000;
const DRAIN_MS = 3000;
/** The whole benchmark, three contenders included. */
const DEADLINE_MS = 4 * 60_000;
const GOALS = { p99: 1.2, memory: 1.3 };

/** What one contender (one or more server processes) did under the load. */
interface ContenderResult {
  nodes: number;
  connectMs: number;
  latency: FullStats;
  /** How late the clients process sent against schedule (its own saturation). */
  sendLag: FullStats;
  messages: { sent: number; expected: number; received: number; lost: number; duplicates: number };
  errors: Record<string, number>;
  disconnects: Record<string, number>;
  /** % of one core over the counted window; `server` sums the nodes, Redis is apart. */
  cpu: { server: number; nodes: number[]; redis?: number; clients: number; windowMs: number };
  /** KiB; per connection = growth summed over the nodes, over the number of clients. */
  memory: {
    base: Memory[];
    idle: Memory[];
    rssPerConn: number;
    heapPerConn: number;
    rssUnderLoad: number[];
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;

async function measure(
  procs: Processes,
  nodes: ServerNode[],
  extra: Record<string, number>,
): Promise<ContenderResult> {
  await sleep(SETTLE_MS);
  const base = await Promise.all(nodes.map(settledMemory));
  const clients = await ClientsProcess.start(procs);
  try {
    const urls = nodes.map((n) => n.url);
    const connect = {
      type: 'connect',
      urls,
      clients: CLIENTS,
      rooms: ROOMS,
      batch: BATCH,
    } as const;
    const connected = await clients.request(connect, 'connected', 90_000);
    await sleep(IDLE_MS);
    const idle = await Promise.all(nodes.map(settledMemory));
    const watch = { ...Object.fromEntries(nodes.map((n, i) => [`node${i}`, n.pid])), ...extra };
    const r = await clients.request(
      {
        type: 'load',
        perRoomRate: PER_ROOM_RATE,
        warmupMs: WARMUP_MS,
        measureMs: MEASURE_MS,
        drainMs: DRAIN_MS,
        watch,
      },
      'loaded',
      WARMUP_MS + MEASURE_MS + DRAIN_MS + 30_000,
    );
    await clients.request({ type: 'close' }, 'closed', 10_000);
    const grown = (key: keyof Memory) =>
      idle.reduce((sum, m, i) => sum + m[key] - base[i]![key], 0) / connected.clients;
    const nodeCpu = nodes.map((_, i) => r.cpu[`node${i}`]!);
    return {
      nodes: nodes.length,
      connectMs: connected.ms,
      latency: r.latency,
      sendLag: r.sendLag,
      messages: {
        sent: r.sent,
        expected: r.expected,
        received: r.received,
        lost: r.expected - r.received,
        duplicates: r.duplicates,
      },
      errors: r.errors,
      disconnects: r.disconnects,
      cpu: {
        server: round(
          nodeCpu.reduce((a, b) => a + b, 0),
          1,
        ),
        nodes: nodeCpu,
        ...(r.cpu.redis === undefined ? {} : { redis: r.cpu.redis }),
        clients: r.cpu.clients!,
        windowMs: r.windowMs,
      },
      memory: {
        base,
        idle,
        rssPerConn: round(grown('rss'), 2),
        heapPerConn: round(grown('heapUsed'), 2),
        rssUnderLoad: nodes.map((_, i) => r.rssKiB[`node${i}`]!),
      },
    };
  } finally {
    await clients.stop();
    await Promise.all(nodes.map((n) => n.stop()));
  }
}

interface Contenders {
  bare: ContenderResult;
  parley: ContenderResult;
  /** Undefined when Redis could not start (the reason is in `clusterSkipped`). */
  cluster?: ContenderResult;
  clusterSkipped?: string;
}

async function measureAll(procs: Processes, dir: string): Promise<Contenders> {
  const mem = (name: string) => join(dir, `${name}-memory.json`);
  const bundle = await bundleBare(dir);
  console.error('bench: load (a): bare socket.io relay…');
  const bare = await measure(procs, [await startBare(procs, bundle, mem('bare'))], {});
  console.error('bench: load (b): Parley, one node…');
  const parley = await measure(procs, [await startParley(procs, mem('parley'))], {});

  let redis;
  try {
    redis = await startRedis();
  } catch (err) {
    // (a) and (b) still stand without Redis; say why (c) is missing.
    return { bare, parley, clusterSkipped: String(err instanceof Error ? err.message : err) };
  }
  await procs.add(redis.stop);
  const port = `:${redis.port}`;
  const redisPid = findPid((c) => /^\S*redis-server\b/.test(c) && c.includes(port));
  console.error('bench: load (c): Parley, two nodes over Redis…');
  const env = { REDIS_URL: redis.url };
  const nodes = [await startParley(procs, mem('node0'), env)];
  nodes.push(await startParley(procs, mem('node1'), env));
  const cluster = await measure(procs, nodes, redisPid ? { redis: redisPid } : {});
  await redis.stop();
  return { bare, parley, cluster };
}

/** Fails clearly when the server bundle is missing; warns when it is older than its sources. */
async function checkBuild(): Promise<void> {
  const bundle = 'dist-server/server.js';
  let built: number;
  try {
    built = statSync(bundle).mtimeMs;
  } catch {
    throw new Error(`${bundle} is missing: run \`npm run build\` first (from the project root)`);
  }
  for (const dir of ['signaling', 'src/transport']) {
    for (const file of await readdir(dir)) {
      if (statSync(join(dir, file)).mtimeMs > built) {
        console.error(`bench: load: ${dir}/${file} is newer than ${bundle}; run \`npm run build\``);
        return;
      }
    }
  }
}

async function run(): Promise<BenchResult> {
  await checkBuild();
  const procs = new Processes();
  const dir = await mkdtemp(join(tmpdir(), 'parley-load-'));
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    const message = `bench: load took over ${DEADLINE_MS / 1000} s; every process stopped`;
    timer = setTimeout(() => reject(new Error(message)), DEADLINE_MS);
  });
  let c: Contenders;
  try {
    c = await Promise.race([measureAll(procs, dir), late]);
  } finally {
    clearTimeout(timer);
    await procs.stopAll();
    await rm(dir, { recursive: true, force: true });
  }
  const { bare, parley, cluster } = c;
  const ratio = {
    p50: round(parley.latency.p50 / bare.latency.p50),
    p99: round(parley.latency.p99 / bare.latency.p99),
  };
  const memoryRatio = round(parley.memory.rssPerConn / bare.memory.rssPerConn);
  const passes = {
    p99: ratio.p99 <= GOALS.p99,
    loss: parley.messages.lost === 0 && (cluster?.messages.lost ?? 0) === 0,
    memory: memoryRatio <= GOALS.memory,
  };
  const { max: _pMax, ...parleyStats } = parley.latency;
  const { max: _rMax, ...rawStats } = bare.latency;
  return {
    name: benchmark.name,
    date: new Date().toISOString(),
    node: process.version,
    chromium: 'n/a (no browser: socket.io-client in Node)',
    rounds: parley.messages.received,
    parley: parleyStats,
    raw: rawStats,
    ratio,
    goal: GOALS.p99,
    pass: passes.p99,
    goals: GOALS,
    passes,
    memoryRatio,
    cpuRatio: round(parley.cpu.server / bare.cpu.server),
    clusterRatio: cluster
      ? {
          p50: round(cluster.latency.p50 / bare.latency.p50),
          p99: round(cluster.latency.p99 / bare.latency.p99),
        }
      : undefined,
    settings: {
      clients: CLIENTS,
      rooms: ROOMS,
      perRoomRate: PER_ROOM_RATE,
      warmupMs: WARMUP_MS,
      measureMs: MEASURE_MS,
      drainMs: DRAIN_MS,
      idleMs: IDLE_MS,
    },
    contenders: c,
  };
}

const f1 = (n: number) => n.toFixed(1);
const verdict = (ok: boolean) => (ok ? 'pass' : 'MISSED');
const loss = (r: ContenderResult) => `${r.messages.lost} of ${r.messages.expected}`;
const cpu = (r: ContenderResult) =>
  `${f1(r.cpu.server)}${r.cpu.redis === undefined ? '' : ` + redis ${f1(r.cpu.redis)}`}`;
const trouble = (r: ContenderResult) => {
  const count = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
  return `${count(r.errors)} / ${count(r.disconnects)} / ${r.messages.duplicates}`;
};

function extraRows(r: BenchResult): string[][] {
  const { bare, parley, cluster, clusterSkipped } = r.contenders as Contenders;
  const passes = r.passes as { loss: boolean; memory: boolean };
  const rows = [
    ['  loss (lost of expected)', loss(parley), loss(bare), '-', `0 ${verdict(passes.loss)}`],
    [
      '  memory/idle conn (KiB RSS)',
      f1(parley.memory.rssPerConn),
      f1(bare.memory.rssPerConn),
      (r.memoryRatio as number).toFixed(2),
      `<= ${GOALS.memory} ${verdict(passes.memory)}`,
    ],
    [
      '  heap/idle conn (KiB)',
      f1(parley.memory.heapPerConn),
      f1(bare.memory.heapPerConn),
      (parley.memory.heapPerConn / bare.memory.heapPerConn).toFixed(2),
      'report',
    ],
    ['  server CPU (% of a core)', cpu(parley), cpu(bare), String(r.cpuRatio), 'report'],
    [
      '  clients CPU % / send lag p99 (ms)',
      `${f1(parley.cpu.clients)} / ${parley.sendLag.p99}`,
      `${f1(bare.cpu.clients)} / ${bare.sendLag.p99}`,
      '-',
      'report',
    ],
    ['  errors / disconnects / dups', trouble(parley), trouble(bare), '-', 'report'],
  ];
  if (!cluster) return [...rows, ['  2 nodes + redis', `skipped: ${clusterSkipped}`, '', '', '']];
  const vsBare = r.clusterRatio as { p50: number; p99: number };
  const lat = (s: FullStats) => `${s.p50.toFixed(3)} / ${s.p99.toFixed(3)}`;
  return [
    ...rows,
    [
      '  2 nodes + redis p50/p99 (ms)',
      lat(cluster.latency),
      lat(bare.latency),
      `${vsBare.p50.toFixed(2)} / ${vsBare.p99.toFixed(2)}`,
      'report',
    ],
    [
      '  2 nodes: loss · CPU % (both) · KiB/conn',
      `${loss(cluster)} · ${cpu(cluster)} · ${f1(cluster.memory.rssPerConn)}`,
      '',
      '',
      `0 loss ${verdict(cluster.messages.lost === 0)}`,
    ],
    ['  2 nodes: errors / disconnects / dups', trouble(cluster), '', '-', 'report'],
  ];
}

/** Relay latency, loss, CPU and memory under 1,000 clients: bare vs Parley vs Parley on Redis. */
export const benchmark: Benchmark = { name: 'load', run, extraRows };
