/**
 * Authorship against the real relay, with raw Socket.IO clients as the attackers: a member
 * speaks only for the identity whose key signs, whatever a payload says and whichever copy
 * arrives first. Each forgery is refused (counted, never shown, never stored), and the genuine
 * message around it still arrives.
 */
import { expect } from '@open-wc/testing';
import type { Socket } from 'socket.io-client';
import { signEnvelope } from '../../../src/protocol/signed-envelope.js';
import { signAck, signTyping } from '../../../src/protocol/signed-notices.js';
import { pageMessages } from '../../../src/store/history.js';
import type { TransportFactory } from '../../../src/transport/index.js';
import { MemoryHub } from '../../../src/transport/memory.js';
import { SocketIoTransport } from '../../../src/transport/socketio.js';
import { author, signedBy, textOf, unsignedBy } from '../../support/envelopes.js';
import { serverUrl } from '../../support/server-url.js';
import { freshRoom } from '../../transport/contract.js';
import { rawMember } from '../raw-member.js';
import { suiteMembers, until, type Member } from '../room-harness.js';

const url = await serverUrl();
const overSocketIo = (async (_kind, options) =>
  new SocketIoTransport({ ...options, url })) as TransportFactory;

/** What Bob's browser stored for the room. */
/**
 * What Bob's history holds, once it holds at least `count` messages (bounded): a message shows
 * before its write commits, so what is shown may not be stored yet.
 */
async function storedTexts(bob: Member, room: string, count: number): Promise<string[]> {
  let page = await pageMessages(await bob.session.db!, bob.session.profile!.id, room);
  for (let i = 0; i < 100 && page.messages.length < count; i++) {
    await new Promise((r) => setTimeout(r, 50));
    page = await pageMessages(await bob.session.db!, bob.session.profile!.id, room);
  }
  return page.messages.map((m) => textOf(m) || '(sealed)').reverse();
}

const texts = (m: Member) => m.room.messages.map((x) => x.text);

describe('authorship decided by signatures (real relay, raw attackers)', function () {
  this.timeout(30000);
  const member = suiteMembers();
  const sockets: Socket[] = [];
  afterEach(() => sockets.splice(0).forEach((s) => s.disconnect()));

  async function scene() {
    const room = freshRoom();
    const bob = await member(new MemoryHub(), 'Bob', room, {}, undefined, overSocketIo);
    const [alice, mallory] = [await author('Alice'), await author('Mallory')];
    return { room, bob, alice, mallory };
  }

  it('refuses a message signed by Mallory in Alice’s name, and one in Bob’s own name', async () => {
    const { room, bob, alice, mallory } = await scene();
    const m = await rawMember(url, room, mallory, sockets);
    const before = bob.room.refused.forged;
    // Alice's name, id and key on the envelope; Mallory's signature under it.
    m.send(await signEnvelope(mallory, unsignedBy(alice, { room, text: 'I owe Mallory 100' })));
    // Bob himself as the author: a forged "You", which would even show as delivered.
    const { id, publicKey } = bob.session.profile!.identity!;
    const asBob = unsignedBy(
      { ...mallory, id, publicKey, name: 'Bob' },
      { room, text: 'I said so' },
    );
    m.send(await signEnvelope(mallory, asBob));
    // A throwaway identity that calls itself Alice signs; Mallory's connection sends it live.
    const throwaway = await author('Alice');
    m.send(await signedBy(throwaway, { room, text: 'Alice here, my bank details changed' }));
    m.send(await signedBy(mallory, { room, text: 'just Mallory' }));
    await until(() => texts(bob).includes('just Mallory'), 'Mallory’s own message');
    expect(texts(bob)).to.deep.equal(['just Mallory']);
    expect(bob.room.refused.forged - before).to.equal(3);
    expect(bob.room.messages[0]!.fingerprint, 'shown with its author’s fingerprint').to.match(
      /^\d{5} \d{5} \d{5}$/,
    );
    expect(bob.room.messages.every((x) => x.status === 'received')).to.equal(true);
    expect(await storedTexts(bob, room, 1)).to.deep.equal(['just Mallory']);
  });

  it('keeps the genuine text when a doctored copy of its id arrives first', async () => {
    const { room, bob, alice, mallory } = await scene();
    const [a, m] = [
      await rawMember(url, room, alice, sockets),
      await rawMember(url, room, mallory, sockets),
    ];
    const genuine = await signedBy(alice, { room, text: 'meet at noon' });
    const before = { ...bob.room.refused };
    // Alice's envelope with its signature, the text changed.
    m.send({ ...genuine, body: { text: 'meet at midnight' } });
    // Mallory's own signature over Alice's message id: the id is not hers to take.
    m.send(
      await signEnvelope(mallory, {
        ...unsignedBy(mallory, { room, text: 'mine' }),
        id: genuine.id,
      }),
    );
    a.send(genuine);
    await until(() => texts(bob).includes('meet at noon'), 'the genuine message');
    // Alice herself signs another text under the same id: a conflict, the first copy stays.
    a.send(await signEnvelope(alice, { ...genuine, body: { text: 'meet at one' } }));
    a.send(await signedBy(alice, { room, text: 'after' }));
    await until(() => texts(bob).includes('after'), 'the next message');
    expect(texts(bob)).to.deep.equal(['meet at noon', 'after']);
    expect(bob.room.refused.forged - before.forged).to.equal(2);
    expect(bob.room.refused.conflicts - before.conflicts).to.equal(1);
    expect(await storedTexts(bob, room, 2)).to.deep.equal(['meet at noon', 'after']);
  });

  it('takes only what its author signed from a catch-up answer, even with the author away', async () => {
    const room = freshRoom();
    const [alice, mallory] = [await author('Alice'), await author('Mallory')];
    const m = await rawMember(url, room, mallory, sockets);
    // Alice wrote this earlier and left; Mallory holds her signed copy (one answer page: 100
    // envelopes stay under the relay's 64 KiB payload cap).
    const real = await signedBy(alice, {
      room,
      text: 'a real old message',
      ts: Date.now() - 60_000,
    });
    const forged = await Promise.all(
      Array.from({ length: 99 }, (_, i) =>
        signEnvelope(mallory, unsignedBy(alice, { room, text: `forged ${i}`, ts: 1000 + i })),
      ),
    );
    let asked = false;
    m.socket.on('relay:event', (from: string, ev: string) => {
      if (ev !== 'chat:sync-req' || asked) return;
      asked = true;
      m.to(from, 'chat:sync-res', { room, messages: [...forged, real] });
    });
    const bob = await member(new MemoryHub(), 'Bob', room, {}, undefined, overSocketIo);
    await until(() => texts(bob).includes('a real old message'), 'Alice’s message, via Mallory');
    expect(asked).to.equal(true);
    expect(texts(bob)).to.deep.equal(['a real old message']);
    expect(bob.room.refused.forged).to.equal(99);
    expect(await storedTexts(bob, room, 1)).to.deep.equal(['a real old message']);
  });

  it('takes a receipt and a typing notice only in the name their connection proved', async () => {
    const { room, bob, alice, mallory } = await scene();
    const [a, m] = [
      await rawMember(url, room, alice, sockets),
      await rawMember(url, room, mallory, sockets),
    ];
    await until(() => bob.presence.roster.length === 3, 'everyone listed');
    expect(bob.room.send('for Alice')).to.equal(true);
    await until(() => bob.room.messages[0]?.status === 'sent', 'sent');
    const id = bob.room.messages[0]!.id;
    const bobPeer = a.idOf('Bob')!;
    const before = bob.room.dropped;
    // Unsigned in Alice's name (refused: not the name Mallory's connection proved), and
    // Mallory's signature under Alice's id and key (refused: it does not check out).
    m.to(bobPeer, 'chat:ack', { room, by: alice.id, ids: [id] });
    const mine = await signAck(mallory, { room, ids: [id] });
    m.to(bobPeer, 'chat:ack', { ...mine, by: alice.id, key: alice.publicKey });
    const forgedTyping = await signTyping(mallory, {
      room,
      name: 'Alice',
      typing: true,
      at: Date.now(),
    });
    m.socket.emit('relay:emit', 'chat:typing', [{ ...forgedTyping, userId: alice.id }]);
    await until(() => bob.room.refused.forged === 1, 'the forged signature refused');
    // Mallory's own receipt comes after her forgeries: once it counts, they were judged.
    m.to(bobPeer, 'chat:ack', mine);
    await until(
      () => (bob.room.messages[0]?.ackedBy ?? []).includes(mallory.id),
      'Mallory’s receipt',
    );
    expect(bob.room.messages[0]!.ackedBy).to.deep.equal([mallory.id]);
    expect(bob.room.dropped - before, 'the unsigned one and the forged one').to.equal(2);
    expect(bob.presence.typing, 'nobody typed as Alice').to.deep.equal([]);
    a.to(bobPeer, 'chat:ack', await signAck(alice, { room, ids: [id] }));
    const typing = await signTyping(alice, { room, name: 'Alice', typing: true, at: Date.now() });
    a.socket.emit('relay:emit', 'chat:typing', [typing]);
    await until(() => (bob.room.messages[0]?.ackedBy ?? []).includes(alice.id), 'Alice’s receipt');
    await until(() => bob.presence.typing.length > 0, 'Alice typing');
    expect(bob.presence.typing).to.deep.equal(['Alice']);
  });
});
