/**
 * The longest message, in the worst case, travels: what the composer accepts (8,000 UTF-16
 * code units) is what every receiver accepts, live and through a catch-up page, in an
 * encrypted room — control characters (each written `\u00XX` in JSON, 6 bytes) and 4-byte
 * characters (4,000 of them are 8,000 code units). And a server that carries less than that
 * announces its cap: the sender refuses the message before showing or storing it, in words,
 * and keeps the text, while a message that fits goes.
 */
import { expect } from '@open-wc/testing';
import { MAX_TEXT } from '../../../src/protocol/limits.js';
import type { TransportFactory } from '../../../src/transport/index.js';
import { MemoryHub } from '../../../src/transport/memory.js';
import { SocketIoTransport } from '../../../src/transport/socketio.js';
import { serverUrl } from '../../support/server-url.js';
import { freshRoom } from '../../transport/contract.js';
import { suiteMembers, until } from '../room-harness.js';

const PASSPHRASE = 'correct horse battery staple';
const CONTROL = '\u0001'.repeat(MAX_TEXT);
const ASTRAL = '😀'.repeat(MAX_TEXT / 2);

const over = (url: string) =>
  (async (_kind, options) => new SocketIoTransport({ ...options, url })) as TransportFactory;

describe('the longest message', function () {
  this.timeout(60000);
  const member = suiteMembers();

  it('reaches every member, live and in catch-up, sealed, in the worst case', async () => {
    const factory = over(await serverUrl());
    const room = freshRoom();
    const [ann, bob] = [
      await member(new MemoryHub(), 'Ann', room, {}, undefined, factory),
      await member(new MemoryHub(), 'Bob', room, {}, undefined, factory),
    ];
    expect(await ann.room.setPassphrase(PASSPHRASE)).to.equal(true);
    expect(await bob.room.setPassphrase(PASSPHRASE)).to.equal(true);
    expect(CONTROL.length).to.equal(MAX_TEXT);
    expect(ASTRAL.length).to.equal(MAX_TEXT);
    expect(ann.room.send(CONTROL), ann.room.error).to.equal(true);
    expect(ann.room.send(ASTRAL), ann.room.error).to.equal(true);
    await until(() => bob.room.messages.length === 2, 'both at Bob', 20000);
    expect(
      bob.room.messages.map((m) => [m.text === CONTROL || m.text === ASTRAL, m.sealed]),
    ).to.deep.equal([
      [true, true],
      [true, true],
    ]);
    await until(() => ann.room.messages.every((m) => m.status === 'delivered'), 'delivered');
    // A newcomer takes them from a catch-up page (one message a page, at this size).
    const cat = await member(new MemoryHub(), 'Cat', room, {}, undefined, factory);
    expect(await cat.room.setPassphrase(PASSPHRASE)).to.equal(true);
    await until(() => cat.room.messages.length === 2, 'both at Cat', 20000);
    expect(cat.room.messages.map((m) => m.text)).to.deep.equal(
      ann.room.messages.map((m) => m.text),
    );
    for (const m of [bob, cat]) {
      const { malformed, forged } = m.room.refused;
      expect(malformed + forged).to.equal(0);
    }
  });

  it('is refused before it is shown where the server carries less, and the text is kept', async () => {
    const factory = over(await serverUrl({ maxPayload: 32768 }));
    const room = freshRoom();
    const ann = await member(new MemoryHub(), 'Ann', room, {}, undefined, factory);
    const bob = await member(new MemoryHub(), 'Bob', room, {}, undefined, factory);
    await until(() => ann.transport.payloadCap === 32768, 'the announced cap adopted');
    expect(ann.room.send(CONTROL)).to.equal(false);
    expect(ann.room.error).to.match(
      /^This message is too long to send here: it takes 48 KB and this server carries at most 32 KB/,
    );
    expect(ann.room.messages).to.deep.equal([]);
    // One that fits goes, and arrives.
    expect(ann.room.send('x'.repeat(MAX_TEXT))).to.equal(true);
    await until(() => bob.room.messages.length === 1, 'the one that fits');
  });
});
