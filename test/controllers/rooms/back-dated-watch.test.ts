/**
 * Attack (issue 26 item 6), in a room listened to in the background: a member with a valid
 * identity of its own sends a message dated half an hour ago, after the person has read the
 * room. By its date it falls before what was read, so a count from the last message read (by
 * date) misses it. The watch keeps when it arrived and notes it as a late arrival, unread
 * until the room is seen (`store/late-arrivals.ts`); a message dated now is not noted.
 */
import { expect } from '@open-wc/testing';
import { isWellFormed, type ChatEvents } from '../../../src/protocol/chat-events.js';
import { PresenceController } from '../../../src/controllers/presence/presence-controller.js';
import { RoomController } from '../../../src/controllers/room/room-controller.js';
import { RoomsController } from '../../../src/controllers/rooms/rooms-controller.js';
import { SessionController } from '../../../src/controllers/session/session-controller.js';
import { TransportController } from '../../../src/controllers/connection/transport-controller.js';
import { deleteParleyDb } from '../../../src/store/db.js';
import { pageMessages } from '../../../src/store/history.js';
import { lateUnread } from '../../../src/store/late-arrivals.js';
import type { TransportFactory } from '../../../src/transport/index.js';
import { MemoryHub } from '../../../src/transport/memory.js';
import { BareHost } from '../../support/bare-host.js';
import { uniqueDbName } from '../../support/db.js';
import { author, signedBy } from '../../support/envelopes.js';
import { freshRoom } from '../../transport/contract.js';
import { until } from '../room-harness.js';

describe('a back-dated message in a room listened to in the background', function () {
  this.timeout(20000);
  const stops: Array<() => Promise<void>> = [];
  afterEach(async () => Promise.all(stops.splice(0).map((s) => s())));

  it('is kept with its arrival and noted unread, though dated before what was read', async () => {
    const hub = new MemoryHub();
    const [a, b] = [freshRoom(), freshRoom()];
    const dbName = uniqueDbName();
    const factory = (async (_kind, options) => hub.transport(options)) as TransportFactory;
    const host = new BareHost();
    const session = new SessionController(host, { dbName: () => dbName });
    const transport = new TransportController(host, {
      kind: () => 'memory',
      factory: () => factory,
    });
    const presence = new PresenceController(host, { session, transport, room: () => a });
    const chat = new RoomController(host, { session, transport, presence, fixedRoom: () => a });
    const rooms = new RoomsController(host, {
      session,
      room: () => chat.room,
      watch: () => ({ kind: 'memory', options: {}, factory }),
    });
    host.controllers.forEach((c) => c.hostConnected?.());
    stops.push(async () => {
      host.controllers.forEach((c) => c.hostDisconnected?.());
      (await session.db)?.close();
      await deleteParleyDb(dbName);
    });
    await until(() => session.status !== 'loading');
    session.register('Bob', 'password123');
    await until(() => session.status === 'authenticated', 'Bob registered');
    host.requestUpdate();
    await until(() => transport.state === 'open' && rooms.loaded, 'Bob in his room');
    await rooms.visit(a, 'Room A');
    await rooms.visit(b, 'Finance');
    await until(() => hub.members(b).size === 1, 'B watched');

    const mallory = await author('Mallory');
    const raw = hub.transport<ChatEvents>({ signer: mallory, accept: isWellFormed });
    await raw.connect(b, { userId: mallory.id, name: 'Mallory' });
    await until(() => hub.members(b).size === 2, 'Mallory in B');
    const entry = () => rooms.list.find((e) => e.room === b);
    raw.emit('chat:message', await signedBy(mallory, { room: b, text: 'Is the invoice paid?' }));
    await until(() => entry()?.unread === 1, 'the question unread');
    const readUpTo = entry()!.last!.ts;
    rooms.read(b, readUpTo);
    const db = (await session.db)!;
    const owner = session.profile!.id;
    const self = session.profile!.identity!.id;

    const before = Date.now();
    const backDated = await signedBy(mallory, {
      room: b,
      text: 'Finance: approved, wire it.',
      ts: readUpTo - 30 * 60_000,
    });
    raw.emit('chat:message', backDated);
    raw.emit('chat:message', await signedBy(mallory, { room: b, text: 'thanks' }));
    // The room list counts both: the back-dated one by its arrival.
    await until(() => entry()?.unread === 2, 'both unread in the room list');
    let late: Awaited<ReturnType<typeof lateUnread>> = [];
    for (let i = 0; i < 300 && late.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 10));
      late = await lateUnread(db, owner, b, self, readUpTo);
    }
    expect(late.map((m) => m.id)).to.deep.equal([backDated.id]);
    expect(late[0]!.arrived).to.be.at.least(before);
    // Stored with its arrival (this browser only); the one dated now is not late.
    const page = await pageMessages(db, owner, b);
    expect(page.messages.map((m) => m.id)).to.include(backDated.id);
    // Seen once the room is: nothing late is left, and the list counts nothing.
    rooms.read(b, Date.now());
    await until(() => entry()?.unread === 0, 'read, the late one too');
    for (let i = 0; i < 300 && (await lateUnread(db, owner, b, self, readUpTo)).length; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(await lateUnread(db, owner, b, self, readUpTo)).to.deep.equal([]);
    raw.close();
  });
});
