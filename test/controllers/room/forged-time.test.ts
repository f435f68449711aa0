/**
 * A message dated far in the future, from a raw Socket.IO client against the real relay: it
 * would sort as the newest for ever, make date formatting throw and push every later
 * catch-up's `since` past all history. The room refuses it, live and in a catch-up answer,
 * and takes the honest message sent right after it.
 */
import { expect } from '@open-wc/testing';
import { io, type Socket } from 'socket.io-client';
import type { Envelope } from '../../../src/protocol/chat-events.js';
import { MAX_CLOCK_SKEW_MS } from '../../../src/protocol/limits.js';
import { SocketIoTransport } from '../../../src/transport/socketio.js';
import type { TransportFactory } from '../../../src/transport/index.js';
import { MemoryHub } from '../../../src/transport/memory.js';
import { author, signedBy } from '../../support/envelopes.js';
import { provenJoin } from '../../support/identity.js';
import { serverUrl } from '../../support/server-url.js';
import { freshRoom } from '../../transport/contract.js';
import { member, until, type Member } from '../room-harness.js';

const url = await serverUrl();
const overSocketIo = (async (_kind, options) =>
  new SocketIoTransport({ ...options, url })) as TransportFactory;

/** Mallory signs her own messages: the date is hers to choose, and the room's to refuse. */
const mallory = await author('Mallory');
const forged = (room: string, text: string, ts: number): Promise<Envelope> =>
  signedBy(mallory, { room, text, ts });

describe('a message dated in the future', function () {
  this.timeout(20000);
  let ann: Member | undefined;
  let raw: Socket | undefined;
  afterEach(async () => {
    raw?.disconnect();
    await ann?.stop();
  });

  it('is refused live and in a catch-up answer; the honest one after it arrives', async () => {
    const room = freshRoom();
    ann = await member(new MemoryHub(), 'Ann', room, {}, undefined, overSocketIo);
    raw = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
    const socket = raw;
    // Ann asks every newcomer what it has: Mallory answers with a forgery among the history.
    let answered = false;
    const history = [
      await forged(room, 'future history', 8.64e15),
      await forged(room, 'history', 1),
    ];
    socket.on('relay:event', (from: string, ev: string) => {
      if (ev !== 'chat:sync-req' || answered) return;
      answered = true;
      socket.emit('relay:to', from, 'chat:sync-res', [{ room, messages: history }]);
    });
    await new Promise((resolve) => socket.once('connect', () => resolve(undefined)));
    const join = await provenJoin(socket, room, 'Mallory', mallory);
    const joined = await new Promise<{ ok: boolean; selfId?: string }>((resolve) =>
      socket.emit('relay:join', join, resolve),
    );
    expect(joined.ok).to.equal(true);
    const dropped = ann.room.dropped;
    const farFuture = [8.64e15, Date.now() + MAX_CLOCK_SKEW_MS + 60_000];
    for (const ts of farFuture) {
      socket.emit('relay:emit', 'chat:message', [await forged(room, `from ${ts}`, ts)]);
    }
    // Within the skew: a clock a few minutes fast is normal, not an attack.
    const fast = await forged(room, 'a fast clock', Date.now() + 60_000);
    socket.emit('relay:emit', 'chat:message', [fast]);
    socket.emit('relay:emit', 'chat:message', [await forged(room, 'honest', Date.now())]);
    const texts = () => ann!.room.messages.map((m) => m.text);
    await until(() => texts().includes('honest') && texts().includes('history'), 'the rest');
    expect(answered, 'Ann asked Mallory for history').to.equal(true);
    expect(texts().sort()).to.deep.equal(['a fast clock', 'history', 'honest']);
    expect(ann.room.dropped - dropped).to.equal(farFuture.length + 1);
  });
});
