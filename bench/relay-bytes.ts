/**
 * Issue 23: how fast the relay's binary lane moves a file's chunks, against raw Socket.IO
 * moving the same 64 KiB binary frames client → server → client on 127.0.0.1. Node clients
 * (the numbers are about the server and the pacing, not a page), the receiver in a process of
 * its own as a real member is: the relay path is Parley's Socket.IO transport (`sendBytes`,
 * paced under the announced byte budget) through a Parley server with the given budget; the
 * raw path is a bare Socket.IO server that forwards each frame, its sender holding back while
 * its WebSocket buffer is full. Both senders keep at most WINDOW frames unreceived, as a
 * fetcher asking for a few parts at a time does (the receiver tells its count on stdout).
 * Alternated three times each; medians reported.
 *
 *   node --import tsx bench/relay-bytes.ts [MiB] [rate bytes/s] [burst bytes]
 */
import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Server } from 'socket.io';
import { io as connect, type Socket } from 'socket.io-client';
import { DEFAULT_BYTE_BUDGET } from '../src/protocol/file-events.js';
import type { ChatEvents } from '../src/protocol/chat-events.js';
import { SocketIoTransport } from '../src/transport/socketio.js';
import { startTestServer } from '../test/support/server.js';
import { testSigner } from '../test/support/identity.js';

const CHUNK = 64 * 1024;
const FILE = 'B'.repeat(43);
const opts = { transports: ['websocket'], forceNew: true, reconnection: false };
/** Frames in flight at most (1 MiB), as a fetcher keeps a window of parts per holder. */
const WINDOW = 16;
const tell = (got: number, frames: number) => {
  if (got % 4 === 0 || got === frames) console.log(`got ${got}`);
  if (got === frames) console.log('done');
};

/** The receiving member, in its own process: says its id, then "done" once `frames` came. */
async function receiver(kind: string, url: string, room: string, frames: number): Promise<void> {
  let got = 0;
  if (kind === 'raw') {
    const s = connect(url, opts);
    s.on('b', () => tell(++got, frames));
    await new Promise<void>((r) => s.once('connect', () => r()));
    console.log(`id ${s.id}`);
    return;
  }
  const t = new SocketIoTransport<ChatEvents>({ url, signer: await testSigner() });
  t.on('bytes', () => tell(++got, frames));
  await t.connect(room, { userId: 'r', name: 'Receiver' });
  console.log(`id ${t.selfId}`);
}

/** Starts a receiver process; resolves with its id and a promise of its "done". */
async function startReceiver(kind: string, url: string, room: string, frames: number) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), 'receive', kind, url, room, String(frames)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout! });
  let onDone: () => void = () => {};
  const done = new Promise<void>((r) => (onDone = r));
  const seen = { got: 0 };
  const id = await new Promise<string>((resolve) =>
    lines.on('line', (line) => {
      if (line.startsWith('id ')) resolve(line.slice(3));
      if (line.startsWith('got ')) seen.got = Number(line.slice(4));
      if (line === 'done') onDone();
    }),
  );
  /** Waits until at most WINDOW of the first `sent` frames are still on their way. */
  const window = async (sent: number) => {
    while (sent - seen.got >= WINDOW) await new Promise((r) => setTimeout(r, 1));
  };
  return { id, done, window, stop: () => child.kill() };
}

/** MiB/s through a bare Socket.IO server that forwards each frame. */
async function raw(frames: number): Promise<number> {
  const http = createServer();
  const server = new Server(http, { maxHttpBufferSize: 2 * CHUNK });
  server.on('connection', (s) => s.on('b', (bytes: Buffer) => s.broadcast.emit('b', bytes)));
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const peer = await startReceiver('raw', url, '', frames);
  const a: Socket = connect(url, opts);
  await new Promise<void>((r) => a.once('connect', () => r()));
  const ws = (a.io.engine.transport as unknown as { ws: { bufferedAmount: number } }).ws;
  const payload = new Uint8Array(CHUNK).fill(7);
  const started = performance.now();
  for (let i = 0; i < frames; i++) {
    await peer.window(i);
    while (ws.bufferedAmount > 256 * 1024) await new Promise((r) => setTimeout(r, 1));
    a.emit('b', payload);
  }
  await peer.done;
  const seconds = (performance.now() - started) / 1000;
  peer.stop();
  a.close();
  await new Promise<void>((r) => void server.close(() => r()));
  return (frames * CHUNK) / 2 ** 20 / seconds;
}

/** MiB/s of the same frames with `sendBytes` through a Parley relay with this byte budget. */
async function relay(frames: number, rate: number, burst: number): Promise<number> {
  const server = await startTestServer({ bytesRate: rate, bytesBurst: burst });
  const room = `bench-bytes-${Date.now()}`;
  const peer = await startReceiver('relay', server.url, room, frames);
  const a = new SocketIoTransport<ChatEvents>({ url: server.url, signer: await testSigner() });
  await a.connect(room, { userId: 'a', name: 'Sender' });
  while (!a.peers.has(peer.id)) await new Promise((r) => setTimeout(r, 10));
  const payload = new Uint8Array(CHUNK).fill(7);
  const started = performance.now();
  for (let part = 0; part < frames; part++) {
    await peer.window(part);
    if (!(await a.sendBytes(peer.id, { room, file: FILE, part }, payload)))
      throw new Error('refused');
  }
  // The relay skips a receiver that is behind (the fetcher asks again): say so, do not hang.
  const late = new Promise<'late'>((r) =>
    setTimeout(() => r('late'), 10_000 + (frames * CHUNK * 2000) / rate),
  );
  if ((await Promise.race([peer.done, late])) === 'late') console.error('relay: frames skipped');
  const seconds = (performance.now() - started) / 1000;
  peer.stop();
  a.close();
  await server.close();
  return (frames * CHUNK) / 2 ** 20 / seconds;
}

async function main(): Promise<void> {
  const mib = Number(process.argv[2] ?? 50);
  const rate = Number(process.argv[3] ?? DEFAULT_BYTE_BUDGET.rate);
  const burst = Number(process.argv[4] ?? DEFAULT_BYTE_BUDGET.burst);
  const frames = Math.ceil((mib * 2 ** 20) / CHUNK);
  const runs = { raw: [] as number[], relay: [] as number[] };
  for (let i = 0; i < 3; i++) {
    runs.raw.push(await raw(frames));
    runs.relay.push(await relay(frames, rate, burst));
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[1]!;
  const [rawMiBs, relayMiBs] = [median(runs.raw), median(runs.relay)];
  const round = (xs: number[]) => xs.map((x) => +x.toFixed(1));
  console.log(
    JSON.stringify({
      mib,
      budget: { rate, burst },
      rawMiBs: +rawMiBs.toFixed(1),
      relayMiBs: +relayMiBs.toFixed(1),
      ratio: +(relayMiBs / rawMiBs).toFixed(2),
      runs: { raw: round(runs.raw), relay: round(runs.relay) },
    }),
  );
  process.exit(0);
}

// Only as a script: `npm run bench` imports every bench/*.ts to find benchmarks, and this is none.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (process.argv[2] === 'receive') {
    const [kind, url, room, frames] = process.argv.slice(3);
    await receiver(kind!, url!, room!, Number(frames));
  } else await main();
}
