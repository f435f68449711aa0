/**
 * The load benchmark's baseline: a bare Socket.IO relay doing the work Parley's relay does for
 * the benchmark's traffic (join a room, relay each message to the rest of the room) with none
 * of its validation, limits or bookkeeping. Same engine settings as Parley (ping timing, frame
 * cap), so the difference measured is Parley's own code.
 *
 * Bundled by `bench/load/processes.ts` and run as plain Node, like `dist-server/server.js`.
 * Listens on a free loopback port and prints `listening <port>` once it does.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { frameCap } from '../../signaling/limits.js';
import { DEFAULT_MAX_PAYLOAD } from '../../src/protocol/limits.js';

const httpServer = createServer();
const io = new Server(httpServer, {
  maxHttpBufferSize: frameCap(DEFAULT_MAX_PAYLOAD),
  pingInterval: 10_000,
  pingTimeout: 5_000,
});

io.on('connection', (socket) => {
  // The reply has the shape of Parley's, so the clients run one code path for both servers.
  socket.on('relay:join', (req: { room: string }, ack: (reply: unknown) => void) => {
    void socket.join(req.room);
    ack({ ok: true, selfId: socket.id, since: Date.now(), peers: [] });
  });
  socket.on('relay:emit', (event: string, args: unknown[]) => {
    // Only what relaying needs (the payload names its room); a bad frame is dropped, not checked.
    const room = (args?.[0] as { room?: unknown } | undefined)?.room;
    if (typeof room === 'string') socket.to(room).emit('relay:event', socket.id, event, args);
  });
});

httpServer.listen(0, '127.0.0.1', () => {
  console.log(`listening ${(httpServer.address() as AddressInfo).port}`);
});
