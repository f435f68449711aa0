/**
 * Attack (issue 26 item 6): a member with a valid identity of its own signs a message dated
 * half an hour ago ("Finance: approved, wire it.") and sends it to the room. Signed by its
 * author, it is genuine — but sorted by its date it would sit among what was said then,
 * unseen. A live message keeps when it arrived: one dated well before its arrival says both
 * times on its row and is news by its arrival; a message dated now says nothing more, and
 * what a catch-up brings (old by nature) carries no arrival and no such words.
 *
 * The real relay on 127.0.0.1, the real room controller (Bob) and a raw Socket.IO member
 * (Mallory) signing with an identity of her own.
 */
import { expect } from '@open-wc/testing';
import type { Socket } from 'socket.io-client';
import { arrivals, timeline } from '../../../src/components/messages/timeline.js';
import type { Shown } from '../../../src/components/messages/message-rows.js';
import { isLate, LATE_MS } from '../../../src/controllers/room/late.js';
import { addMessages, messagesSince, pageMessages } from '../../../src/store/history.js';
import { freshDb } from '../../support/db.js';
import type { TransportFactory } from '../../../src/transport/index.js';
import { MemoryHub } from '../../../src/transport/memory.js';
import { SocketIoTransport } from '../../../src/transport/socketio.js';
import { author, signedBy } from '../../support/envelopes.js';
import { serverUrl } from '../../support/server-url.js';
import { freshRoom } from '../../transport/contract.js';
import { rawMember } from '../raw-member.js';
import { suiteMembers, until, type Member } from '../room-harness.js';

const url = await serverUrl();
const overSocketIo = (async (_kind, options) =>
  new SocketIoTransport({ ...options, url })) as TransportFactory;

/** The flag words on each of `m`'s rows, by text. */
function flagsOf(m: Member): Record<string, string> {
  const self = m.session.profile!.id;
  const { flags } = timeline(m.room.messages as Shown[], { begin: undefined, self });
  return Object.fromEntries(m.room.messages.map((x) => [x.text, flags.get(x.id)?.flag ?? '']));
}

describe('a back-dated message from a member', function () {
  this.timeout(30000);
  const member = suiteMembers();
  const sockets: Socket[] = [];
  afterEach(() => sockets.splice(0).forEach((s) => s.disconnect()));

  it('says on its row when it was dated and when it arrived; one dated now says nothing', async () => {
    const room = freshRoom();
    const bob = await member(new MemoryHub(), 'Bob', room, {}, undefined, overSocketIo);
    const mallory = await author('Mallory');
    const m = await rawMember(url, room, mallory, sockets);
    const dated = Date.now() - 30 * 60_000;
    const before = Date.now();
    m.send(await signedBy(mallory, { room, text: 'Finance: approved, wire it.', ts: dated }));
    m.send(await signedBy(mallory, { room, text: 'on time' }));
    await until(() => bob.room.messages.length === 2, 'both shown');
    const late = bob.room.messages.find((x) => x.text.startsWith('Finance'))!;
    expect(late.arrived).to.be.at.least(before);
    expect(isLate(late)).to.equal(true);
    const words = flagsOf(bob);
    expect(words['Finance: approved, wire it.']).to.match(/^Dated .+ · arrived .+$/);
    expect(words['on time']).to.equal('');

    // Kept with the message in this browser, so the row still says so after a reload.
    let stored = (await pageMessages((await bob.session.db)!, bob.session.profile!.id, room))
      .messages;
    for (let i = 0; i < 500 && stored.length < 2; i++) {
      await new Promise((r) => setTimeout(r, 10));
      stored = (await pageMessages((await bob.session.db)!, bob.session.profile!.id, room))
        .messages;
    }
    const kept = stored.find((e) => e.id === late.id) as { arrived?: number } | undefined;
    expect(kept?.arrived).to.equal(late.arrived);

    // A newcomer catches up from Bob: old words in a catch-up are no news, and carry no mark
    // (nor Bob's arrival: what he serves is the envelope as signed).
    const carol = await member(new MemoryHub(), 'Carol', room, {}, undefined, overSocketIo);
    await until(() => carol.room.messages.length === 2, 'Carol caught up');
    const served = carol.room.messages.find((x) => x.id === late.id)!;
    expect(served.arrived).to.equal(undefined);
    expect(flagsOf(carol)['Finance: approved, wire it.']).to.equal('');
  });

  it('keeps the arrival in this browser: what it serves is the envelope as signed', async () => {
    const { db, drop } = await freshDb();
    try {
      const mallory = await author('Mallory');
      const env = await signedBy(mallory, { room: 'r', ts: Date.now() - 30 * 60_000 });
      await addMessages(db, 'bob', [env], () => 'received', { arrived: Date.now() });
      const [served] = await messagesSince(db, 'bob', 'r', 0, 10);
      expect(served).to.deep.equal(env);
      expect(Object.keys(served!)).not.to.include('arrived');
    } finally {
      await drop();
    }
  });

  it('is news by its arrival: the "new messages" count takes it, sorted in among old ones', () => {
    const mallory = { id: 'mallory', name: 'Mallory', key: 'k' };
    const row = (id: string, ts: number, arrived?: number): Shown =>
      ({
        id,
        room: 'r',
        from: mallory,
        ts,
        seq: 0,
        body: { text: id },
        sig: '',
        text: id,
        owner: 'bob',
        status: 'received',
        ...(arrived ? { arrived } : {}),
      }) as Shown;
    const now = Date.now();
    const old = [row('a', now - 60 * 60_000), row('b', now - 10 * 60_000)];
    const slipped = row('late', now - 30 * 60_000, now);
    const honest = row('close', now - 50 * 60_000, now - 50 * 60_000 + LATE_MS / 2);
    const after = [old[0]!, honest, slipped, old[1]!];
    const news = arrivals(after, old, 'bob', { since: 0 });
    expect(news.map((m) => m.id)).to.deep.equal(['late']);
  });
});
