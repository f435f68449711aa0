/**
 * One point of the capacity curve: grow every standing contender to the point's connections
 * (bounded batches), read each server's idle memory after a full GC, then load them in turns
 * and meter their CPU per slice. A contender that cannot hold its connections, or whose server
 * dies, falls over here and is dropped (its clients disconnected) so it no longer weighs on the
 * machine.
 */
import type { FdLimit } from './fd-limit.js';
import type { Fleet } from './fleet.js';
import { cpuMs, isRunning, rssKiB } from './procfs.js';
import { settledMemory, type Memory, type ServerNode } from './processes.js';
import { meterSlices } from './slice-cpu.js';
import {
  CONTENDERS,
  loadedSide,
  memoryOf,
  type Contender,
  type Point,
  type Side,
} from './capacity-report.js';
import type { RunCommand } from './capacity-wire.js';
import { ratioOf, round } from '../stats.js';

/** A contender's server and what is known of it so far. */
export interface Server {
  who: Contender;
  /** Its group number among the clients. */
  group: number;
  node: ServerNode;
  /** Its memory fresh, before any client. */
  fresh: Memory;
  /** Joined connections it holds. */
  connected: number;
  /** Why it no longer takes part, once it fell over. */
  down?: string;
}

/** What every point shares. */
export interface CurveContext {
  fleet: Fleet;
  servers: Server[];
  roomSize: number;
  /** Connections each client process opens at once. */
  batch: number;
  /** Quiet time for joined clients before memory is read. */
  settleMs: number;
  timing: Omit<RunCommand, 'type' | 'run' | 'startAt' | 'groups'>;
  fdLimit: FdLimit;
  /** `performance.now()` by which growing must be over (the run's time budget). */
  growBy: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const message = (err: unknown) => String(err instanceof Error ? err.message : err);
/** CPU ms of `pid` so far; NaN once it is gone. */
function cpuOrNaN(pid: number): number {
  try {
    return cpuMs(pid);
  } catch {
    return NaN;
  }
}
/** Descriptors a server holds beside its connections (stdio, epoll, listener, pipes…). */
const FD_OVERHEAD = 64;

/** Why `s` could not grow: what failed, and the open-file limit when it was the wall. */
function growFailure(ctx: CurveContext, held: number, failed: number, error?: string): string {
  const { after, problem } = ctx.fdLimit;
  const atLimit = held + FD_OVERHEAD >= after.soft;
  const limit = atLimit
    ? `; at the open-file limit (${after.soft} per process${problem ? `: ${problem}` : ''})`
    : '';
  return `held ${held}, ${failed} more failed (${error})${limit}`;
}

/** Connects a point's new rooms for every standing contender; those that fail are dropped. */
async function grow(ctx: CurveContext, clients: number, sides: Partial<Record<Contender, Side>>) {
  const { fleet } = ctx;
  for (const s of ctx.servers.filter((s) => !s.down)) {
    console.error(`bench: capacity: ${s.who}: growing to ${clients} connections…`);
    if (ctx.growBy - performance.now() < 5000) {
      // Not a fall-over: the contender before it used the time up.
      s.down = "not grown: the run's time budget was spent";
      sides[s.who] = { connected: s.connected, connectMs: 0, down: s.down };
      console.error(`bench: capacity: ${s.who}: ${s.down}`);
      await fleet.drop(s.group).catch(() => undefined);
      continue;
    }
    const pids = [s.node.pid, ...fleet.pids];
    const cpuBefore = pids.map(cpuOrNaN);
    const timeout = Math.round(ctx.growBy - performance.now());
    const grown = await fleet
      .grow(s.group, s.node.url, clients / ctx.roomSize, ctx.roomSize, ctx.batch, timeout)
      .catch((err: unknown) => ({
        clients: s.connected,
        failed: clients - s.connected,
        firstError: `${message(err)}: out of the run's time budget`,
        ms: Math.round(timeout),
      }));
    const cpuUsed = pids.map((pid, i) => cpuOrNaN(pid) - cpuBefore[i]!);
    const added = Math.max(1, grown.clients - s.connected);
    s.connected = grown.clients;
    sides[s.who] = {
      connected: grown.clients,
      connectMs: grown.ms,
      connectCpuMsPerConn: {
        server: round(cpuUsed[0]! / added, 3),
        clients: round(cpuUsed.slice(1).reduce((a, b) => a + b, 0) / added, 3),
      },
    };
    console.error(`bench: capacity: ${s.who}: ${grown.clients} joined in ${grown.ms} ms`);
    if (!isRunning(s.node.pid)) s.down = 'the server process died';
    else if (grown.failed) s.down = growFailure(ctx, grown.clients, grown.failed, grown.firstError);
    if (s.down) {
      console.error(`bench: capacity: ${s.who} fell over at ${clients}: ${s.down}`);
      sides[s.who]!.down = s.down;
      await fleet.drop(s.group).catch(() => undefined);
    }
  }
}

/** Idle memory of every standing server after a full GC; one that cannot tell falls over. */
async function idleMemory(ctx: CurveContext): Promise<Map<Contender, Memory>> {
  await sleep(ctx.settleMs);
  const idle = new Map<Contender, Memory>();
  const standing = ctx.servers.filter((s) => !s.down);
  await Promise.all(
    standing.map(async (s) => {
      try {
        idle.set(s.who, await settledMemory(s.node));
      } catch (err) {
        s.down = `no memory reading: ${message(err)}`;
      }
    }),
  );
  return idle;
}

/** Loads the standing contenders in turns; fills in their sides. */
async function load(
  ctx: CurveContext,
  run: number,
  idle: Map<Contender, Memory>,
  sides: Partial<Record<Contender, Side>>,
): Promise<number[]> {
  const { fleet, timing } = ctx;
  const loaded = ctx.servers.filter((s) => !s.down);
  const watch: Record<string, number> = {};
  for (const s of loaded) watch[s.who] = s.node.pid;
  fleet.pids.forEach((pid, i) => (watch[`clients${i}`] = pid));
  // This process meters and drives: not one of the "other programs".
  watch.bench = process.pid;
  const lead = 500;
  const slicesPerGroup = (timing.warmupMs + timing.measureMs) / timing.sliceMs;
  const schedule = {
    start: performance.now() + lead,
    sliceMs: timing.sliceMs,
    groups: loaded.length,
    slicesPerGroup,
    warmSlices: timing.warmupMs / timing.sliceMs,
  };
  const groups = loaded.map((s) => s.group);
  const runMs = lead + slicesPerGroup * timing.sliceMs * loaded.length + timing.drainMs + 60_000;
  const [ran, cpu] = await Promise.all([
    fleet.run({ run, startAt: Date.now() + lead, groups, ...timing }, runMs),
    meterSlices(schedule, watch),
  ]);
  loaded.forEach((s, i) => {
    const c = cpu[i]!.cpu;
    const clientsCpu = fleet.pids.reduce((n, _, p) => n + c[`clients${p}`]!, 0);
    const alive = isRunning(s.node.pid);
    const memory = memoryOf(
      s.fresh,
      idle.get(s.who)!,
      s.connected,
      alive ? rssKiB(s.node.pid) : NaN,
    );
    const cpuOf = {
      server: c[s.who]!,
      clients: round(clientsCpu, 1),
      others: c.others!,
      windowMs: cpu[i]!.windowMs,
    };
    const side = loadedSide(sides[s.who]!, ran.groups.get(s.group)!, cpuOf, memory);
    if (!alive) s.down = side.down = 'the server process died under load';
    sides[s.who] = side;
  });
  return ran.rssKiB;
}

/** Measures the point of `clients` connections (`run` numbers its messages). */
export async function measurePoint(
  ctx: CurveContext,
  clients: number,
  run: number,
): Promise<Point> {
  const sides: Partial<Record<Contender, Side>> = {};
  await grow(ctx, clients, sides);
  const idle = await idleMemory(ctx);
  const standing = ctx.servers.filter((s) => !s.down);
  let clientsRssKiB: number[] = [];
  if (standing.length) {
    console.error(
      `bench: capacity: ${clients}: ${standing.map((s) => s.who).join(', ')} in turns…`,
    );
    clientsRssKiB = await load(ctx, run, idle, sides);
  }
  const sideOf = (who: Contender, i: number): Side =>
    sides[who] ?? { connected: 0, connectMs: 0, down: ctx.servers[i]!.down ?? 'not loaded' };
  const [bare, parley] = CONTENDERS.map(sideOf) as [Side, Side];
  const point: Point = { clients, rooms: clients / ctx.roomSize, bare, parley, clientsRssKiB };
  if (bare.latency && parley.latency && !bare.down && !parley.down) {
    point.ratio = ratioOf(parley.latency, bare.latency);
  }
  return point;
}
