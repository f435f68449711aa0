/**
 * The rooms controller with the real session, transport and room controllers, a real
 * IndexedDB and in-page transports: rooms not on screen are listened to in the background, so
 * a message to room B while A is shown raises B's unread count — a forged one does not — and
 * reading clears it; drafts stay with their room.
 */
import { expect } from '@open-wc/testing';
import { isWellFormed, type ChatEvents } from '../../../src/protocol/chat-events.js';
import { signEnvelope } from '../../../src/protocol/signed-envelope.js';
import { PresenceController } from '../../../src/controllers/presence/presence-controller.js';
import { RoomController } from '../../../src/controllers/room/room-controller.js';
import { RoomsController } from '../../../src/controllers/rooms/rooms-controller.js';
import { SessionController } from '../../../src/controllers/session/session-controller.js';
import { TransportController } from '../../../src/controllers/connection/transport-controller.js';
import { deleteParleyDb } from '../../../src/store/db.js';
import {
  ENCRYPTED_PREVIEW,
  UNENCRYPTED_PREVIEW,
  summarize,
} from '../../../src/controllers/rooms/room-summary.js';
import { inviteKey } from '../../../src/controllers/room/room-keys.js';
import { addRoomKey } from '../../../src/store/room-keys.js';
import { newRoomKeyText } from '../../../src/protocol/room-key.js';
import { SEALED, seal } from '../../../src/protocol/room-key.js';
import { sealingHeader } from '../../../src/protocol/signed-envelope.js';
import { addMessages, pageMessages } from '../../../src/store/history.js';
import { listRooms, putRoom } from '../../../src/store/rooms.js';
import type { TransportFactory } from '../../../src/transport/index.js';
import { MemoryHub } from '../../../src/transport/memory.js';
import { BareHost } from '../../support/bare-host.js';
import { freshDb, uniqueDbName } from '../../support/db.js';
import { SIGNATURE_SHAPED, TEST_AUTHOR } from '../../support/identity.js';
import { author, signedBy, unsignedBy } from '../../support/envelopes.js';
import { freshRoom } from '../../transport/contract.js';
import { suiteMembers, until } from '../room-harness.js';

/** Alice with a rooms controller, on screen in `shown` (changed with `show`). */
async function alice(hub: MemoryHub, first: string) {
  const dbName = uniqueDbName();
  const factory = (async (_kind, options) => hub.transport(options)) as TransportFactory;
  let shown = first;
  const host = new BareHost();
  const session = new SessionController(host, { dbName: () => dbName });
  const transport = new TransportController(host, { kind: () => 'memory', factory: () => factory });
  const presence = new PresenceController(host, { session, transport, room: () => shown });
  const chat = new RoomController(host, { session, transport, presence, fixedRoom: () => shown });
  const rooms = new RoomsController(host, {
    session,
    room: () => chat.room,
    watch: () => ({ kind: 'memory', options: {}, factory }),
  });
  host.controllers.forEach((c) => c.hostConnected?.());
  await until(() => session.status !== 'loading');
  session.register('Alice', 'password123');
  await until(() => session.status === 'authenticated', 'Alice registered');
  host.requestUpdate();
  await until(() => transport.state === 'open' && rooms.loaded, 'Alice in her room');
  return {
    session,
    transport,
    chat,
    rooms,
    show: (room: string) => {
      shown = room;
      host.requestUpdate();
    },
    stop: async () => {
      host.controllers.forEach((c) => c.hostDisconnected?.());
      (await session.db)?.close();
      await deleteParleyDb(dbName);
    },
  };
}

describe('rooms controller', function () {
  this.timeout(20000);
  const member = suiteMembers();
  const stops: Array<() => Promise<void>> = [];
  afterEach(async () => Promise.all(stops.splice(0).map((s) => s())));

  async function scene() {
    const hub = new MemoryHub();
    const [a, b] = [freshRoom(), freshRoom()];
    const me = await alice(hub, a);
    stops.push(me.stop);
    await me.rooms.visit(a, 'Room A');
    await me.rooms.visit(b, 'Design Team');
    const bob = await member(hub, 'Bob', b);
    // Alice listens to B in the background: Bob's room has him and her watch.
    await until(() => hub.members(b).size === 2, 'B watched');
    const entry = (room: string) => me.rooms.list.find((e) => e.room === room);
    return { hub, a, b, me, bob, entry };
  }

  it('raises the unread count of a room not on screen, and reading clears it', async () => {
    const { a, b, me, bob, entry } = await scene();
    expect(entry(a)?.current).to.equal(true);
    expect(entry(b)).to.deep.include({ title: 'Design Team', unread: 0, current: false });
    expect(bob.room.send('Standup in 5')).to.equal(true);
    await until(() => entry(b)?.unread === 1, 'B unread');
    expect(entry(b)?.last).to.deep.include({ author: 'Bob', text: 'Standup in 5' });
    expect(me.rooms.list[0]?.room, 'B moved to the top').to.equal(b);
    // The watch stored it (Alice has it when she opens B) and told Bob so.
    const page = await pageMessages(await me.session.db!, me.session.profile!.id, b);
    expect(page.messages.map((m) => m.id)).to.deep.equal([bob.room.messages[0]!.id]);
    await until(() => bob.room.messages[0]?.status === 'delivered', 'receipt to Bob');
    const ts = entry(b)!.last!.ts;
    me.rooms.read(b, ts);
    expect(entry(b)?.unread, 'cleared at once').to.equal(0);
    // And for good: saved, so the next message makes it 1, not 2.
    const db = await me.session.db!;
    const owner = me.session.profile!.id;
    const lastRead = async () => (await listRooms(db, owner)).find((r) => r.room === b)?.lastRead;
    expect(await waitFor(lastRead, ts)).to.equal(ts);
    expect(bob.room.send('Now')).to.equal(true);
    await until(() => entry(b)?.last?.text === 'Now', 'the next one');
    expect(entry(b)?.unread).to.equal(1);
  });

  it('does not count forged messages, nor one for another room', async () => {
    const { hub, a, b, me, bob, entry } = await scene();
    const mallory = await author('Mallory');
    const raw = hub.transport<ChatEvents>({ signer: mallory, accept: isWellFormed });
    await raw.connect(b, { userId: mallory.id, name: 'Mallory' });
    const bobId = bob.session.profile!.identity!;
    // In Bob's name and key, signed by Mallory.
    const asBob = unsignedBy({ ...mallory, ...bobId, name: 'Bob' }, { room: b, text: 'forged' });
    raw.emit('chat:message', await signEnvelope(mallory, asBob));
    // Validly signed by someone else than the identity Mallory's connection proved.
    raw.emit('chat:message', await signedBy(await author('Carol'), { room: b, text: 'not hers' }));
    // Mallory's own, but for room A, sent into B.
    raw.emit('chat:message', await signedBy(mallory, { room: a, text: 'wrong room' }));
    await until(() => me.rooms.refused === 3, 'three refused');
    expect(entry(b)?.unread).to.equal(0);
    // The genuine message after them still counts.
    raw.emit('chat:message', await signedBy(mallory, { room: b, text: 'hi, Mallory here' }));
    await until(() => entry(b)?.unread === 1, 'B unread');
    const page = await pageMessages(await me.session.db!, me.session.profile!.id, b);
    expect(page.messages.map((m) => ('text' in m.body ? m.body.text : ''))).to.deep.equal([
      'hi, Mallory here',
    ]);
    raw.close();
  });

  it('hands a room to the room controller when it is shown, and keeps a draft per room', async () => {
    const { hub, a, b, me, entry } = await scene();
    me.rooms.setDraft(a, 'half a thought for A');
    me.show(b);
    // Shown, B's background watch closes (Alice's own link takes over) and A is watched instead.
    const main = () => me.transport.selfId;
    await until(
      () =>
        me.chat.room === b &&
        [...hub.members(b)].some((t) => t.selfId === main()) &&
        hub.members(b).size === 2 &&
        hub.members(a).size === 1 &&
        ![...hub.members(a)].some((t) => t.selfId === main()),
      'B shown, A watched',
    );
    expect(entry(b)?.current).to.equal(true);
    expect(entry(a)?.current).to.equal(false);
    expect(me.rooms.draft(a)).to.equal('half a thought for A');
    expect(me.rooms.draft(b)).to.equal('');
    const db = await me.session.db!;
    const owner = me.session.profile!.id;
    const saved = async () => (await listRooms(db, owner)).find((r) => r.room === a)?.draft;
    expect(await waitFor(saved, 'half a thought for A')).to.equal('half a thought for A');
    // Leaving A ends its list entry (and its background watch: one room is left).
    await me.rooms.leave(a, { deleteHistory: true });
    expect(me.rooms.list.map((e) => e.room)).to.deep.equal([b]);
    expect(me.rooms.draft(a)).to.equal('');
    await until(() => hub.members(a).size === 0, 'A no longer watched');
  });
});

describe('room summary', () => {
  it('mentions a sealed message no key opens as "Encrypted message"', async () => {
    const { db, drop } = await freshDb();
    try {
      const record = await putRoom(db, 'me', 'vault', undefined, 1);
      const sealed = { enc: SEALED, iv: 'A'.repeat(16), ct: 'B'.repeat(40) } as const;
      const from = { id: 'ann-id', name: 'Ann', key: TEST_AUTHOR.key };
      const env = { id: 'm1', room: 'vault', from, ts: 5, seq: 0, sig: SIGNATURE_SHAPED };
      await addMessages(db, 'me', [{ ...env, body: sealed }], () => 'received');
      const s = await summarize(db, record, 'me-id');
      expect(s.last).to.deep.equal({ author: 'Ann', by: 'ann-id', text: ENCRYPTED_PREVIEW, ts: 5 });
      // Nobody here can read it yet: it waits, but not as unread.
      expect(s.unread).to.equal(0);
      expect(s.record.lastActivity, 'moved up to its newest message').to.equal(5);
    } finally {
      await drop();
    }
  });

  it('never shows clear text as the preview of an encrypted room, nor lets a future date pin it', async () => {
    const { db, drop } = await freshDb();
    try {
      await addRoomKey(db, 'me', 'vault', (await inviteKey(newRoomKeyText()))!);
      const record = await putRoom(db, 'me', 'vault', undefined, 1);
      const from = { id: 'bob-id', name: 'Bob', key: TEST_AUTHOR.key };
      const ahead = Date.now() + 4 * 60_000; // inside the skew the intake allows
      const env = { id: 'm1', room: 'vault', from, ts: ahead, seq: 0, sig: SIGNATURE_SHAPED };
      const body = { text: 'new key, use https://evil.example' };
      await addMessages(db, 'me', [{ ...env, body }], () => 'received');
      const s = await summarize(db, record, 'me-id');
      expect(s.last).to.deep.equal({
        author: 'Bob',
        by: 'bob-id',
        text: UNENCRYPTED_PREVIEW,
        ts: ahead,
        said: true,
      });
      expect(s.record.lastActivity, 'no later than now').to.be.at.most(Date.now());
    } finally {
      await drop();
    }
  });

  it("names a private room's control message in words, never as one this version can't show", async () => {
    const { db, drop } = await freshDb();
    try {
      const entry = (await inviteKey(newRoomKeyText()))!;
      await addRoomKey(db, 'me', 'vault', entry);
      const record = await putRoom(db, 'me', 'vault', undefined, 1);
      const from = { id: 'bob-id', name: 'Bob', key: TEST_AUTHOR.key };
      const header = { id: 'm1', room: 'vault', from, ts: 5, seq: 0 };
      const body = await seal(
        entry.key,
        sealingHeader(header),
        { kind: 'member', kx: 'x' },
        entry.kid,
      );
      await addMessages(db, 'me', [{ ...header, sig: SIGNATURE_SHAPED, body }], () => 'received');
      const s = await summarize(db, record, 'me-id');
      // A room notice is nobody's words (an inbox does not take it for an answer).
      expect(s.last).to.deep.equal({ author: 'Bob', by: 'bob-id', text: 'joined the room', ts: 5 });
      expect(s.unread, 'a room notice is not unread').to.equal(0);
    } finally {
      await drop();
    }
  });
});

/** Polls `read` until it gives `want` (or gives up after a few seconds with what it had). */
async function waitFor<T>(read: () => Promise<T>, want: T): Promise<T> {
  const end = Date.now() + 5000;
  let got = await read();
  while (got !== want && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 10));
    got = await read();
  }
  return got;
}
