/**
 * The relay's binary lane (protocol 1.2): `relay:bytes` carries one chunk frame — a small head
 * naming room, file and part, beside raw bytes as a Socket.IO binary attachment (never base64)
 * — to one member of a room both sender and receiver are in. Chunk frames have a budget of
 * their own, in bytes, per connection (a token bucket; `PARLEY_BYTES_RATE` and
 * `PARLEY_BYTES_BURST`): they skip the frame rate limit, JSON frames never use this budget, and
 * over it a frame is dropped and the sender told (at most once a second) — never disconnected.
 * A receiver that is behind (bytes waiting for it, see `slow-readers.ts`) is not buried: its
 * chunks wait in a short line (`chunk-line.ts`) and past that are dropped (the fetcher asks
 * again), so the slow-reader rule never fires because of chunks.
 * Nothing is kept once a frame is passed on.
 */
import { MAX_CHUNK_FRAME, readChunkHead } from '../src/protocol/file-events.js';
import { CHUNK_FRAME_COST } from '../src/protocol/relay-frames.js';
import { TokenBucket } from '../src/protocol/token-bucket.js';
import { toMember, type AbsentTargets } from './absent.js';
import { guardedOn, refuse } from './handlers.js';
import type { Logger } from './log.js';
import { helloIn, roomsOf } from './members.js';
import { handChunk, type ChunkArgs, type LineLimits } from './chunk-line.js';
import type { RelayServer, RelaySocket } from './types.js';

/** The frame's name, for the rate limiter to let it pass to its own budget. */
export const BYTES_FRAME = 'relay:bytes';
/** What each frame costs beyond its bytes: a flood of empty chunks is not free. */
export const FRAME_COST = CHUNK_FRAME_COST;
/** How often a sender over its byte budget is told so, at most, in ms. */
const NOTICE_EVERY_MS = 1000;

/** Settings of the binary lane (see `ServerLimits`). */
export interface BytesOptions {
  bytesRate: number;
  bytesBurst: number;
  /** The slow-reader cap; a receiver with half of it waiting gets no more chunks for now. */
  maxQueued: number;
  log: Logger;
}

/** Bytes in a binary attachment as it arrives, or undefined when it is not one. */
function sizeOf(bytes: unknown): number | undefined {
  return bytes instanceof Uint8Array || bytes instanceof ArrayBuffer ? bytes.byteLength : undefined;
}

/**
 * Hands the frame to the member `to`: on this node through its wait line (see `chunk-line.ts`);
 * one on another node gets it as volatile (dropped by its node when its connection cannot take
 * it now).
 */
function deliver(io: RelayServer, to: string, args: ChunkArgs, size: number, limits: LineLimits) {
  const local = io.of('/').adapter.rooms.get(to);
  if (!local?.size) return void io.to(to).volatile.emit('relay:bytes', ...args);
  for (const sid of local) {
    const socket = io.of('/').sockets.get(sid);
    if (socket) handChunk(socket, args, size, limits);
  }
}

/** Installs the binary lane on one connection (see the module comment). */
export function attachBytes(
  io: RelayServer,
  socket: RelaySocket,
  absent: AbsentTargets,
  opts: BytesOptions,
): void {
  // One token a byte; the burst is never less than one whole frame.
  const bucket = new TokenBucket(
    opts.bytesRate,
    Math.max(opts.bytesBurst, MAX_CHUNK_FRAME + FRAME_COST),
  );
  let lastNotice = -Infinity;
  // A receiver with three quarters of the slow-reader cap waiting gets no chunk until it reads
  // (the quarter left is for the frames every member must get); as much again may wait.
  const limits: LineLimits = {
    maxBehind: Math.floor((opts.maxQueued * 3) / 4),
    maxHeld: opts.maxQueued,
  };

  guardedOn(socket, opts.log, BYTES_FRAME, (to, head, bytes) => {
    const size = sizeOf(bytes);
    // Every frame pays before anything else is looked at: a flood costs a comparison each. A
    // frame over the budget spends what was left (a sender over its budget pays for trying; an
    // honest one paces itself under it and never gets here).
    const cost = Math.min(size ?? 0, MAX_CHUNK_FRAME) + FRAME_COST;
    if (bucket.takeUpTo(cost) < cost) {
      const now = performance.now();
      if (now - lastNotice < NOTICE_EVERY_MS) return;
      lastNotice = now;
      const message = `chunk dropped: over ${opts.bytesRate} bytes per second (burst ${opts.bytesBurst})`;
      return refuse(socket, 'rate-limited', message, BYTES_FRAME);
    }
    if (size === undefined) return refuse(socket, 'malformed', 'bytes: binary data', BYTES_FRAME);
    if (size > MAX_CHUNK_FRAME) {
      const message = `chunk is ${size} bytes, over the ${MAX_CHUNK_FRAME}-byte cap`;
      return refuse(socket, 'too-large', message, BYTES_FRAME);
    }
    const checked = readChunkHead(head);
    if (!checked) return refuse(socket, 'malformed', 'head: {room, file, part}', BYTES_FRAME);
    if (!roomsOf(socket.data).length)
      return refuse(socket, 'not-joined', 'join a room first', BYTES_FRAME);
    const room = checked.room;
    if (helloIn(socket.data, room) === undefined) {
      return refuse(socket, 'wrong-room', `this connection is not in "${room}"`, BYTES_FRAME);
    }
    const frame = bytes as Uint8Array | ArrayBuffer;
    toMember(io, socket, absent, { to, room, event: BYTES_FRAME }, opts.log, (from) =>
      deliver(io, to as string, [from, checked, frame], size, limits),
    );
  });
}
