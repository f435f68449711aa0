/**
 * Room keys from a passphrase and from invite links, between real controllers: messages sealed
 * under the passphrase open for whoever enters it; a link — which anyone can send — never
 * makes a room that has a key seal with the link's key instead, and a chat with a fixed room
 * never takes a key from a host page's address that does not name that room.
 */
import { expect } from '@open-wc/testing';
import { newRoomKeyText } from '../../../src/protocol/room-key.js';
import type { ChatEvents } from '../../../src/protocol/chat-events.js';
import { MemoryHub } from '../../../src/transport/memory.js';
import { author, signedBy } from '../../support/envelopes.js';
import { freshRoom } from '../../transport/contract.js';
import { suiteMembers, until } from '../room-harness.js';

const PASSPHRASE = 'correct horse battery staple';

describe('room keys', function () {
  this.timeout(30000);
  const member = suiteMembers();
  afterEach(() => history.replaceState(null, '', location.pathname + location.search));

  it('opens what was sealed under the passphrase once it is entered, after the fact', async () => {
    const hub = new MemoryHub();
    const room = freshRoom();
    const [ann, bob] = [await member(hub, 'Ann', room), await member(hub, 'Bob', room)];
    expect(await ann.room.setPassphrase(PASSPHRASE)).to.equal(true);
    expect(ann.room.encrypted).to.equal(true);
    ann.room.send('sealed words');
    await until(() => bob.room.locked === 1, 'held sealed at Bob');
    // Shown as one "can't read" line, in its place, not hidden.
    expect(bob.room.messages.map((m) => [m.text, m.unreadable])).to.deep.equal([['', true]]);
    expect(bob.room.keyMismatch, 'no key at all is not a split').to.equal(undefined);
    expect(await bob.room.setPassphrase('not the passphrase')).to.equal(true);
    expect(bob.room.locked, 'a wrong passphrase opens nothing').to.equal(1);
    expect(await bob.room.setPassphrase(PASSPHRASE)).to.equal(true);
    expect(bob.room.locked).to.equal(0);
    expect(bob.room.messages.map((m) => [m.text, m.sealed])).to.deep.equal([
      ['sealed words', true],
    ]);
    expect(await bob.room.setPassphrase('short'), 'too short').to.equal(false);
  });

  it('keeps sealing with the room’s key when a link brings another one', async () => {
    const hub = new MemoryHub();
    const room = freshRoom();
    const ann = await member(hub, 'Ann', room);
    await ann.room.setPassphrase(PASSPHRASE);
    // Eve's link for the same room, with a key only Eve holds (Bob, who joins later, never
    // sees it: every member of this test shares one page address).
    location.hash = `room=${room}&key=${newRoomKeyText()}`;
    await until(() => !location.hash.includes('key='), 'the key taken from the address');
    const bob = await member(hub, 'Bob', room);
    await bob.room.setPassphrase(PASSPHRASE);
    ann.room.send('still for passphrase holders');
    await until(() => bob.room.messages.length + bob.room.locked === 1, 'Bob has it');
    expect(bob.room.messages.map((m) => m.text)).to.deep.equal(['still for passphrase holders']);
  });

  it('marks a message that came in the clear to an encrypted room as not encrypted', async () => {
    const hub = new MemoryHub();
    const room = freshRoom();
    const bob = await member(hub, 'Bob', room);
    await bob.room.setPassphrase(PASSPHRASE);
    // Eve knows the room's name, not its passphrase, and writes in the clear.
    const eve = await author('Eve');
    const raw = hub.transport<ChatEvents>();
    await raw.connect(room, { userId: eve.id, name: 'Eve' });
    raw.emit('chat:message', await signedBy(eve, { room, text: 'change of plan: meet at 9' }));
    await until(() => bob.room.messages.length === 1, 'Eve’s message');
    expect(bob.room.messages[0]).to.include({ text: 'change of plan: meet at 9', inClear: true });
    raw.close();
  });

  it('takes no key from an address that does not name its room (a host page’s own hash)', async () => {
    history.replaceState(null, '', `#key=${newRoomKeyText()}&section=pricing`);
    const ann = await member(new MemoryHub(), 'Ann', freshRoom());
    // `member` resolves once the link is open: the room started, and took any key, before.
    expect(ann.room.encrypted).to.equal(false);
    expect(location.hash, 'the host page’s address is left alone').to.include('key=');
  });
});
