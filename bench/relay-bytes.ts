/**
 * Issue 23: how fast the relay's binary lane moves a file's chunks, against raw Socket.IO
 * moving the same 64 KiB binary frames client → server → client on 127.0.0.1. Both run in this
 * process (Node clients, as the numbers are about the server and the pacing, not a page):
 * the relay path is Parley's own Socket.IO transport (`sendBytes`, paced under the announced
 * byte budget) through a Parley server with the given budget; the raw path is a bare Socket.IO
 * server that forwards each frame, the sender holding back while its WebSocket buffer is full.
 *
 *   node --import tsx bench/relay-bytes.ts [MiB] [rate bytes/s] [burst bytes]
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io as connect, type Socket } from 'socket.io-client';
import { DEFAULT_BYTE_BUDGET } from '../src/protocol/limits.js';
import type { ChatEvents } from '../src/protocol/chat-events.js';
import { SocketIoTransport } from '../src/transport/socketio.js';
import { startTestServer } from '../test/support/server.js';
import { testSigner } from '../test/support/identity.js';

const CHUNK = 64 * 1024;
const mib = Number(process.argv[2] ?? 50);
const rate = Number(process.argv[3] ?? DEFAULT_BYTE_BUDGET.rate);
const burst = Number(process.argv[4] ?? DEFAULT_BYTE_BUDGET.burst);
const frames = Math.ceil((mib * 2 ** 20) / CHUNK);
const FILE = 'B'.repeat(43);

/** Raw Socket.IO: MB/s of `frames` 64 KiB frames from one client to another through a server. */
async function raw(): Promise<number> {
  const http = createServer();
  const server = new Server(http, { maxHttpBufferSize: 2 * CHUNK });
  server.on('connection', (s) => s.on('b', (bytes: Buffer) => s.broadcast.emit('b', bytes)));
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const opts = { transports: ['websocket'], forceNew: true, reconnection: false };
  const a: Socket = connect(url, opts);
  const b: Socket = connect(url, opts);
  await Promise.all([a, b].map((s) => new Promise<void>((r) => s.once('connect', () => r()))));
  let got = 0;
  const done = new Promise<void>((r) => b.on('b', () => ++got === frames && r()));
  const ws = (a.io.engine.transport as unknown as { ws: { bufferedAmount: number } }).ws;
  const payload = new Uint8Array(CHUNK).fill(7);
  const started = performance.now();
  for (let i = 0; i < frames; i++) {
    while (ws.bufferedAmount > 256 * 1024) await new Promise((r) => setTimeout(r, 1));
    a.emit('b', payload);
  }
  await done;
  const seconds = (performance.now() - started) / 1000;
  a.close();
  b.close();
  await new Promise<void>((r) => void server.close(() => r()));
  return (frames * CHUNK) / 2 ** 20 / seconds;
}

/** Parley: MB/s of the same frames with `sendBytes` through a relay with this byte budget. */
async function relay(): Promise<number> {
  const server = await startTestServer({ bytesRate: rate, bytesBurst: burst });
  const room = `bench-bytes-${Date.now()}`;
  const make = async () =>
    new SocketIoTransport<ChatEvents>({ url: server.url, signer: await testSigner() });
  const [a, b] = [await make(), await make()];
  await a.connect(room, { userId: 'a', name: 'Sender' });
  await b.connect(room, { userId: 'b', name: 'Receiver' });
  while (!a.peers.has(b.selfId)) await new Promise((r) => setTimeout(r, 10));
  let got = 0;
  const done = new Promise<void>((r) => b.on('bytes', () => ++got === frames && r()));
  const payload = new Uint8Array(CHUNK).fill(7);
  const started = performance.now();
  for (let part = 0; part < frames; part++) {
    if (!(await a.sendBytes(b.selfId, { room, file: FILE, part }, payload)))
      throw new Error('refused');
  }
  // The relay skips a receiver that is behind (the fetcher asks again): say so, do not hang.
  const late = new Promise<void>((r) => setTimeout(r, 10_000 + (mib * 2 ** 20 * 2000) / rate));
  await Promise.race([done, late]);
  if (got < frames) console.error(`relay: ${frames - got} of ${frames} frames skipped`);
  const seconds = (performance.now() - started) / 1000;
  a.close();
  b.close();
  await server.close();
  return (frames * CHUNK) / 2 ** 20 / seconds;
}

// Alternated, three each, so machine noise lands on both alike; medians reported.
const runs = { raw: [] as number[], relay: [] as number[] };
for (let i = 0; i < 3; i++) {
  runs.raw.push(await raw());
  runs.relay.push(await relay());
}
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
const [rawMBs, relayMBs] = [median(runs.raw), median(runs.relay)];
console.log(
  JSON.stringify({
    mib,
    budget: { rate, burst },
    rawMiBs: +rawMBs.toFixed(1),
    relayMiBs: +relayMBs.toFixed(1),
    ratio: +(relayMBs / rawMBs).toFixed(2),
    runs: { raw: runs.raw.map((x) => +x.toFixed(1)), relay: runs.relay.map((x) => +x.toFixed(1)) },
  }),
);
process.exit(0);
