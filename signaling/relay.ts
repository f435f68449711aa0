/**
 * The Socket.IO relay: rooms, relaying app events to the other members of a room, join and
 * leave announcements (gathered per room, see `presence.ts`). Every frame from a client is untrusted: it is
 * validated against the shared schemas, size-capped, rate-limited (see `rate-limit.ts`), and a
 * bad one is answered with an error to its sender only. Works on one node or many (Redis
 * adapter): members and targets are looked up through the adapter. Nothing is stored.
 */
import * as v from 'valibot';
import { describeIssues } from '../src/protocol/fields.js';
import { isWireEvent, wireEventSchemas, type WireEvent } from '../src/protocol/wire-events.js';
import {
  JoinRequestSchema,
  type JoinReply,
  type RelayClientEvents,
  type RelayError,
} from '../src/protocol/relay-frames.js';
import type { PeerHello } from '../src/protocol/peer.js';
import { joinProofProblem } from '../src/protocol/join-proof.js';
import { compatible, incompatibleMessage, PROTOCOL_VERSION } from '../src/protocol/version.js';
import type { ServerLimits } from './config.js';
import { jsonSize } from '../src/protocol/limits.js';
import type { Logger } from './log.js';
import { peerIdOf } from './peer-id.js';
import { AbsentTargets, toMember } from './absent.js';
import { attachBytes, BYTES_FRAME } from './relay-bytes.js';
import { seatsOf } from './seats.js';
import { presenceOf } from './presence.js';
import { guardedOn, refuse } from './handlers.js';
import { directed } from './directed.js';
import type { RelayServer, RelaySocket } from './types.js';
import { emptyRooms, helloIn, inAnyRoom, membersOf, roomKey, roomsOf } from './members.js';

/** Relay settings. */
export interface RelayOptions extends Pick<
  ServerLimits,
  | 'maxPayload'
  | 'meshCap'
  | 'maxRooms'
  | 'maxMembers'
  | 'maxRoomName'
  | 'bytesRate'
  | 'bytesBurst'
  | 'maxFile'
  | 'maxQueued'
> {
  /** Announced to clients so they can pace themselves. */
  rate: number;
  burst: number;
  log: Logger;
  /**
   * Whether a connection is this server's keeper (its token in the handshake): its hello is
   * marked `keeper` (1.5), so the others say "kept", not "delivered", for its receipts.
   */
  keeper?: (socket: RelaySocket) => boolean;
}

/** Each relay's memory of directed sends that found nobody (see absent.ts). */
const absentByServer = new WeakMap<RelayServer, AbsentTargets>();
function absentTargets(io: RelayServer): AbsentTargets {
  let absent = absentByServer.get(io);
  if (!absent) absentByServer.set(io, (absent = new AbsentTargets()));
  return absent;
}

/** Least time between two joins of one room by one connection (join storms), in ms. */
export const REJOIN_GAP_MS = 3000;
/** When each connection last joined each of its rooms (this node's connections only). */
const lastJoins = new WeakMap<RelaySocket, Map<string, number>>();

const CLIENT_FRAMES = new Set([
  'relay:join',
  'relay:leave',
  'relay:emit',
  'relay:to',
  'signal:to',
  'relay:ping',
  BYTES_FRAME,
]);
const ExceptSchema = v.optional(
  v.pipe(v.array(v.pipe(v.string(), v.maxLength(64))), v.maxLength(64)),
);

function leaveRoom(socket: RelaySocket, room: string, seat = true): void {
  const hello = helloIn(socket.data, room);
  if (hello === undefined) return;
  // A re-join keeps its seat; a leave gives it back.
  if (seat) seatsOf(socket.nsp.server)?.release(room, hello.id);
  presenceOf(socket.nsp.server).left(room, hello.id, hello.since);
  void socket.leave(roomKey(room));
  delete socket.data.rooms![room];
}

type JoinRequest = v.InferOutput<typeof JoinRequestSchema>;

/** Checks a join request against the schema and this server's room-name limit. */
function parseJoin(opts: RelayOptions, req: unknown): { error: RelayError } | JoinRequest {
  const parsed = v.safeParse(JoinRequestSchema, req);
  if (!parsed.success) {
    const code = parsed.issues.some((i) => v.getDotPath(i) === 'room')
      ? 'invalid-room'
      : 'malformed';
    const message = `join refused: ${describeIssues(parsed.issues)}`;
    return { error: { code, message, event: 'relay:join' } };
  }
  if (parsed.output.room.length > opts.maxRoomName) {
    const message = `join refused: a room name has at most ${opts.maxRoomName} characters here`;
    return { error: { code: 'invalid-room', message, event: 'relay:join' } };
  }
  return parsed.output;
}

async function join(
  io: RelayServer,
  socket: RelaySocket,
  opts: RelayOptions,
  req: unknown,
  reply: (r: JoinReply) => void,
) {
  // A client of another major version is told so in words before anything else is looked at
  // (its join may not even parse by our rules).
  const version = (req as { v?: unknown } | null)?.v;
  if (!compatible(version)) {
    const message = incompatibleMessage('page', version);
    return reply({ ok: false, error: { code: 'incompatible', message, event: 'relay:join' } });
  }
  const request = parseJoin(opts, req);
  if ('error' in request) return reply({ ok: false, error: request.error });
  const { room, me } = request;
  const known = helloIn(socket.data, room);
  // A connection joins one room at most once in a while — whether it is still there (joining
  // again only refreshes how we are introduced) or left it just now (a leave/join loop) —
  // checked before the proof, which costs a signature check; an unchanged introduction is
  // answered without telling anyone (join storms).
  if (Date.now() - (lastJoins.get(socket)?.get(room) ?? 0) < REJOIN_GAP_MS) {
    const message = `joined "${room}" a moment ago; join again in a few seconds`;
    return reply({ ok: false, error: { code: 'rate-limited', message, event: 'relay:join' } });
  }
  // The challenge is this connection's Socket.IO id: chosen here, new for every connection,
  // so a proof made for one connection is worthless on any other (no replay), and a userId
  // that is not the hash of the signing key (someone else's id) never gets in.
  const problem = await joinProofProblem(socket.id, room, me, request.proof);
  if (problem !== undefined) {
    const message = `join refused: ${problem}`;
    return reply({ ok: false, error: { code: 'unproven', message, event: 'relay:join' } });
  }
  const rooms = (socket.data.rooms ??= emptyRooms());
  const again = known !== undefined;
  if (known && sameIntroduction(known, me)) {
    lastJoins.get(socket)?.set(room, Date.now());
    const self = peerIdOf(socket);
    const peers = (await membersOf(io, room)).filter((h) => h.id !== self);
    return reply(joinedReply(opts, known, peers, me.p2p === true && known.p2p !== true));
  }
  if (!again && roomsOf(socket.data).length >= opts.maxRooms) {
    const message = `join refused: a connection may be in at most ${opts.maxRooms} rooms`;
    return reply({ ok: false, error: { code: 'too-many', message, event: 'relay:join' } });
  }
  const self = peerIdOf(socket);
  // Our own id is left out: a lingering older connection of ours is not somebody else.
  const peers = (await membersOf(io, room)).filter((h) => h.id !== self);
  if (peers.length >= opts.maxMembers) {
    const message = `"${room}" is full (${opts.maxMembers} members)`;
    return reply({ ok: false, error: { code: 'room-full', message, event: 'relay:join' } });
  }
  // Across nodes, joins that arrive together all see the same count: a seat settles it.
  const seats = seatsOf(io);
  if (!again && seats && !(await seats.take(room, self, opts.maxMembers))) {
    const message = `"${room}" is full (${opts.maxMembers} members)`;
    return reply({ ok: false, error: { code: 'room-full', message, event: 'relay:join' } });
  }
  if (!socket.connected) {
    if (!again) seats?.release(room, self);
    return; // gone while we looked
  }
  if (again) leaveRoom(socket, room, false);
  // The mesh cap: past it, a newcomer who asked for direct links is told and relayed instead.
  const meshFull = me.p2p === true && peers.filter((p) => p.p2p).length >= opts.meshCap;
  const hello: PeerHello = {
    id: self,
    userId: me.userId,
    name: me.name,
    key: me.key,
    since: Date.now(),
    p2p: me.p2p === true && !meshFull,
    v: request.v!,
    ...(opts.keeper?.(socket) ? { keeper: true as const } : {}),
  };
  rooms[room] = hello;
  await socket.join(roomKey(room));
  absentTargets(io).forget(self, room);
  let joined = lastJoins.get(socket);
  if (!joined) lastJoins.set(socket, (joined = new Map()));
  joined.set(room, Date.now());
  const announcing = presenceOf(io).joined(room, hello, socket.id);
  if (!announcing) return reply(joinedReply(opts, hello, peers, meshFull));
  // In a busy moment the join went out with others: answered once it did, with who is there
  // then (joins gathered with ours included; their announcement skipped us).
  await announcing;
  if (!socket.connected) return;
  const now = (await membersOf(io, room)).filter((h) => h.id !== self);
  reply(joinedReply(opts, hello, now, meshFull));
}

/** The answer to a join that stands: our id, the others there, and the limits to pace under. */
function joinedReply(
  opts: RelayOptions,
  hello: PeerHello,
  peers: PeerHello[],
  meshFull: boolean,
): JoinReply {
  return {
    ok: true,
    v: PROTOCOL_VERSION,
    selfId: hello.id,
    since: hello.since,
    peers,
    limits: {
      rate: opts.rate,
      burst: opts.burst,
      maxPayload: opts.maxPayload,
      bytes: { rate: opts.bytesRate, burst: opts.bytesBurst },
      maxFile: opts.maxFile,
    },
    ...(meshFull ? { meshFull: { cap: opts.meshCap } } : {}),
  };
}

/**
 * Whether a join's profile says what the connection's standing introduction says (a p2p
 * request the mesh cap turned down stands as it was).
 */
function sameIntroduction(hello: PeerHello, me: JoinRequest['me']): boolean {
  const p2pAsBefore = hello.p2p === true ? me.p2p === true : true;
  return (
    hello.userId === me.userId && hello.name === me.name && hello.key === me.key && p2pAsBefore
  );
}

/** A client-given name, safe to quote back (objects like `{toString: 1}` cannot be printed). */
function shown(name: unknown): string {
  return typeof name === 'string' ? name.slice(0, 64) : `(${typeof name})`;
}

/** Checks one app event from `socket`; returns its room when it may be relayed. */
function checkAppEvent(
  socket: RelaySocket,
  opts: RelayOptions,
  frame: string,
  event: unknown,
  args: unknown,
): string | undefined {
  const size = jsonSize(args);
  if (size === undefined || !Array.isArray(args)) {
    refuse(socket, 'malformed', 'arguments must be a JSON array, not too deeply nested', frame);
    return undefined;
  }
  if (size > opts.maxPayload) {
    const name = typeof event === 'string' ? event.slice(0, 64) : frame;
    refuse(
      socket,
      'too-large',
      `payload is ${size} bytes, over the ${opts.maxPayload}-byte cap`,
      name,
    );
    return undefined;
  }
  if (!isWireEvent(event)) {
    refuse(socket, 'unknown-event', `no such event: ${shown(event)}`, frame);
    return undefined;
  }
  if (!inAnyRoom(socket.data)) {
    refuse(socket, 'not-joined', 'join a room first', event);
    return undefined;
  }
  const parsed = v.safeParse(wireEventSchemas[event], args);
  if (!parsed.success) {
    refuse(socket, 'malformed', describeIssues(parsed.issues), event);
    return undefined;
  }
  // Every app payload names its room; only rooms this connection joined are reachable.
  const room = (parsed.output[0] as { room: string }).room;
  if (helloIn(socket.data, room) === undefined) {
    refuse(socket, 'wrong-room', `this connection is not in "${room}"`, event);
    return undefined;
  }
  return room;
}

/** Installs the relay on a Socket.IO server. */
export function attachRelay(io: RelayServer, opts: RelayOptions): void {
  const absent = absentTargets(io);
  io.on('connection', (socket) => {
    socket.data.rooms = emptyRooms();
    let joins = Promise.resolve();
    // Handlers take `unknown`: the typed signatures describe honest clients, not every client.
    const on = (ev: keyof RelayClientEvents, fn: (...a: unknown[]) => void) =>
      guardedOn(socket, opts.log, ev, fn);

    on('relay:join', (req, ack) => {
      const reply = (answer: JoinReply) => {
        // Every answer names our version, so a client can tell an incompatible server apart.
        const r = { ...answer, v: PROTOCOL_VERSION };
        if (typeof ack === 'function') (ack as (r: JoinReply) => void)(r);
        else if (!r.ok) socket.emit('relay:error', r.error);
      };
      // One join at a time per connection: the room cap is checked before an await and
      // recorded after it, so joins sent together must not all pass the check.
      joins = joins
        .then(() => join(io, socket, opts, req, reply))
        .catch((err: unknown) => {
          opts.log('error', 'join failed', { err: String(err) });
          const message = 'join failed on the server; try again';
          reply({ ok: false, error: { code: 'malformed', message, event: 'relay:join' } });
        });
    });

    // Answered at once (rate-limited like every frame): the client's round trip to us.
    on('relay:ping', (ack) => {
      if (typeof ack === 'function') (ack as (r: { t: number }) => void)({ t: Date.now() });
    });

    on('relay:leave', (room) => {
      if (typeof room === 'string') leaveRoom(socket, room);
    });

    on('relay:emit', (event, args, except) => {
      const room = checkAppEvent(socket, opts, 'relay:emit', event, args);
      if (room === undefined) return;
      // Members already reached over a direct link are left out.
      const skip = v.safeParse(ExceptSchema, except);
      if (!skip.success)
        return refuse(socket, 'malformed', 'except: a list of peer ids', 'relay:emit');
      socket
        .to(roomKey(room))
        .except(skip.output ?? [])
        .emit('relay:event', peerIdOf(socket), event as string, args as unknown[]);
    });

    on('relay:to', (to, event, args) => {
      const room = checkAppEvent(socket, opts, 'relay:to', event, args);
      if (room === undefined) return;
      // What the whole room must see never goes to one member (see directed.ts).
      if (!directed(event as WireEvent)) {
        const message = `${event as string} goes to the whole room (relay:emit), never to one member`;
        return refuse(socket, 'malformed', message, event as string);
      }
      toMember(io, socket, absent, { to, room, event: event as string }, opts.log, (from) =>
        io.to(to as string).emit('relay:event', from, event as string, args as unknown[]),
      );
    });

    attachBytes(io, socket, absent, opts);

    socket.onAny((event: unknown) => {
      if (typeof event !== 'string' || !CLIENT_FRAMES.has(event)) {
        refuse(socket, 'unknown-event', `no such frame: ${shown(event)}`);
      }
    });

    socket.on('disconnect', () => {
      for (const room of roomsOf(socket.data)) leaveRoom(socket, room);
    });
  });
}
