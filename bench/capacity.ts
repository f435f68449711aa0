/**
 * Capacity of one node: 1,000, 5,000, 10,000 and 20,000 joined connections in rooms of 50, one
 * chat message a second in every room, against Parley's relay (bundled from `signaling/` as it
 * is now) and a bare Socket.IO relay doing the same work (`load/bare-server.ts`), each its own
 * process. Reported per point and contender: delivery latency p50/p99, loss, server CPU (% of
 * one core) and RSS per connection. Goals: no loss anywhere, Parley's p99 within 1.2x bare's at
 * every point; and where each falls over (fails to hold its connections, loses messages, or
 * stops keeping up) is reported with the numbers that show why.
 *
 * The clients are several processes (`load/fleet.ts`); each holds whole rooms, so one clock
 * times every delivery. Both servers hold their connections at once, and the curve grows: at
 * each point every contender's new rooms are connected in bounded batches, memory is read when
 * idle after a full GC, then the two are loaded in turns of {@link SLICE_MS} (a b b a …), so a
 * stall of the machine weighs on both alike; CPU is counted per contender over its own slices.
 *
 * Parley runs with its default limits except one, set through its real configuration: every
 * client here comes from 127.0.0.1, so `PARLEY_MAX_CONN_PER_IP` is raised (the default, 32, is
 * for the internet). The open-file limit is raised for the run's processes where the system
 * allows (see `load/fd-limit.ts`). Loopback only, and bounded: every process is stopped by PID
 * after {@link DEADLINE_MS} at the latest. `PARLEY_CAPACITY_POINTS=1000,2000` runs other points.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { raiseFdLimit, type FdLimit } from './load/fd-limit.js';
import { Fleet } from './load/fleet.js';
import {
  bundleBare,
  bundleParley,
  Processes,
  settledMemory,
  startBare,
  startParleyBundle,
} from './load/processes.js';
import { measurePoint, type CurveContext, type Server } from './load/capacity-point.js';
import {
  CONTENDERS,
  extraRows,
  fallsOver,
  GOALS,
  stands,
  type Point,
  type Side,
} from './load/capacity-report.js';
import { resultHead, type Benchmark, type BenchResult } from './result.js';

const DEFAULT_POINTS = [1000, 5000, 10_000, 20_000];
const ROOM_SIZE = 50;
const PER_ROOM_RATE = 1;
/** Client processes: enough that no one event loop carries more than a few thousand sockets. */
const CLIENT_PROCESSES = 4;
/** Connections each client process opens at once. */
const BATCH = 25;
/** Quiet time for fresh servers, and for joined clients, before memory is read. */
const SETTLE_MS = 1000;
/** One contender's turn; warm-up and counted time per contender are whole slices. */
const SLICE_MS = 200;
const WARMUP_MS = 4000;
const MEASURE_MS = 16_000;
const DRAIN_MS = 3000;
/** The load's timing, as sent to the clients and kept in the results. */
const TIMING = {
  perRoomRate: PER_ROOM_RATE,
  sliceMs: SLICE_MS,
  warmupMs: WARMUP_MS,
  measureMs: MEASURE_MS,
  drainMs: DRAIN_MS,
};
/**
 * The run's time budget: a point is only started when what it should take (judged from the
 * points before) fits, and growing stops when it is spent; past {@link DEADLINE_MS} every
 * process is stopped whatever happens.
 */
const BUDGET_MS = 10.5 * 60_000;
const DEADLINE_MS = 13 * 60_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function pointsFromEnv(): number[] {
  const raw = process.env.PARLEY_CAPACITY_POINTS;
  if (!raw) return DEFAULT_POINTS;
  const points = raw.split(',').map(Number);
  const whole = (n: number) => Number.isInteger(n) && n > 0 && n <= 100_000;
  // Each slice must carry a whole number of messages (rooms × rate × slice).
  const step = (ROOM_SIZE * 1000) / (SLICE_MS * PER_ROOM_RATE);
  if (!points.every((n) => whole(n) && n % step === 0)) {
    throw new Error(`PARLEY_CAPACITY_POINTS=${raw}: multiples of ${step}, up to 100000`);
  }
  return points.sort((a, b) => a - b);
}

async function startServers(procs: Processes, dir: string): Promise<Server[]> {
  const mem = (label: string) => join(dir, `${label}-memory.json`);
  const [bare, parley] = await Promise.all([bundleBare(dir), bundleParley(dir)]);
  const nodes = [
    await startBare(procs, bare, mem('bare')),
    // Every client comes from 127.0.0.1: the per-address cap (default 32) is for the internet.
    await startParleyBundle(procs, parley, mem('parley'), { PARLEY_MAX_CONN_PER_IP: '1000000' }),
  ];
  await sleep(SETTLE_MS);
  const fresh = await Promise.all(nodes.map(settledMemory));
  return CONTENDERS.map((who, group) => ({
    who,
    group,
    node: nodes[group]!,
    fresh: fresh[group]!,
    connected: 0,
  }));
}

/** Points measured, and those left out for lack of time. */
interface Curve {
  curve: Point[];
  skipped: Array<{ clients: number; why: string }>;
}

async function measureCurve(
  procs: Processes,
  dir: string,
  points: number[],
  fdLimit: FdLimit,
): Promise<Curve> {
  const started = performance.now();
  const budgetEnd = started + BUDGET_MS;
  const servers = await startServers(procs, dir);
  const fleet = await Fleet.start(procs, CLIENT_PROCESSES);
  const timing = TIMING;
  const ctx: CurveContext = {
    fleet,
    servers,
    roomSize: ROOM_SIZE,
    batch: BATCH,
    settleMs: SETTLE_MS,
    timing,
    fdLimit,
    growBy: budgetEnd,
  };
  const loadMs = (timing.warmupMs + timing.measureMs) * CONTENDERS.length + timing.drainMs;
  const curve: Point[] = [];
  const skipped: Curve['skipped'] = [];
  let msPerConn = 0; // growing, per connection and contender, as seen so far
  for (const [run, clients] of points.entries()) {
    if (servers.every((s) => s.down)) break;
    const added = clients - (curve[curve.length - 1]?.clients ?? 0);
    const standing = servers.filter((s) => !s.down).length;
    const expected = msPerConn * added * standing + loadMs + 2 * SETTLE_MS;
    if (performance.now() + expected > budgetEnd) {
      const why = `out of time: about ${Math.round(expected / 1000)} s needed, the run's budget is ${BUDGET_MS / 1000} s`;
      skipped.push({ clients, why });
      continue;
    }
    const point = await measurePoint(ctx, clients, run);
    curve.push(point);
    const grew = [point.bare, point.parley].filter((s) => s.connectMs > 0);
    for (const s of grew) msPerConn = Math.max(msPerConn, s.connectMs / added);
  }
  await fleet.close().catch(() => undefined);
  console.error(
    `bench: capacity: curve measured in ${Math.round((performance.now() - started) / 1000)} s`,
  );
  return { curve, skipped };
}

async function run(): Promise<BenchResult> {
  const points = pointsFromEnv();
  const largest = points[points.length - 1]!;
  // Each side of every connection is a descriptor: a server holds `largest`, each client
  // process its share of both contenders'.
  const fdLimit: FdLimit = raiseFdLimit(Math.max(largest, (2 * largest) / CLIENT_PROCESSES) + 4096);
  if (fdLimit.problem)
    console.error(
      `bench: capacity: open files limited to ${fdLimit.after.soft}: ${fdLimit.problem}`,
    );
  const procs = new Processes();
  const dir = await mkdtemp(join(tmpdir(), 'parley-capacity-'));
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    const text = `bench: capacity took over ${DEADLINE_MS / 1000} s; every process stopped`;
    timer = setTimeout(() => reject(new Error(text)), DEADLINE_MS);
  });
  let measured: Curve;
  try {
    measured = await Promise.race([measureCurve(procs, dir, points, fdLimit), late]);
  } finally {
    clearTimeout(timer);
    await procs.stopAll();
    await rm(dir, { recursive: true, force: true });
  }
  const { curve, skipped } = measured;
  // The main row: the largest point both contenders were loaded at.
  const both = curve.filter((p) => p.ratio);
  const main = both[both.length - 1];
  const none = { p50: NaN, p99: NaN, mean: NaN };
  const strip = (s: Side | undefined) => {
    if (!s?.latency) return none;
    const { max: _max, ...rest } = s.latency;
    return rest;
  };
  const passes = {
    everyPoint: curve.length === points.length && curve.every((p) => p.ratio),
    p99: curve.every((p) => p.ratio !== undefined && p.ratio.p99 <= GOALS.p99),
    loss: curve.every((p) => stands(p.parley)),
  };
  return {
    ...resultHead(benchmark.name, 'n/a (no browser: socket.io-client in Node)'),
    rounds: main?.parley.messages?.received ?? 0,
    parley: strip(main?.parley),
    raw: strip(main?.bare),
    ratio: main?.ratio ?? { p50: NaN, p99: NaN },
    goal: GOALS.p99,
    pass: passes.everyPoint && passes.p99 && passes.loss,
    mainPoint: main?.clients ?? null,
    goals: GOALS,
    passes,
    fellOver: { parley: fallsOver(curve, 'parley'), bare: fallsOver(curve, 'bare') },
    settings: {
      points,
      roomSize: ROOM_SIZE,
      clientProcesses: CLIENT_PROCESSES,
      batch: BATCH,
      ...TIMING,
    },
    fdLimit,
    curve,
    skipped,
  };
}

/** Connections one node carries: Parley vs bare Socket.IO from 1,000 to 20,000. */
export const benchmark: Benchmark = { name: 'capacity', run, extraRows };
