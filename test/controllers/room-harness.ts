/**
 * Runs the real session, transport, presence and room controllers against a bare host (no element), a
 * real IndexedDB and in-page transports, so delivery and catch-up can be tested directly.
 */
import { PresenceController } from '../../src/controllers/presence/presence-controller.js';
import { beatOn, type HereBeat, type HereTimes } from '../../src/controllers/presence/here.js';
import { RoomController, type RoomConfig } from '../../src/controllers/room/room-controller.js';
import { SessionController } from '../../src/controllers/session/session-controller.js';
import { TransportController } from '../../src/controllers/connection/transport-controller.js';
import type { ChatEvents } from '../../src/protocol/chat-events.js';
import { signerOf, type Identity, type Signer } from '../../src/protocol/identity.js';
import { deleteParleyDb } from '../../src/store/db.js';
import type { TransportFactory } from '../../src/transport/index.js';
import type { PeerHello, Transport } from '../../src/transport/types.js';
import { MemoryTransport, type MemoryHub } from '../../src/transport/memory.js';
import { signTyping } from '../../src/protocol/signed-notices.js';
import { BareHost } from '../support/bare-host.js';
import { uniqueDbName } from '../support/db.js';

/** One member: its controllers and a way to end it. */
export interface Member {
  session: SessionController;
  transport: TransportController;
  presence: PresenceController;
  room: RoomController;
  stop: () => Promise<void>;
}

/**
 * Registers `name` with a fresh database and joins `room` over memory transports of `hub`;
 * `extra.here` shortens how often members say they are here and how long it holds.
 */
export async function member(
  hub: MemoryHub,
  name: string,
  room: string,
  { here, ...extra }: Partial<RoomConfig> & { here?: HereTimes } = {},
  dbName = uniqueDbName(),
  factory = (async (_kind, options) => hub.transport(options)) as TransportFactory,
): Promise<Member> {
  const host = new BareHost();
  const session = new SessionController(host, { dbName: () => dbName });
  const transport = new TransportController(host, { kind: () => 'memory', factory: () => factory });
  const presence = new PresenceController(host, {
    session,
    transport,
    room: () => room,
    ...(here && { here }),
  });
  const chat = new RoomController(host, {
    session,
    transport,
    presence,
    fixedRoom: () => room,
    ...extra,
  });
  host.controllers.forEach((c) => c.hostConnected?.());
  await until(() => session.status !== 'loading');
  if (session.status !== 'authenticated') session.register(name, 'password123');
  await until(() => session.status === 'authenticated', `${name} registered`);
  host.requestUpdate();
  await until(() => transport.state === 'open', `${name} connected`);
  return {
    session,
    transport,
    presence,
    room: chat,
    stop: async () => {
      host.controllers.forEach((c) => c.hostDisconnected?.());
      (await session.db)?.close();
      await deleteParleyDb(dbName);
    },
  };
}

/**
 * `member` for one suite: every member it makes is stopped (and its database deleted) after
 * each test. Call it inside a `describe`.
 */
export function suiteMembers(): typeof member {
  const made: Member[] = [];
  afterEach(async () => {
    await Promise.all(made.splice(0).map((m) => m.stop()));
  });
  return async (...args) => {
    const m = await member(...args);
    made.push(m);
    return m;
  };
}

/** Polls `check` until it holds (fails after `ms`). */
export async function until(check: () => boolean, what = 'condition', ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * Someone who joins `room` as the holder of `identity` (its hello carries id and key) and, as
 * every 1.4 member does, says so with its own signed hello (see `presence/here.ts`) — at once,
 * and to each member who joins after it.
 */
export async function stranger(
  hub: MemoryHub,
  room: string,
  identity: Identity | Signer,
  name: string,
) {
  const t = hub.transport<ChatEvents>({ signer: asSigner(identity) });
  await t.connect(room, { userId: identity.id, name });
  speaksHere(t, room, identity, name);
  return t;
}

const asSigner = (who: Identity | Signer): Signer => ('privateKey' in who ? signerOf(who) : who);

/** A typing notice of `identity` in `room`, signed as a 1.4 member signs it. */
export function typingOf(identity: Identity | Signer, room: string, name: string, typing: boolean) {
  return signTyping(asSigner(identity), { room, name, typing, at: Date.now() });
}

/** A member whose app is older than signed hellos (protocol 1.3): its hello says so. */
export class OlderMemory extends MemoryTransport<ChatEvents> {
  override hello(): PeerHello {
    return { ...super.hello(), v: '1.3' };
  }
}

/** Makes raw transport `t`, in `room` as `identity`, say it is here as a 1.4 member does. */
export function speaksHere(
  t: Transport<ChatEvents>,
  room: string,
  identity: Identity | Signer,
  name: string,
  times?: HereTimes,
): HereBeat {
  const beat = beatOn(t, room, name, asSigner(identity), times);
  return beat;
}
