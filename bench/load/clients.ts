/**
 * The load benchmark's clients: one process (forked by `bench/load.ts`, commands over IPC, see
 * `wire.ts`) holding every socket.io-client connection. Senders and receivers share this
 * process, so one clock times every delivery: a message's id is its index in the send schedule,
 * and the receiver looks up when it left.
 *
 * Both servers get Parley's wire frames (join with a profile, `relay:emit` of a strict chat
 * envelope), so the only difference between runs is the server.
 */
import { io, type Socket } from 'socket.io-client';
import type { RelayClientEvents, RelayServerEvents } from '../../src/transport/relay-wire.js';
import { cpuMs, rssKiB } from './procfs.js';
import {
  fullStats,
  type Command,
  type ConnectCommand,
  type ConnectedReply,
  type LoadCommand,
  type LoadReply,
  type Reply,
} from './wire.js';

type Client = Socket<RelayServerEvents, RelayClientEvents>;

interface Member {
  socket: Client;
  /** Index in `rooms`, and the room's name. */
  r: number;
  room: string;
  userId: string;
  name: string;
  seq: number;
}

/** Whatever happens, this process is gone after this long. */
const LIFETIME_MS = 5 * 60_000;
/** How often the sender wakes up to send what is due. */
const TICK_MS = 2;
/** Time limits for one connection's open and join. */
const CONNECT_TIMEOUT_MS = 10_000;
/** A typical chat line. */
const TEXT =
  'Load test: the quick brown fox jumps over the lazy dog, and again, to make a usual line.';

const rooms: Member[][] = [];
const errors: Record<string, number> = {};
const disconnects: Record<string, number> = {};
let closing = false;

// Per scheduled message k: when it left, how often it arrived; [from, to) are the counted ones.
let sentAt = new Float64Array(0);
let arrivals = new Uint16Array(0);
let counted = { from: 0, to: 0 };
let latencies: number[] = [];

function onEvent(_from: string, event: string, args: unknown[]): void {
  const at = performance.now();
  if (event !== 'chat:message') return;
  const id = (args[0] as { id?: unknown } | undefined)?.id;
  const k = typeof id === 'string' ? Number(id.slice(1)) : NaN;
  if (!(k >= 0 && k < sentAt.length)) return;
  arrivals[k]!++;
  if (k >= counted.from && k < counted.to) latencies.push(at - sentAt[k]!);
}

async function open(url: string, r: number, i: number): Promise<Member> {
  const room = `load-${r}`;
  const socket: Client = io(url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    timeout: CONNECT_TIMEOUT_MS,
  });
  const member: Member = { socket, r, room, userId: `u${i}`, name: `Load${i}`, seq: 0 };
  socket.on('relay:event', onEvent);
  socket.on('relay:error', (err) => (errors[err.code] = (errors[err.code] ?? 0) + 1));
  socket.on('disconnect', (reason) => {
    if (!closing) disconnects[reason] = (disconnects[reason] ?? 0) + 1;
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', (err) => reject(new Error(`client ${i}: ${err.message}`)));
  });
  const reply = await socket
    .timeout(CONNECT_TIMEOUT_MS)
    .emitWithAck('relay:join', { room, me: { userId: member.userId, name: member.name } });
  if (!reply.ok) throw new Error(`client ${i}: join refused: ${reply.error.message}`);
  return member;
}

async function connect(cmd: ConnectCommand): Promise<ConnectedReply> {
  const started = performance.now();
  const perRoom = Math.ceil(cmd.clients / cmd.rooms);
  for (let r = 0; r < cmd.rooms; r++) rooms.push([]);
  // Batches, so the server sees a steady stream of handshakes rather than a SYN flood.
  for (let first = 0; first < cmd.clients; first += cmd.batch) {
    const batch: Promise<Member>[] = [];
    for (let i = first; i < Math.min(cmd.clients, first + cmd.batch); i++) {
      batch.push(open(cmd.urls[i % cmd.urls.length]!, Math.floor(i / perRoom), i));
    }
    for (const m of await Promise.all(batch)) rooms[m.r]!.push(m);
  }
  const clients = rooms.reduce((n, members) => n + members.length, 0);
  return { type: 'connected', clients, ms: Math.round(performance.now() - started) };
}

function send(k: number): void {
  const members = rooms[k % rooms.length]!;
  const m = members[Math.floor(k / rooms.length) % members.length]!;
  const envelope = {
    id: `m${k}`,
    room: m.room,
    from: { id: m.userId, name: m.name },
    ts: Date.now(),
    seq: m.seq++,
    body: { text: TEXT },
  };
  sentAt[k] = performance.now();
  m.socket.emit('relay:emit', 'chat:message', [envelope]);
}

/** CPU ms and RSS of every watched process (and this one), read now. */
function sample(watch: Record<string, number>) {
  const at = performance.now();
  const cpu: Record<string, number> = { clients: cpuMs(process.pid) };
  const rss: Record<string, number> = { clients: rssKiB(process.pid) };
  for (const [label, pid] of Object.entries(watch)) {
    cpu[label] = cpuMs(pid);
    rss[label] = rssKiB(pid);
  }
  return { at, cpu, rss };
}

async function load(cmd: LoadCommand): Promise<LoadReply> {
  // Message k goes to room k % rooms, so consecutive sends hit different rooms, each room
  // gets one every 1000 / perRoomRate ms, and its members take turns.
  const perSecond = cmd.perRoomRate * rooms.length;
  const interval = 1000 / perSecond;
  const warm = Math.round((cmd.warmupMs / 1000) * perSecond);
  const total = warm + Math.round((cmd.measureMs / 1000) * perSecond);
  sentAt = new Float64Array(total);
  arrivals = new Uint16Array(total);
  counted = { from: warm, to: total };
  latencies = [];
  const lags: number[] = [];

  let first: ReturnType<typeof sample> | undefined;
  const start = performance.now();
  let k = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor((performance.now() - start) / interval) + 1);
      for (; k < due; k++) {
        if (k === warm) first = sample(cmd.watch);
        send(k);
        if (k >= warm) lags.push(sentAt[k]! - (start + k * interval));
      }
      if (k < total) setTimeout(tick, TICK_MS);
      else resolve();
    };
    tick();
  });
  const last = sample(cmd.watch);
  if (!first) throw new Error('no counted window (measureMs too short)');

  // Each counted message should reach everyone else in its room.
  const expectedOf = (m: number) => rooms[m % rooms.length]!.length - 1;
  let expected = 0;
  for (let m = warm; m < total; m++) expected += expectedOf(m);
  const arrived = () => {
    let n = 0;
    for (let m = warm; m < total; m++) n += Math.min(arrivals[m]!, expectedOf(m));
    return n;
  };
  const drainEnd = performance.now() + cmd.drainMs;
  while (arrived() < expected && performance.now() < drainEnd) {
    await new Promise((r) => setTimeout(r, 50));
  }

  const received = arrived();
  let all = 0;
  for (let m = warm; m < total; m++) all += arrivals[m]!;
  const windowMs = last.at - first.at;
  const cpu: Record<string, number> = {};
  for (const label of Object.keys(last.cpu)) {
    const used = last.cpu[label]! - first.cpu[label]!;
    cpu[label] = Math.round((used / windowMs) * 1000) / 10;
  }
  return {
    type: 'loaded',
    sent: total - warm,
    expected,
    received,
    duplicates: all - received,
    latency: fullStats(latencies),
    sendLag: fullStats(lags),
    errors,
    disconnects,
    windowMs: Math.round(windowMs),
    cpu,
    rssKiB: last.rss,
  };
}

async function handle(cmd: Command): Promise<Reply> {
  switch (cmd.type) {
    case 'connect':
      return connect(cmd);
    case 'load':
      return load(cmd);
    case 'close':
      closing = true;
      for (const members of rooms) for (const m of members) m.socket.disconnect();
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
