/**
 * The load benchmark's clients: one process (forked by `bench/load.ts`, commands over IPC, see
 * `wire.ts`) holding every socket.io-client connection, in one group per contender. Senders
 * and receivers share this process, so one clock times every delivery: a message's id is its
 * index in its group's send schedule, and the receiver looks up when it left.
 *
 * Every server gets Parley's wire frames (join with a profile, `relay:emit` of a strict chat
 * envelope), so the only difference between groups is the server.
 */
import { openMember, sendChat, type Member } from './member.js';
import { stats } from '../stats.js';
import { cpuSnapshot, rssKiB } from './procfs.js';
import type {
  Command,
  ConnectCommand,
  ConnectedReply,
  FullStats,
  GroupReport,
  LoadCommand,
  LoadReply,
  Reply,
} from './wire.js';

/** One contender's clients and what happened to their messages. */
interface Group {
  rooms: Member[][];
  errors: Record<string, number>;
  disconnects: Record<string, number>;
  // Per scheduled message k: when it left, how often it arrived; [from, to) are counted.
  sentAt: Float64Array;
  arrivals: Uint16Array;
  from: number;
  to: number;
  /** Counted deliveries' latencies and blocks, `timed` of them; sized up front (see `load`). */
  latencies: Float64Array;
  blockOf: Uint8Array;
  timed: number;
  /** Messages per slice, and slices per block of the counted time. */
  perSlice: number;
  perBlock: number;
  lags: number[];
  /** CPU ms per label over the counted slices, and their total length. */
  cpu: Record<string, number>;
  activeMs: number;
}

/** Whatever happens, this process is gone after this long. */
const LIFETIME_MS = 5 * 60_000;
/** How often the sender wakes up to send what is due. */
const TICK_MS = 2;
/** p50, p99, mean and max of `samples`, rounded to the µs; NaN for no samples. */
const fullStats = (samples: ArrayLike<number>): FullStats => stats(samples, ['max']);

const groups: Group[] = [];
let closing = false;

function onEvent(g: Group, event: string, args: unknown[]): void {
  const at = performance.now();
  if (event !== 'chat:message') return;
  const id = (args[0] as { id?: unknown } | undefined)?.id;
  const k = typeof id === 'string' ? Number(id.slice(1)) : NaN;
  if (!(k >= 0 && k < g.sentAt.length)) return;
  g.arrivals[k]!++;
  if (k >= g.from && k < g.to && g.timed < g.latencies.length) {
    g.blockOf[g.timed] = Math.floor((k - g.from) / g.perSlice / g.perBlock);
    g.latencies[g.timed++] = at - g.sentAt[k]!;
  }
}

function open(g: Group, url: string, r: number, i: number): Promise<Member> {
  return openMember(url, r, i, {
    event: (event, args) => onEvent(g, event, args),
    error: (code) => (g.errors[code] = (g.errors[code] ?? 0) + 1),
    disconnect: (reason) => {
      if (!closing) g.disconnects[reason] = (g.disconnects[reason] ?? 0) + 1;
    },
  });
}

async function connect(cmd: ConnectCommand): Promise<ConnectedReply> {
  const started = performance.now();
  const g: Group = {
    rooms: Array.from({ length: cmd.rooms }, () => []),
    errors: {},
    disconnects: {},
    sentAt: new Float64Array(0),
    arrivals: new Uint16Array(0),
    from: 0,
    to: 0,
    latencies: new Float64Array(0),
    blockOf: new Uint8Array(0),
    timed: 0,
    perSlice: 1,
    perBlock: 1,
    lags: [],
    cpu: {},
    activeMs: 0,
  };
  groups.push(g);
  const perRoom = Math.ceil(cmd.clients / cmd.rooms);
  // Batches, so the server sees a steady stream of handshakes rather than a SYN flood.
  for (let first = 0; first < cmd.clients; first += cmd.batch) {
    const batch: Promise<Member>[] = [];
    for (let i = first; i < Math.min(cmd.clients, first + cmd.batch); i++) {
      batch.push(open(g, cmd.urls[i % cmd.urls.length]!, Math.floor(i / perRoom), i));
    }
    for (const m of await Promise.all(batch)) g.rooms[m.r]!.push(m);
  }
  const clients = g.rooms.reduce((n, members) => n + members.length, 0);
  const ms = Math.round(performance.now() - started);
  return { type: 'connected', group: groups.length - 1, clients, ms };
}

/** Sends group `g`'s message k: to room k % rooms, from its members in turn. */
function send(g: Group, k: number): void {
  const members = g.rooms[k % g.rooms.length]!;
  const m = members[Math.floor(k / g.rooms.length) % members.length]!;
  g.sentAt[k] = performance.now();
  sendChat(m, `m${k}`);
}

/**
 * Runs the slices: group order 0, 1, …, n-1, then n-1, …, 0, and so on, so no group always
 * follows the same one. In each slice its group sends its `perSlice` messages evenly spread
 * (so at `perRoomRate` per room), continuing its own numbering from its previous slice.
 */
async function runSlices(cmd: LoadCommand, perSlice: number[], warmSlices: number) {
  const rounds = (cmd.warmupMs + cmd.measureMs) / cmd.sliceMs;
  const order = groups.map((_, i) => i);
  const plan = Array.from({ length: rounds }, (_, r) => (r % 2 ? [...order].reverse() : order));
  const slices = plan.flat();
  const done = groups.map(() => 0); // slices each group has finished
  const watched = { clients: process.pid, ...cmd.watch };
  for (let s = 0; s < slices.length; s++) {
    const gi = slices[s]!;
    const g = groups[gi]!;
    const first = done[gi]! * perSlice[gi]!;
    const last = first + perSlice[gi]!;
    const interval = cmd.sliceMs / perSlice[gi]!;
    const before = cpuSnapshot(watched);
    const start = performance.now();
    await new Promise<void>((resolve) => {
      let k = first;
      const tick = () => {
        const due = Math.min(last, first + Math.floor((performance.now() - start) / interval) + 1);
        for (; k < due; k++) {
          send(g, k);
          if (k >= g.from) g.lags.push(g.sentAt[k]! - (start + (k - first) * interval));
        }
        if (k < last) setTimeout(tick, TICK_MS);
        else setTimeout(resolve, Math.max(0, start + cmd.sliceMs - performance.now()));
      };
      tick();
    });
    const after = cpuSnapshot(watched);
    if (done[gi]! >= warmSlices) {
      for (const label of Object.keys(after)) {
        g.cpu[label] = (g.cpu[label] ?? 0) + after[label]! - before[label]!;
      }
      g.activeMs += performance.now() - start;
    }
    done[gi]!++;
  }
}

async function load(cmd: LoadCommand): Promise<LoadReply> {
  const warmSlices = Math.round(cmd.warmupMs / cmd.sliceMs);
  const perSlice = groups.map((g) =>
    Math.round((cmd.perRoomRate * g.rooms.length * cmd.sliceMs) / 1000),
  );
  groups.forEach((g, i) => {
    const total = (perSlice[i]! * (cmd.warmupMs + cmd.measureMs)) / cmd.sliceMs;
    g.sentAt = new Float64Array(total);
    g.arrivals = new Uint16Array(total);
    g.from = warmSlices * perSlice[i]!;
    g.to = total;
    // Room for every counted delivery (a duplicate past that is counted, not timed): growing
    // an array instead would feed this process's old generation and so its full GCs.
    const roomSize = Math.max(...g.rooms.map((members) => members.length));
    g.latencies = new Float64Array((total - g.from) * (roomSize - 1));
    g.blockOf = new Uint8Array(g.latencies.length);
    g.timed = 0;
    g.perSlice = perSlice[i]!;
    g.perBlock = cmd.measureMs / cmd.sliceMs / cmd.blocks;
  });
  await runSlices(cmd, perSlice, warmSlices);
  const rssKiBs: Record<string, number> = { clients: rssKiB(process.pid) };
  for (const [label, pid] of Object.entries(cmd.watch)) rssKiBs[label] = rssKiB(pid);

  // Each counted message should reach everyone else in its room.
  const expectedOf = (g: Group, k: number) => g.rooms[k % g.rooms.length]!.length - 1;
  const count = (g: Group, f: (k: number) => number) => {
    let n = 0;
    for (let k = g.from; k < g.to; k++) n += f(k);
    return n;
  };
  const expected = groups.map((g) => count(g, (k) => expectedOf(g, k)));
  const arrived = (g: Group) => count(g, (k) => Math.min(g.arrivals[k]!, expectedOf(g, k)));
  const drainEnd = performance.now() + cmd.drainMs;
  while (groups.some((g, i) => arrived(g) < expected[i]!) && performance.now() < drainEnd) {
    await new Promise((r) => setTimeout(r, 50));
  }

  const reports = groups.map((g, i): GroupReport => {
    const received = arrived(g);
    const cpu: Record<string, number> = {};
    for (const [label, ms] of Object.entries(g.cpu)) {
      cpu[label] = Math.round((ms / g.activeMs) * 1000) / 10;
    }
    // What else kept the machine busy (other programs compete with the servers and the clients).
    const ours = Object.keys(cpu).filter((label) => label !== 'machine');
    const others = ours.reduce((left, label) => left - cpu[label]!, cpu.machine!);
    cpu.others = Math.max(0, Math.round(others * 10) / 10);
    return {
      sent: g.to - g.from,
      expected: expected[i]!,
      received,
      duplicates: count(g, (k) => g.arrivals[k]!) - received,
      latency: fullStats(g.latencies.subarray(0, g.timed)),
      blockP99: Array.from({ length: cmd.blocks }, (_, b) => {
        const samples = g.latencies.subarray(0, g.timed).filter((_, n) => g.blockOf[n] === b);
        return fullStats(samples).p99;
      }),
      sendLag: fullStats(g.lags),
      errors: g.errors,
      disconnects: g.disconnects,
      windowMs: Math.round(g.activeMs),
      cpu,
    };
  });
  return { type: 'loaded', groups: reports, rssKiB: rssKiBs };
}

async function handle(cmd: Command): Promise<Reply> {
  switch (cmd.type) {
    case 'connect':
      return connect(cmd);
    case 'load':
      return load(cmd);
    case 'close':
      closing = true;
      for (const g of groups)
        for (const room of g.rooms) for (const m of room) m.socket.disconnect();
      return { type: 'closed' };
  }
}

function reply(msg: Reply, exit?: number): void {
  process.send!(msg, () => {
    if (exit !== undefined) process.exit(exit);
  });
}

if (!process.send) throw new Error('bench/load/clients.ts runs as a child of bench/load.ts');
// Never outlive the bench: exit when it goes away, and after a fixed lifetime in any case.
process.on('disconnect', () => process.exit(2));
setTimeout(() => process.exit(3), LIFETIME_MS).unref();
process.on('message', (cmd: Command) => {
  handle(cmd).then(
    (r) => reply(r, r.type === 'closed' ? 0 : undefined),
    (err: unknown) => reply({ type: 'failed', error: String(err) }, 1),
  );
});
