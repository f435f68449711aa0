/**
 * A member one version older (1.3: no signed hellos, receipts or typing) beside 1.4 members on
 * the real relay: it keeps every message it understands, both ways; its unsigned receipts end
 * our resends but never make a message *delivered*; it is listed as the server says, marked as
 * not confirmed. The 1.3 member is a raw Socket.IO client that checks what it gets with the
 * schemas a 1.3 client had (unknown fields dropped, unknown events refused).
 */
import { expect } from '@open-wc/testing';
import type { Socket } from 'socket.io-client';
import * as v from 'valibot';
import { WireEnvelopeSchema, type Envelope } from '../../../src/protocol/chat-events.js';
import type { TransportFactory } from '../../../src/transport/index.js';
import { MemoryHub } from '../../../src/transport/memory.js';
import { SocketIoTransport } from '../../../src/transport/socketio.js';
import { author, signedBy, textOf } from '../../support/envelopes.js';
import { serverUrl } from '../../support/server-url.js';
import { freshRoom } from '../../transport/contract.js';
import { rawMember } from '../raw-member.js';
import { suiteMembers, until } from '../room-harness.js';

const url = await serverUrl();
const overSocketIo = (async (_kind, options) =>
  new SocketIoTransport({ ...options, url })) as TransportFactory;

/** The events a 1.3 client took in (anything else it refused unread). */
const EVENTS_13 = new Set([
  'chat:message',
  'chat:sync-req',
  'chat:sync-res',
  'chat:ack',
  'chat:typing',
  'chat:ping',
  'chat:pong',
  'file:who',
  'file:have',
  'file:want',
]);

describe('a 1.3 member beside 1.4 members', function () {
  this.timeout(30000);
  const member = suiteMembers();
  const sockets: Socket[] = [];
  afterEach(() => sockets.splice(0).forEach((s) => s.disconnect()));

  it('keeps every message both ways; its receipts end resends but never say delivered', async () => {
    const room = freshRoom();
    const ann = await member(
      new MemoryHub(),
      'Ann',
      room,
      { retryDelays: [150, 150, 150] },
      undefined,
      overSocketIo,
    );
    const old = await author('Olga');
    const raw = await rawMember(url, room, old, sockets, { v: '1.3' });
    const kept: Envelope[] = [];
    let unknown = 0;
    let copies = 0;
    raw.socket.on('relay:event', (from: string, ev: string, args: unknown[]) => {
      if (!EVENTS_13.has(ev)) return void unknown++;
      if (ev !== 'chat:message') return;
      const env = v.safeParse(WireEnvelopeSchema, args[0]);
      if (!env.success) return;
      copies++;
      if (kept.some((k) => k.id === env.output.id)) return;
      kept.push(env.output as Envelope);
      // What a 1.3 member sends back: a receipt without key or signature.
      raw.to(from, 'chat:ack', { room, by: old.id, ids: [env.output.id] });
    });
    await until(() => ann.presence.roster.some((l) => l.name === 'Olga'), 'Olga listed');
    const line = ann.presence.roster.find((l) => l.name === 'Olga')!;
    expect(line.unconfirmed, 'listed on the server’s word').to.equal('older');
    for (const text of ['one', 'two', 'three']) ann.room.send(text);
    await until(() => kept.length === 3, 'Olga keeps all three');
    expect(kept.map((e) => textOf(e))).to.deep.equal(['one', 'two', 'three']);
    expect(unknown, 'the hellos reached her and were refused unread').to.be.greaterThan(0);
    // Her own message reaches Ann, as before.
    raw.send(await signedBy(old, { room, text: 'hello from 1.3' }));
    await until(() => ann.room.messages.some((m) => m.text === 'hello from 1.3'), 'Ann has it');
    // Her receipts ended the resends (one copy each, well past three resend delays)...
    await new Promise((r) => setTimeout(r, 600));
    expect(copies, 'no resends after her receipts').to.equal(3);
    // ...but only a signed receipt says delivered.
    const mine = ann.room.messages.filter((m) => ['one', 'two', 'three'].includes(m.text ?? ''));
    expect(mine.map((m) => m.status)).to.deep.equal(['sent', 'sent', 'sent']);
  });
});
