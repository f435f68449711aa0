/**
 * An older member beside a newer one (same major, a newer minor), through the real relay: the
 * newer member (a raw client with a real identity) sends a kind of message this version does
 * not know, an optional body field and a top-level field it does not know, live and in a
 * catch-up page. This version keeps every message it understands, keeps the unknown kind too
 * (stored, passed on with its signature intact, shown as one quiet line), and refuses nothing.
 */
import { expect } from '@open-wc/testing';
import type { Socket } from 'socket.io-client';
import type { Envelope } from '../../../src/protocol/chat-events.js';
import { UNKNOWN_KIND_TEXT } from '../../../src/controllers/room/room-sealing.js';
import { pageMessages } from '../../../src/store/history.js';
import type { TransportFactory } from '../../../src/transport/index.js';
import { MemoryHub } from '../../../src/transport/memory.js';
import { SocketIoTransport } from '../../../src/transport/socketio.js';
import { author, signedBy } from '../../support/envelopes.js';
import { serverUrl } from '../../support/server-url.js';
import { freshRoom } from '../../transport/contract.js';
import { rawMember, type RawAuthor } from '../raw-member.js';
import { suiteMembers, until, type Member } from '../room-harness.js';

const url = await serverUrl();
const overSocketIo = (async (_kind, options) =>
  new SocketIoTransport({ ...options, url })) as TransportFactory;

/** A newer member: a raw client that speaks version 1.9 and sends what it likes. */
async function newer(room: string, who: RawAuthor, sockets: Socket[]) {
  const member = await rawMember(url, room, who, sockets, { v: '1.9', since: 'v1.9' });
  const requests: Array<{ from: string }> = [];
  member.socket.on('relay:event', (from: string, ev: string) => {
    if (ev === 'chat:sync-req') requests.push({ from });
  });
  return { ...member, requests, send: member.emit };
}

/** What a member shows, as [text, kind it could not show]. */
const shown = (m: Member) => m.room.messages.map((x) => [x.text, x.unknown ?? '']);

/** How many messages a member stored for the room. */
async function stored(m: Member, room: string): Promise<Envelope[]> {
  const page = await pageMessages(await m.session.db!, m.session.profile!.id, room);
  return page.messages;
}

describe('an older member beside a newer one', function () {
  this.timeout(30000);
  const member = suiteMembers();
  const sockets: Socket[] = [];
  afterEach(() => sockets.splice(0).forEach((s) => s.disconnect()));

  it('keeps every message live, and passes the unknown kind on intact in catch-up', async () => {
    const room = freshRoom();
    const bob = await member(new MemoryHub(), 'Bob', room, {}, undefined, overSocketIo);
    const nia = await author('Nia');
    const n = await newer(room, nia, sockets);
    const poll = await signedBy(nia, {
      room,
      body: { kind: 'poll', question: 'Tea or coffee?', options: ['tea', 'coffee'] },
    });
    const formatted = await signedBy(nia, { room, body: { text: 'with a format', format: 'md' } });
    const plain = await signedBy(nia, { room, text: 'plain' });
    n.send('chat:message', poll);
    n.send('chat:message', formatted);
    // A field beside the signed ones: dropped unread, the message kept.
    n.send('chat:message', { ...plain, thread: 'abc' });
    n.send('chat:typing', { room, userId: nia.id, name: 'Nia', typing: true, mood: 'chatty' });
    await until(() => bob.room.messages.length === 3, 'three messages');
    expect(shown(bob)).to.deep.equal([
      [UNKNOWN_KIND_TEXT, 'poll'],
      ['with a format', ''],
      ['plain', ''],
    ]);
    const { malformed, forged, conflicts, overBudget } = bob.room.refused;
    expect({ malformed, forged, conflicts, overBudget }).to.deep.equal({
      malformed: 0,
      forged: 0,
      conflicts: 0,
      overBudget: 0,
    });
    // A live message is shown first and stored in a later task (in the members' lane): wait
    // for the three writes.
    let kept: Envelope[] = [];
    for (let i = 0; i < 500 && kept.length < 3; i++) {
      kept = await stored(bob, room);
      if (kept.length < 3) await new Promise((r) => setTimeout(r, 10));
    }
    expect(kept.map((e) => e.body)).to.deep.include(poll.body);
    expect(kept.some((e) => 'thread' in e)).to.equal(false);

    // Nia leaves; Carol joins and catches up from Bob: the poll comes with it, its signature
    // still good (Carol checks every message she takes), and nothing is refused.
    n.socket.disconnect();
    const carol = await member(new MemoryHub(), 'Carol', room, {}, undefined, overSocketIo);
    await until(() => carol.room.messages.length === 3, 'Carol caught up');
    expect(shown(carol)).to.deep.equal(shown(bob));
    expect(carol.room.refused.forged + carol.room.refused.malformed).to.equal(0);
  });

  it('takes a catch-up page from a newer member whole, the unknown kind and a bad one apart', async () => {
    const room = freshRoom();
    const nia = await author('Nia');
    const n = await newer(room, nia, sockets);
    const dave = await member(new MemoryHub(), 'Dave', room, {}, undefined, overSocketIo);
    await until(() => n.requests.length > 0, 'Dave asks Nia for history');
    const page = [
      await signedBy(nia, { room, text: 'first', ts: Date.now() - 3000 }),
      await signedBy(nia, {
        room,
        body: { kind: 'reaction', to: 'x', emoji: '👍' },
        ts: Date.now() - 2000,
      }),
      // One this version refuses on its own (a text body breaking the text rules): only it.
      { ...(await signedBy(nia, { room, text: 'x', ts: Date.now() - 1500 })), body: { text: 5 } },
      await signedBy(nia, { room, text: 'last', ts: Date.now() - 1000 }),
    ];
    n.to(n.requests[0]!.from, 'chat:sync-res', { room, messages: page, more: false });
    await until(() => dave.room.messages.length === 3, 'Dave took the page');
    expect(shown(dave)).to.deep.equal([
      ['first', ''],
      [UNKNOWN_KIND_TEXT, 'reaction'],
      ['last', ''],
    ]);
    expect(dave.room.refused.malformed).to.equal(1);
    expect((await stored(dave, room)).length).to.equal(3);
  });
});
