/**
 * One of the capacity benchmark's client processes (forked by `fleet.ts`, commands over IPC, see
 * `capacity-wire.ts`; argv: its index and the number of processes). It owns the rooms whose
 * number modulo the process count is its index and holds every member of them, in one group per
 * contender, so senders and receivers share this process's clock: a message's id names its run
 * and its index in the group's send schedule, and the receiver looks up when it left.
 *
 * All processes follow one schedule (the same slices from the same start time), each sending
 * only its own rooms' messages, so together they load each room at the asked rate.
 */
import { rssKiB } from './procfs.js';
import { openMember, sendChat, type Member } from './member.js';
import type {
  FleetCommand,
  FleetReply,
  GroupRun,
  GrowCommand,
  GrownReply,
  RanReply,
  RunCommand,
} from './capacity-wire.js';

const INDEX = Number(process.argv[2]);
const COUNT = Number(process.argv[3]);
/** Whatever happens, this process is gone after this long. */
const LIFETIME_MS = 20 * 60_000;
/**
 * Time limit for one connection's open and for its join: long, so that a machine too busy to
 * answer quickly shows as slow growth (`connectMs`), not as a server refusing connections.
 */
const CONNECT_TIMEOUT_MS = 30_000;
/** How often the sender wakes up to send what is due. */
const TICK_MS = 2;

/** One contender's members in this process, and what its current run's messages did. */
interface Group {
  /** Members of each owned room, by room number. */
  rooms: Map<number, Member[]>;
  /** Bumped by a drop: a grow still under way then closes what it opens. */
  generation: number;
  /** Rooms of the group over every process (message k goes to room k % roomCount). */
  roomCount: number;
  errors: Record<string, number>;
  disconnects: Record<string, number>;
  run: number;
  // Per scheduled message k (every process's, only ours used): when it left, how often it
  // arrived; k >= from are counted.
  sentAt: Float64Array;
  arrivals: Uint16Array;
  from: number;
  /** Counted deliveries' latencies, `timed` of them; sized up front to what is expected. */
  latencies: Float64Array;
  timed: number;
  lags: number[];
}

const groups: Group[] = [];
let closing = false;

const owns = (room: number) => room % COUNT === INDEX;
const bump = (counts: Record<string, number>, key: string) =>
  (counts[key] = (counts[key] ?? 0) + 1);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

function onEvent(g: Group, event: string, args: unknown[]): void {
  const at = performance.now();
  if (event !== 'chat:message') return;
  const id = (args[0] as { id?: unknown } | undefined)?.id;
  if (typeof id !== 'string') return;
  const dash = id.indexOf('-');
  if (Number(id.slice(1, dash)) !== g.run) return; // late from an earlier run
  const k = Number(id.slice(dash + 1));
  if (!(k >= 0 && k < g.sentAt.length)) return;
  g.arrivals[k]!++;
  if (k >= g.from && g.timed < g.latencies.length) g.latencies[g.timed++] = at - g.sentAt[k]!;
}

function groupOf(i: number): Group {
  return (groups[i] ??= {
    rooms: new Map(),
    generation: 0,
    roomCount: 0,
    errors: {},
    disconnects: {},
    run: -1,
    sentAt: new Float64Array(0),
    arrivals: new Uint16Array(0),
    from: 0,
    latencies: new Float64Array(0),
    timed: 0,
    lags: [],
  });
}

async function grow(cmd: GrowCommand): Promise<GrownReply> {
  const started = performance.now();
  const g = groupOf(cmd.group);
  const generation = g.generation;
  const todo: Array<{ r: number; i: number }> = [];
  for (let r = g.roomCount; r < cmd.rooms; r++) {
    if (!owns(r)) continue;
    g.rooms.set(r, []);
    for (let slot = 0; slot < cmd.roomSize; slot++) todo.push({ r, i: r * cmd.roomSize + slot });
  }
  g.roomCount = cmd.rooms;
  const sink = {
    event: (event: string, args: unknown[]) => onEvent(g, event, args),
    error: (code: string) => bump(g.errors, code),
    disconnect: (reason: string) => closing || bump(g.disconnects, reason),
  };
  let failed = 0;
  let firstError: string | undefined;
  // Batches, so the server sees a steady stream of handshakes rather than a SYN flood.
  for (let first = 0; first < todo.length && !failed; first += cmd.batch) {
    if (g.generation !== generation) break;
    const batch = todo.slice(first, first + cmd.batch);
    const opened = await Promise.allSettled(
      batch.map((t) => openMember(cmd.url, t.r, t.i, sink, CONNECT_TIMEOUT_MS)),
    );
    for (const o of opened) {
      if (o.status === 'fulfilled') {
        // Dropped while it opened (the bench gave up waiting): not kept.
        if (g.generation !== generation) closeQuietly(o.value);
        else g.rooms.get(o.value.r)!.push(o.value);
      } else {
        failed++;
        firstError ??= String(o.reason instanceof Error ? o.reason.message : o.reason);
      }
    }
  }
  const clients = [...g.rooms.values()].reduce((n, members) => n + members.length, 0);
  const ms = Math.round(performance.now() - started);
  return { type: 'grown', clients, failed, ...(firstError ? { firstError } : {}), ms };
}

/** Messages of group `g` in one of its slices (the parent checks it is a whole number). */
const perSliceOf = (g: Group, cmd: RunCommand) =>
  (g.roomCount * cmd.perRoomRate * cmd.sliceMs) / 1000;

/** Sizes `g`'s counters for `cmd`'s schedule (`slicesPerGroup` slices, the first `warmSlices` uncounted). */
function prepare(g: Group, cmd: RunCommand, slicesPerGroup: number, warmSlices: number): void {
  const perSlice = perSliceOf(g, cmd);
  const total = perSlice * slicesPerGroup;
  g.run = cmd.run;
  g.sentAt = new Float64Array(total);
  g.arrivals = new Uint16Array(total);
  g.from = perSlice * warmSlices;
  g.timed = 0;
  g.lags = [];
  let expected = 0;
  for (let k = g.from; k < total; k++) expected += expectedOf(g, k);
  // Room for every counted delivery: growing an array instead would feed the old generation.
  g.latencies = new Float64Array(expected);
}

/** Deliveries message k of `g` should make here: the rest of its room, if the room is ours. */
function expectedOf(g: Group, k: number): number {
  const members = g.rooms.get(k % g.roomCount);
  return members && members.length ? members.length - 1 : 0;
}

/** Sends `g`'s message k (from its room's members in turn) if this process owns its room. */
function send(g: Group, k: number, run: number, due: number, counted: boolean): void {
  const members = g.rooms.get(k % g.roomCount);
  if (!members?.length) return;
  const m = members[Math.floor(k / g.roomCount) % members.length]!;
  g.sentAt[k] = performance.now();
  if (counted) g.lags.push(g.sentAt[k] - due);
  sendChat(m, `c${run}-${k}`);
}

async function run(cmd: RunCommand): Promise<RanReply> {
  const active = cmd.groups.map(groupOf);
  const warmSlices = cmd.warmupMs / cmd.sliceMs;
  const slicesPerGroup = warmSlices + cmd.measureMs / cmd.sliceMs;
  for (const g of active) prepare(g, cmd, slicesPerGroup, warmSlices);
  const order = active.map((_, i) => i);
  const plan = Array.from({ length: slicesPerGroup }, (_, r) =>
    r % 2 ? [...order].reverse() : order,
  );
  const slices = plan.flat();
  const done = active.map(() => 0);
  // The schedule's start on this process's clock (epoch time is shared by all processes).
  const start = performance.now() + (cmd.startAt - Date.now());
  for (let s = 0; s < slices.length; s++) {
    const g = active[slices[s]!]!;
    const perSlice = perSliceOf(g, cmd);
    const begin = start + s * cmd.sliceMs;
    const interval = cmd.sliceMs / perSlice;
    const first = done[slices[s]!]! * perSlice;
    const counted = first >= g.from;
    await sleep(begin - performance.now());
    for (let j = 0; j < perSlice;) {
      const due = Math.min(perSlice, Math.floor((performance.now() - begin) / interval) + 1);
      for (; j < due; j++) send(g, first + j, cmd.run, begin + j * interval, counted);
      if (j < perSlice) await sleep(TICK_MS);
    }
    done[slices[s]!]!++;
  }
  const rss = rssKiB(process.pid);
  const arrived = (g: Group) => {
    let n = 0;
    for (let k = g.from; k < g.sentAt.length; k++) n += Math.min(g.arrivals[k]!, expectedOf(g, k));
    return n;
  };
  const drainEnd = performance.now() + cmd.drainMs;
  while (active.some((g) => arrived(g) < g.latencies.length) && performance.now() < drainEnd) {
    await sleep(50);
  }
  const reports = active.map((g, i): GroupRun => {
    let sent = 0;
    let all = 0;
    for (let k = g.from; k < g.sentAt.length; k++) {
      if (g.rooms.get(k % g.roomCount)?.length) sent++;
      all += g.arrivals[k]!;
    }
    const received = arrived(g);
    const report = {
      group: cmd.groups[i]!,
      sent,
      expected: g.latencies.length,
      received,
      duplicates: all - received,
      latencies: g.latencies.slice(0, g.timed),
      lags: Float64Array.from(g.lags),
      errors: g.errors,
      disconnects: g.disconnects,
    };
    // The next run reports what happens from now on.
    g.errors = {};
    g.disconnects = {};
    return report;
  });
  return { type: 'ran', groups: reports, rssKiB: rss };
}

/** Closes `m` without counting its goodbye as a lost connection. */
function closeQuietly(m: Member): void {
  const before = closing;
  closing = true;
  m.socket.disconnect();
  closing = before;
}

function disconnectAll(g: Group): void {
  for (const members of g.rooms.values()) for (const m of members) closeQuietly(m);
}

async function handle(cmd: FleetCommand): Promise<FleetReply> {
  switch (cmd.type) {
    case 'grow':
      return grow(cmd);
    case 'run':
      return run(cmd);
    case 'drop': {
      const g = groupOf(cmd.group);
      g.generation++;
      disconnectAll(g);
      g.rooms.clear();
      g.disconnects = {};
      return { type: 'dropped' };
    }
    case 'close':
      closing = true;
      for (const g of groups) if (g) disconnectAll(g);
      return { type: 'closed' };
  }
}

function reply(msg: FleetReply, exit?: number): void {
  process.send!(msg, () => {
    if (exit !== undefined) process.exit(exit);
  });
}

if (!process.send || !(INDEX >= 0 && INDEX < COUNT)) {
  throw new Error('bench/load/capacity-clients.ts runs as a child of bench/load/fleet.ts');
}
// Never outlive the bench: exit when it goes away, and after a fixed lifetime in any case.
process.on('disconnect', () => process.exit(2));
setTimeout(() => process.exit(3), LIFETIME_MS).unref();
process.on('message', (cmd: FleetCommand) => {
  handle(cmd).then(
    (r) => reply(r, r.type === 'closed' ? 0 : undefined),
    (err: unknown) => reply({ type: 'failed', error: String(err) }, 1),
  );
});
