/**
 * The relay hop alone: one chat message from a member's socket through the server to another
 * member's socket, one way, through Parley's relay against a bare Socket.IO relay doing only
 * the relaying (`bench/load/bare-server.ts`: no validation, limits or bookkeeping).
 *
 * Each server runs in a process of its own, as in production, so the clients here do not
 * share its event loop (the app-latency benchmark runs its server inside the process that
 * also drives the browser over the DevTools protocol). Both clients of a server live in this
 * process, so one clock times the send and the arrival: the one-way time, with no clock
 * offset. The contenders alternate every message, so machine noise lands on both; one message
 * is in flight at a time, as a person typing sends them. The server's CPU per relayed frame
 * (user + system, read from /proc before and after) tells what Parley's checks cost.
 *
 * The frames are what the app sends: `relay:emit` of `chat:message` with a signed envelope's
 * shape (the relay checks it against the wire schema, never the signature).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { io, type Socket } from 'socket.io-client';
import { toBase64Url } from '../src/protocol/encoding.js';
import { PEER_KEY_BYTES } from '../src/protocol/relay-frames.js';
import { freePort, stopChild } from '../test/support/processes.js';
import { provenJoin, SIGNATURE_SHAPED, TEST_AUTHOR } from '../test/support/identity.js';
import { cpuMs } from './load/procfs.js';
import { ratioResult, type Benchmark, type BenchResult } from './result.js';
import { round, stats } from './stats.js';

/** Counted messages per contender. */
const ROUNDS = Number(process.env.PARLEY_BENCH_HOP_ROUNDS ?? 3000);
/** Uncounted messages per contender first (JIT, socket buffers). */
const WARMUP = 200;
/** Largest acceptable parley/bare ratio of the one-way time (p50 and p99). */
const GOAL = 1.15;

const repo = fileURLToPath(new URL('../', import.meta.url));

type Contender = 'parley' | 'bare';

/** A server process under test. */
interface Served {
  child: ChildProcess;
  url: string;
}

/** Starts `args` (a server printing `listening <port>` or Parley's start line) and waits. */
function serve(args: string[], env: Record<string, string>): Promise<Served> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: repo,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bench: ${args[0]} did not start`)), 30_000);
    child.once('exit', (code) => reject(new Error(`bench: ${args[0]} exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const port = /listening (\d+)/.exec(line)?.[1];
      const url = /running at (http:\/\/\S+)/.exec(line)?.[1];
      if (!port && !url) return;
      clearTimeout(timer);
      resolve({ child, url: url?.replace('localhost', '127.0.0.1') ?? `http://127.0.0.1:${port}` });
    });
  });
}

/** A member's socket, joined to `room` (with a proof, which the bare server ignores). */
async function member(url: string, room: string): Promise<Socket> {
  const key = toBase64Url(crypto.getRandomValues(new Uint8Array(PEER_KEY_BYTES)));
  const socket = io(url, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    auth: { key },
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  const request = await provenJoin(socket, room, 'Bench');
  const reply = (await socket.timeout(5000).emitWithAck('relay:join', request)) as {
    ok: boolean;
  };
  if (!reply.ok) throw new Error(`bench: join refused: ${JSON.stringify(reply)}`);
  return socket;
}

/** A chat message as the app sends it (a 60-character line, in the clear). */
function envelope(room: string, i: number) {
  return {
    id: crypto.randomUUID(),
    room,
    from: { id: TEST_AUTHOR.id, name: 'Bench', key: TEST_AUTHOR.key },
    ts: Date.now(),
    seq: i,
    body: { text: `message ${i} of the relay hop benchmark, about sixty chars` },
    sig: SIGNATURE_SHAPED,
  };
}

/** Two members of one room on one server, sending from `a` to `b`. */
interface Pair {
  pid: number;
  a: Socket;
  b: Socket;
  room: string;
}

/** Sends message `i` from `a` and resolves with the time until `b` has it, in ms. */
function oneWay(pair: Pair, i: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('bench: a message was lost')), 10_000);
    const env = envelope(pair.room, i);
    pair.b.once('relay:event', () => {
      clearTimeout(timer);
      resolve(performance.now() - started);
    });
    const started = performance.now();
    pair.a.emit('relay:emit', 'chat:message', [env]);
  });
}

async function run(): Promise<BenchResult> {
  const children: ChildProcess[] = [];
  const sockets: Socket[] = [];
  try {
    const port = await freePort();
    const parley = await serve(['signaling/server.ts'], {
      PORT: String(port),
      HOST: '127.0.0.1',
      // One message in flight at a time is far under the default rate, but the warm-up is not.
      PARLEY_RATE: '10000',
      PARLEY_BURST: '10000',
      PARLEY_STATIC_DIR: '/nonexistent',
    });
    children.push(parley.child);
    const bare = await serve(['bench/load/bare-server.ts'], {});
    children.push(bare.child);
    const pairs = {} as Record<Contender, Pair>;
    for (const [name, served] of [
      ['parley', parley],
      ['bare', bare],
    ] as const) {
      const room = `hop-${name}`;
      const a = await member(served.url, room);
      const b = await member(served.url, room);
      sockets.push(a, b);
      pairs[name] = { pid: served.child.pid!, a, b, room };
    }
    // Presence frames of the joins settle before anything is timed.
    await new Promise((r) => setTimeout(r, 500));
    const times: Record<Contender, number[]> = { parley: [], bare: [] };
    const cpu: Record<Contender, number> = { parley: 0, bare: 0 };
    for (let i = 0; i < WARMUP + ROUNDS; i++) {
      const order: Contender[] = i % 2 ? ['bare', 'parley'] : ['parley', 'bare'];
      for (const name of order) {
        const pair = pairs[name];
        const before = cpuMs(pair.pid);
        const ms = await oneWay(pair, i);
        if (i < WARMUP) continue;
        times[name].push(ms);
        cpu[name] += cpuMs(pair.pid) - before;
      }
    }
    const result = ratioResult({
      name: 'relay-hop',
      chromium: 'none (Node only)',
      parley: stats(times.parley),
      raw: stats(times.bare),
      rounds: ROUNDS,
      goal: GOAL,
    });
    return {
      ...result,
      goalUnit: 'parley / bare one-way time, p50 and p99',
      serverCpuMsPerFrame: {
        parley: round(cpu.parley / ROUNDS, 4),
        bare: round(cpu.bare / ROUNDS, 4),
      },
      scenario: {
        timed: "member A's emit → member B's relay:event, both in this process (one clock)",
        servers: 'each in its own process: Parley (signaling/server.ts) and bare Socket.IO',
        frames: 'relay:emit chat:message with a signed-envelope-shaped payload, one in flight',
        order: 'contenders alternate every message',
        cpu: 'server user+system time per frame from /proc (10 ms ticks, summed over the run)',
      },
    };
  } finally {
    sockets.forEach((s) => s.disconnect());
    for (const child of children) await stopChild(child, 'SIGKILL', 5000);
  }
}

/** The relay hop, Parley against a bare relay (Node only, servers in their own processes). */
export const benchmark: Benchmark = {
  name: 'relay-hop',
  run,
  extraRows: (r) => {
    const cpu = r.serverCpuMsPerFrame as { parley: number; bare: number };
    return [['server CPU per frame, ms', String(cpu.parley), String(cpu.bare), '', '']];
  },
};
